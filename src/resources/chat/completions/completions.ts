import { map, type Observable, type ObservableInput } from 'rxjs';
import { checkedCall } from '../../../internal/core/checkedCall';
import { ChatCompletion, ChatCompletionDeleted, ChatCompletionList } from '../../../codecs';
import { cursorList } from '../../../internal/core/cursorList';
import { registerPeekablePage } from '../../../internal/core/peekablePage';
import { peekListItems } from '../../../internal/fetch/peekListItems';
import { encodePath } from '../../../internal/core/encodePath';
import type { RequestCore } from '../../../internal/core/RequestCore';
import type { ListOptions, ProcessOptions, RequestOptions, WalkOptions } from '../../../client/RequestOptions';
import type { ListParams } from './ListParams';
import { createMessages, type Messages } from './messages';
import { validateMetadata } from '../../../internal/metadata/validateMetadata';
import type { WatchOptions } from '../../../client/WatchOptions';
import { watchList, type WatchParams } from '../../../internal/watch/watchList';
import { withCheckpoint } from './watchCheckpoint';

/** The body of {@link ChatCompletions.update}: the new metadata, which replaces the old. */
export interface ChatCompletionUpdateParams {
  /** At most 16 pairs, keys of at most 64 characters, values of at most 512; `null` or `{}` clears it. */
  readonly metadata: Readonly<Record<string, string>> | null;
}

/** The stored Chat Completions endpoints, as cold Observables, under the official SDK's names. */
export interface ChatCompletions {
  /**
   * Every stored completion matching `params`, one at a time: in `params.order`
   * with the default `ordered` strategy, in no set order with `bidirectional`.
   * Cold: each subscription is a walk of its own.
   */
  list(params?: ListParams, options?: ListOptions): Observable<ChatCompletion>;
  /** The same walk, one decoded page at a time. */
  pages(params?: ListParams, options?: WalkOptions): Observable<ChatCompletionList>;
  /**
   * Runs `work` on every stored completion and emits its results, pacing the
   * walk to `work`: a page is requested only when the pages before it, but
   * `prefetch` of them, are fully processed. `concurrency` items are at work
   * at once, across page boundaries. Memory stays at a few pages however slow
   * `work` is and however long the history, while a consumer faster than the
   * network never waits for anything but the network.
   * (`list().pipe(mergeMap(work))` would instead buffer every item the walk
   * brings in faster than `work` takes them.)
   */
  process<R>(params: ListParams | undefined, work: (item: ChatCompletion) => ObservableInput<R>, options?: ProcessOptions): Observable<R>;
  /**
   * {@link ChatCompletions.process} a page at a time: `work` gets each decoded
   * page, and the walk waits for it the same way. For consumers that work in
   * pages: a batch insert, or a file write that must wait for the disk.
   */
  processPages<R>(params: ListParams | undefined, work: (page: ChatCompletionList) => ObservableInput<R>, options?: WalkOptions): Observable<R>;
  /**
   * The completions stored from now on, each once, as soon as a poll sees it:
   * a cold Observable that polls the list, newest first, down to what it has
   * seen, every `options.intervalMs` (5 s), and emits what is new in `created`
   * order. Completions of one second are neither lost nor repeated, whatever
   * order the server gives them. A poll that meets a transient fault (once the
   * client's retries are spent) is reported to `options.onPollError`, and the
   * next poll catches up; an error no retry mends (a rejected key) ends the
   * stream. Unsubscribing, or `options.signal`, stops it at once.
   * `watchCheckpoint(completion)`, given back as `options.from`, resumes after
   * a completion. See docs/history.md.
   *
   * ## Example
   * ```ts no-run
   * client.chat.completions.watch({ model: 'gpt-4o-mini' }).subscribe((completion) => console.log(completion.id));
   * ```
   *
   * @param params The list filters, `model` and `metadata`; `limit`, the page size.
   * @param options `intervalMs`, `lookbackSeconds`, `from`, `onPollError`, `signal`, `scheduler`.
   * @returns Each new completion once.
   * @throws {InvalidArgumentError} at once, for a bad parameter or option.
   */
  watch(params?: Pick<ListParams, 'model' | 'metadata' | 'limit'>, options?: WatchOptions): Observable<ChatCompletion>;
  /**
   * One stored completion (`GET /chat/completions/{id}`), emitted once.
   *
   * @param completionId The id; path-encoded.
   * @param options `signal`.
   * @returns The completion; a {@link NotFoundError} when there is none.
   */
  retrieve(completionId: string, options?: RequestOptions): Observable<ChatCompletion>;
  /**
   * Replaces a stored completion's metadata (`POST /chat/completions/{id}`)
   * and emits the updated completion. The metadata is checked before anything
   * is sent: at most 16 keys, keys of at most 64 characters, string values of
   * at most 512.
   *
   * @param completionId The id; path-encoded.
   * @param body `{ metadata }`.
   * @param options `signal`.
   * @returns The updated completion.
   * @throws {InvalidArgumentError} on subscribe, before anything is sent, for metadata the API would refuse.
   */
  update(completionId: string, body: ChatCompletionUpdateParams, options?: RequestOptions): Observable<ChatCompletion>;
  /**
   * Deletes a stored completion (`DELETE /chat/completions/{id}`) and emits
   * `{ id, object: 'chat.completion.deleted', deleted: true }`.
   *
   * Retried like a read. A 404 to a retry, after an attempt that may have
   * reached the server (a reset or timeout once the request was being written,
   * a 5xx, a 2xx body that did not parse), means that attempt deleted it: the
   * answer is then the same as a 200's. A 404 to the first attempt, or after
   * only attempts that did nothing (a 429, a connection refused or not made in
   * time, a tunnel the proxy refused), is a {@link NotFoundError}.
   *
   * @param completionId The id; path-encoded.
   * @param options `signal`.
   * @returns The deletion's answer.
   */
  delete(completionId: string, options?: RequestOptions): Observable<ChatCompletionDeleted>;
  /** The input messages of a stored completion. */
  readonly messages: Messages;
}

/**
 * @param core The client's request core.
 * @returns The chat completions resource.
 */
export function createCompletions(core: RequestCore): ChatCompletions {
  const completions = cursorList<ListParams, ChatCompletion, ChatCompletionList>(core, '/chat/completions', ChatCompletionList);
  const resource: ChatCompletions = {
    // checkedCall: an argument check that throws is the Observable's error, on subscribe.
    list: (params, options) => checkedCall(() => completions.items(params, options)),
    pages: (params, options) => checkedCall(() => completions.pages(params, options)),
    process: (params, work, options) => checkedCall(() => completions.process(params, work, options)),
    processPages: (params, work, options) => checkedCall(() => completions.processPages(params, work, options)),
    watch: (params: WatchParams = {}, options: WatchOptions = {}) =>
      checkedCall(() =>
        watchList((query, walk) => completions.pages(query, walk), params, options, (page) => page.data).pipe(
          map(({ item, checkpoint }) => withCheckpoint(item, checkpoint)),
        ),
      ),
    retrieve: (completionId, options) =>
      checkedCall(() => core.request({ method: 'GET', path: encodePath`/chat/completions/${completionId}`, codec: ChatCompletion }, options)),
    update: (completionId, body, options) =>
      checkedCall(() =>
        core.request(
          { method: 'POST', path: encodePath`/chat/completions/${completionId}`, body: { metadata: validateMetadata(body) }, codec: ChatCompletion },
          options,
        ),
      ),
    delete: (completionId, options) =>
      checkedCall(() =>
        core.request(
          {
            method: 'DELETE',
            path: encodePath`/chat/completions/${completionId}`,
            codec: ChatCompletionDeleted,
            notFoundAfterReach: () => ({ id: completionId, object: 'chat.completion.deleted', deleted: true }),
          },
          options,
        ),
      ),
    messages: createMessages(core),
  };
  registerPeekablePage(resource, (params, options, peek) =>
    checkedCall(() =>
      completions.peekedPage(params, options, (body) => {
        const page = peekListItems(body);
        if (page !== undefined) peek(page);
      }),
    ),
  );
  return resource;
}
