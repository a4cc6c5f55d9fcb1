import { catchError, last, map, of, throwError, type Observable } from 'rxjs';
import { NotFoundError, StoredCompletionsError } from '../errors';

/**
 * What became of one completion in {@link deleteEach} or {@link updateEach}:
 *
 * - `done`: the server did it; `value` is its answer (the deletion object, or the updated
 *   completion). A delete retried after an attempt that may have reached the server, and then
 *   answered 404, is `done` too: that attempt deleted it.
 * - `gone`: the first attempt was answered 404: the completion was no longer there (deleted by
 *   someone else since the list showed it). {@link deleteEach} confirms it with a retrieve until
 *   one of its deletes is `done`.
 * - `failed`: the request failed for good (after its retries), or was refused before it was sent;
 *   `error` says why.
 */
export type BulkOutcome<V> =
  | { readonly status: 'done'; readonly id: string; readonly value: V }
  | { readonly status: 'gone'; readonly id: string }
  | { readonly status: 'failed'; readonly id: string; readonly error: StoredCompletionsError };

/**
 * The outcome of one request about one completion.
 *
 * @param id The completion's id.
 * @param request The request, a cold Observable whose last value is the server's answer; an id
 *   the client refuses (`InvalidArgumentError`) must come as its error, so `defer` the call.
 * @param failFast Whether a failure ends the stream instead of being an outcome.
 * @param check Turns an answer that means failure into its error.
 * @returns An Observable of the one outcome.
 */
export function bulkOutcome<V>(
  id: string,
  request: Observable<V>,
  failFast: boolean,
  check: (value: V) => StoredCompletionsError | undefined = () => undefined,
): Observable<BulkOutcome<V>> {
  return request.pipe(
    last(),
    map((value): BulkOutcome<V> => {
      const error = check(value);
      if (error === undefined) return { status: 'done', id, value };
      if (failFast) throw error;
      return { status: 'failed', id, error };
    }),
    catchError((error: unknown) => {
      if (error instanceof NotFoundError) return of<BulkOutcome<V>>({ status: 'gone', id });
      return failedOutcome<V>(id, error, failFast);
    }),
  );
}

/**
 * A failure as an outcome, or as the stream's error with `failFast` (or when it is no error of
 * this library, which would be a bug to surface, not a completion's fate).
 *
 * @param id The completion's id.
 * @param error What failed.
 * @param failFast Whether a failure ends the stream.
 * @returns An Observable of the `failed` outcome, or one that errors.
 */
export function failedOutcome<V>(id: string, error: unknown, failFast: boolean): Observable<BulkOutcome<V>> {
  if (failFast || !(error instanceof StoredCompletionsError)) return throwError(() => error);
  return of({ status: 'failed', id, error });
}
