import { Observable } from 'rxjs';

/**
 * Emits `value` in a macrotask of its own (`setImmediate`), then completes;
 * unsubscribing first cancels it.
 *
 * Why: undici writes a request queued behind a response it has just finished
 * only once the current task and its microtasks are over. A request started
 * from a raw body, before that body is parsed, leaves before the parse only if
 * the parse waits for the next macrotask.
 *
 * @param value The value.
 * @returns An Observable of it.
 */
export function nextMacrotask<T>(value: T): Observable<T> {
  return new Observable<T>((subscriber) => {
    const handle = setImmediate(() => {
      subscriber.next(value);
      subscriber.complete();
    });
    return () => clearImmediate(handle);
  });
}
