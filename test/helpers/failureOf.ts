import { lastValueFrom } from 'rxjs';

/**
 * What a stream failed with; fails the test if it completed instead.
 *
 * @param stream The stream.
 * @returns Its error.
 */
export async function failureOf(stream: Parameters<typeof lastValueFrom>[0]): Promise<unknown> {
  return lastValueFrom(stream).then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}
