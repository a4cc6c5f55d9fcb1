import { checkedCall } from '../../../internal/core/checkedCall';
import type { Observable, ObservableInput } from 'rxjs';
import { ChatCompletionMessage, ChatCompletionMessageList } from '../../../codecs';
import { cursorList, type CursorParams } from '../../../internal/core/cursorList';
import { encodePath } from '../../../internal/core/encodePath';
import type { RequestCore } from '../../../internal/core/RequestCore';
import type { ListOptions, WalkOptions } from '../../../client/RequestOptions';

/** Query parameters of the messages list: `after`, `limit` (1 to 100; the library asks for 100) and `order`. */
export type MessageListParams = CursorParams;

/** The input messages of a stored completion (`GET /chat/completions/{id}/messages`), as cold Observables. */
export interface Messages {
  /**
   * Every input message of completion `completionId`, following the cursor
   * from page to page like `list()`, each decoded with
   * {@link ChatCompletionMessage}.
   *
   * ## Example
   * ```ts
   * client.chat.completions.messages.list('chatcmpl-abc').subscribe((m) => console.log(m.role, m.content));
   * ```
   *
   * @param completionId The completion's id; path-encoded.
   * @param params `after`, `limit`, `order`.
   * @param options `signal`, `prefetch`, `strategy`.
   * @returns The messages, in `params.order` (the API's default: `asc`).
   */
  list(completionId: string, params?: MessageListParams, options?: ListOptions): Observable<ChatCompletionMessage>;
  /** The same walk, one decoded page at a time. */
  pages(completionId: string, params?: MessageListParams, options?: WalkOptions): Observable<ChatCompletionMessageList>;
  /**
   * Runs `work` on every page of the input messages of completion
   * `completionId` and emits its results, pacing the walk to `work` as
   * `chat.completions.processPages()` does: a page is requested only when
   * the pages before it, but `prefetch` of them, are fully processed. For
   * consumers that must not run ahead of their output: a conversation of
   * thousands of messages written out page by page, in bounded memory.
   *
   * ## Example
   * ```ts
   * client.chat.completions.messages
   *   .processPages('chatcmpl-abc', undefined, (page) => of(page.data.length))
   *   .subscribe((count) => console.log(count, 'messages'));
   * ```
   *
   * @param completionId The completion's id; path-encoded.
   * @param params `after`, `limit`, `order`.
   * @param work Processes a page; the walk waits until its Observable completes.
   * @param options `signal`, `prefetch`.
   * @returns What `work` emits, page after page.
   */
  processPages<R>(
    completionId: string,
    params: MessageListParams | undefined,
    work: (page: ChatCompletionMessageList) => ObservableInput<R>,
    options?: WalkOptions,
  ): Observable<R>;
}

/**
 * @param core The client's request core.
 * @returns The messages resource.
 */
export function createMessages(core: RequestCore): Messages {
  const of = (completionId: string) =>
    cursorList<MessageListParams, ChatCompletionMessage, ChatCompletionMessageList>(
      core,
      encodePath`/chat/completions/${completionId}/messages`,
      ChatCompletionMessageList,
    );
  return {
    list: (completionId, params, options) => checkedCall(() => of(completionId).items(params, options)),
    pages: (completionId, params, options) => checkedCall(() => of(completionId).pages(params, options)),
    processPages: (completionId, params, work, options) => checkedCall(() => of(completionId).processPages(params, work, options)),
  };
}
