import { checkedOperator } from '../internal/core/checkedOperator';
import { catchError, concat, concatMap, defer, EMPTY, mergeMap, of, throwError, type Observable, type OperatorFunction } from 'rxjs';
import type { Client } from '../client/createClient';
import { untilAborted } from '../internal/core/untilAborted';
import type { ChatCompletionDeleted } from '../codecs/chatCompletionDeleted';
import { InconsistentServerError, NotFoundError, StoredCompletionsError } from '../errors';
import { resolveBulkOptions, type BulkOptions } from './BulkOptions';
import { bulkOutcome, failedOutcome, type BulkOutcome } from './BulkOutcome';
import { mergeEach } from '../internal/bulk/mergeEach';

/**
 * Deletes every completion of the source and emits one {@link BulkOutcome} per completion, in the
 * order the deletes finish: `done`, `gone` (already deleted) or `failed` (with `failFast`, the
 * first failure ends the stream instead).
 *
 * Until one delete of the run is `done`, a delete answered 404 is checked with a retrieve before
 * it is reported `gone`: a server that finds it anyway answers 404 to deletes it cannot carry out
 * (a gateway that does not forward DELETE), and the stream fails with an
 * {@link InconsistentServerError} rather than report a run that deleted nothing as a success.
 *
 * Safe while walking: it never deletes a completion before the source has brought the next one
 * (or completed). The walk's next cursor is the last id of the page it has, so by the time that
 * item is deleted its successor's page has arrived and the cursor is never sent again: a walk
 * never sends as `after` the id of a completion already deleted, which the API may answer with a
 * 404. The same holds behind any filter. It does not hold for a `bidirectional` list, whose two
 * walks each keep a cursor of their own: use the `ordered` strategy.
 *
 * Deletes go through the client, so through its rate-limit gate and its retries; a delete retried
 * after an attempt that may have reached the server and then answered 404 is `done`. Over a
 * `list()`, the walk is paced to the deletes (`process()` semantics): `concurrency` deletes in
 * flight across page boundaries, memory of a few pages. Over any other source, items the source
 * pushes faster than the deletes go wait in a queue.
 *
 * ## Example
 * ```ts
 * import { createClient, deleteEach } from 'rx-stored-completions';
 * import { lastValueFrom, toArray } from 'rxjs';
 *
 * const client = createClient();
 * const outcomes = await lastValueFrom(
 *   client.chat.completions.list({ metadata: { user: 'user-42' } }).pipe(deleteEach(client), toArray()),
 * );
 * console.log(outcomes.filter((outcome) => outcome.status === 'failed'));
 * ```
 *
 * @param client The client whose requests delete.
 * @param options `concurrency` (default 8), `failFast` (default `false`), `signal`.
 * @returns An operator from completions (anything with an `id`) to outcomes.
 * @throws {InvalidArgumentError} on subscribe, never at call: for a client that is not one, or invalid options.
 * @throws {InconsistentServerError} through the stream, when a completion answered 404 is retrieved.
 */
export function deleteEach<T extends { readonly id: string }>(
  client: Client,
  options: BulkOptions = {},
): OperatorFunction<T, BulkOutcome<ChatCompletionDeleted>> {
  return checkedOperator(() => {
    const { concurrency, failFast, signal } = resolveBulkOptions(client, options);
    return (source) =>
      defer(() => {
        // Until one delete of this run has deleted, a 404 is checked: a gateway that answers 404 to
        // every DELETE would otherwise have the run report every completion gone, deleting none.
        let deletedOne = false;
        const deleteOne = (item: T): Observable<BulkOutcome<ChatCompletionDeleted>> =>
          bulkOutcome(item.id, defer(() => client.chat.completions.delete(item.id)), failFast, (answer) =>
            answer.deleted ? undefined : new StoredCompletionsError(`The server answered deleted: false for ${item.id}`, 'not_deleted'),
          ).pipe(
            concatMap((outcome) => {
              if (outcome.status === 'done') deletedOne = true;
              return outcome.status === 'gone' && !deletedOne ? confirmedGone(client, outcome.id, failFast) : of(outcome);
            }),
          );
        // Each item is held back until the next one arrives, and deleted then.
        let held: T | undefined;
        const deletePrevious = (item: T): Observable<BulkOutcome<ChatCompletionDeleted>> => {
          const previous = held;
          held = item;
          return previous === undefined ? EMPTY : deleteOne(previous);
        };
        return concat(
          mergeEach(source, deletePrevious, concurrency),
          defer(() => (held === undefined ? EMPTY : deleteOne(held))),
        );
      }).pipe(untilAborted(signal));
  });
}

/**
 * The outcome of a completion whose DELETE was answered 404, once a retrieve agrees: `gone`. If
 * the retrieve finds it, the server contradicts itself and the run ends with an
 * {@link InconsistentServerError}, failFast or not; if the retrieve fails, the completion's fate
 * is unknown, and it is `failed` with the retrieve's error.
 */
function confirmedGone(client: Client, id: string, failFast: boolean): Observable<BulkOutcome<ChatCompletionDeleted>> {
  return defer(() => client.chat.completions.retrieve(id)).pipe(
    mergeMap(() => throwError(() => new InconsistentServerError(id))),
    catchError((error: unknown) => {
      if (error instanceof NotFoundError) return of<BulkOutcome<ChatCompletionDeleted>>({ status: 'gone', id });
      if (error instanceof InconsistentServerError) return throwError(() => error);
      return failedOutcome<ChatCompletionDeleted>(id, error, failFast);
    }),
  );
}
