import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { AbortError } from '../errors';

/**
 * Ties a stream to an `AbortSignal`, for callers outside RxJS: when the
 * signal fires, the stream errors with an {@link AbortError} and its
 * subscription is torn down, which aborts the request in flight and any wait.
 * It errors rather than completes so that a promise built on the stream
 * (`lastValueFrom`) rejects instead of resolving with partial results.
 *
 * @param signal The signal; without one, the stream is returned unchanged.
 * @returns An operator.
 */
export function untilAborted<T>(signal: AbortSignal | undefined): MonoTypeOperatorFunction<T> {
  if (signal === undefined) return (source) => source;
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
