import { concatMap, Observable, of, type MonoTypeOperatorFunction } from 'rxjs';
import type { HttpResponse } from '../fetch/httpRequest';

/**
 * Shows `peek` the raw body of each successful response (status 200) before
 * the body is parsed; when `peek` says it started a request, the response
 * goes on to the parse only in the next macrotask (`setImmediate`), which
 * unsubscribing cancels.
 *
 * Why: undici writes a request queued behind a response it has just finished
 * only once the current task and its microtasks are over. A request started
 * from a raw body leaves before that body is parsed only if the parse waits
 * for the next macrotask.
 *
 * @param peek Reads the body; returns whether it started a request.
 * @returns An operator on raw responses.
 */
export function peekBeforeParse(peek: (body: Buffer) => boolean): MonoTypeOperatorFunction<HttpResponse> {
  return concatMap((response) => (response.status === 200 && peek(response.body) ? nextMacrotask(response) : of(response)));
}

function nextMacrotask<T>(value: T): Observable<T> {
  return new Observable<T>((subscriber) => {
    const handle = setImmediate(() => {
      subscriber.next(value);
      subscriber.complete();
    });
    return () => clearImmediate(handle);
  });
}
