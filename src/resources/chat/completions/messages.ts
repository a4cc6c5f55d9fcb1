import { checkedCall } from '../../../internal/core/checkedCall';
import type { Observable } from 'rxjs';
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
  };
}
