import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { AbortError, InvalidArgumentError } from '../../errors';

/**
 * Ties a stream to an `AbortSignal`, for callers outside RxJS: when the
 * signal fires, the stream errors with an {@link AbortError} and its
 * subscription is torn down, which aborts the request in flight and any wait.
 * It errors rather than completes so that a promise built on the stream
 * (`lastValueFrom`) rejects instead of resolving with partial results.
 *
 * @param signal The signal; without one, the stream is returned unchanged.
 * @returns An operator.
 * @throws {InvalidArgumentError} for a `signal` that is not an `AbortSignal`.
 */
export function untilAborted<T>(signal: AbortSignal | undefined): MonoTypeOperatorFunction<T> {
  if (signal === undefined) return (source) => source;
  if (!isAbortSignal(signal)) {
    throw new InvalidArgumentError(`Expected \`signal\` to be an AbortSignal, got ${signal === null ? 'null' : typeof signal}`);
  }
  return (source) =>
    new Observable<T>((subscriber) => {
      const abort = (): void => subscriber.error(new AbortError(signal.reason));
      if (signal.aborted) {
        abort();
        return undefined;
      }
      signal.addEventListener('abort', abort, { once: true });
      subscriber.add(() => signal.removeEventListener('abort', abort));
      source.subscribe(subscriber);
      return undefined;
    });
}

/** Duck-typed, not `instanceof`: a signal may come from another realm (a worker, a VM context, jest's). */
function isAbortSignal(value: unknown): value is AbortSignal {
  const candidate = value as Partial<AbortSignal> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.aborted === 'boolean' && typeof candidate.addEventListener === 'function';
}
