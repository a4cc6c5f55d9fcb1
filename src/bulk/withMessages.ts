import { checkedOperator } from '../internal/core/checkedOperator';
import { AsyncSubject, catchError, concat, concatMap, defer, EMPTY, map, of, throwError, toArray, type Observable, type OperatorFunction } from 'rxjs';
import type { Client } from '../client/createClient';
import { untilAborted } from '../internal/core/untilAborted';
import type { ChatCompletion } from '../codecs/chatCompletion';
import type { ChatCompletionMessage } from '../codecs/chatCompletionMessageList';
import { StoredCompletionsError } from '../errors';
import { resolveBulkOptions, type BulkOptions } from './BulkOptions';
import { mergeEach } from '../internal/bulk/mergeEach';

/**
 * A completion joined to its input messages by {@link withMessages}: every message, in input
 * order, or, when the messages could not be listed and `failFast` is off, `messages: null` and
 * the `error`.
 */
export type CompletionWithMessages =
  | { readonly completion: ChatCompletion; readonly messages: readonly ChatCompletionMessage[]; readonly error?: undefined }
  | { readonly completion: ChatCompletion; readonly messages: null; readonly error: StoredCompletionsError };

/**
 * Joins each completion of the source to its input messages: `{ completion, messages }`, with
 * every page of its messages, in the source's order.
 *
 * Up to `concurrency` message walks run at once, and they are the reorder window too: the walk of
 * a completion starts only once the one `concurrency` places before it has been emitted. So memory
 * holds at most `concurrency` completions with their messages, whatever the order walks finish in,
 * and a slow walk holds the ones after it back rather than letting them pile up.
 *
 * A completion whose messages fail (after the client's retries; a 404 if it was deleted since it
 * was listed) is emitted with `messages: null` and its `error`, unless `failFast`, where that
 * error ends the stream. Over a `list()`, the walk is paced to the joins (`process()` semantics):
 * concurrency does not stall at page boundaries and memory holds a few pages. Over any other
 * source, items it pushes faster than the joins go wait in a queue.
 *
 * ## Example
 * ```ts
 * import { createClient, withMessages } from 'rx-stored-completions';
 *
 * const client = createClient();
 * client.chat.completions
 *   .list({ metadata: { dataset: 'v2' } })
 *   .pipe(withMessages(client))
 *   .subscribe(({ completion, messages }) => console.log(completion.id, messages?.length));
 * ```
 *
 * @param client The client whose requests list the messages.
 * @param options `concurrency` (default 8), `failFast` (default `false`), `signal`.
 * @returns An operator from completions to completions with their messages.
 * @throws {InvalidArgumentError} on subscribe, never at call: for a client that is not one, or invalid options.
 */
export function withMessages(client: Client, options: BulkOptions = {}): OperatorFunction<ChatCompletion, CompletionWithMessages> {
  return checkedOperator(() => {
    const { concurrency, failFast, signal } = resolveBulkOptions(client, options);
    const join = (completion: ChatCompletion): Observable<CompletionWithMessages> =>
      // Deferred: an id refused before anything is sent is this completion's failure, not the stream's.
      defer(() => client.chat.completions.messages.list(completion.id, { order: 'asc' })).pipe(
        toArray(),
        map((messages): CompletionWithMessages => ({ completion, messages })),
        catchError((error: unknown) =>
          failFast || !(error instanceof StoredCompletionsError) ? throwError(() => error) : of({ completion, messages: null, error }),
        ),
      );
    return (source) =>
      defer(() => {
        // Each join waits for the one before it to be emitted: works finish, and so emit, in order.
        let previousEmitted: Observable<never> = EMPTY;
        const joinInTurn = (completion: ChatCompletion): Observable<CompletionWithMessages> => {
          const turn = previousEmitted;
          const emitted = new AsyncSubject<never>();
          previousEmitted = emitted;
          return join(completion).pipe(
            concatMap((joined) =>
              concat(
                turn,
                of(joined),
                defer(() => {
                  emitted.complete();
                  return EMPTY;
                }),
              ),
            ),
          );
        };
        return mergeEach(source, joinInTurn, concurrency);
      }).pipe(untilAborted(signal));
  });
}
