import type { Observable } from 'rxjs';
import type { RequestOptions } from '../../client/RequestOptions';
import type { ChatCompletionList } from '../../codecs';
import type { ChatCompletions } from '../../resources/chat/completions/completions';
import type { ListParams } from '../../resources/chat/completions/ListParams';
import type { PeekedList } from '../fetch/peekListItems';

/**
 * One page of the list after `params.after`, fetched and decoded as `pages()`
 * does it (gate, retries, timeouts, redaction), with `peek` told what the raw
 * body says of the page's items before the body is parsed (see
 * `peekListItems`). The parse then waits a macrotask, so that a request
 * `peek` starts leaves before it. `peek` is not called when the body does not
 * say (a body the scan cannot follow).
 */
export type PeekablePage = (params: ListParams, options: RequestOptions, peek: (page: PeekedList) => void) => Observable<ChatCompletionList>;

const fetches = new WeakMap<ChatCompletions, PeekablePage>();

/**
 * Records how to fetch a peekable page of a client's completions: the
 * resource registers it as it is made, since only it holds the request core.
 *
 * @param completions The resource.
 * @param fetch Its peekable page.
 */
export function registerPeekablePage(completions: ChatCompletions, fetch: PeekablePage): void {
  fetches.set(completions, fetch);
}

/**
 * The peekable page of a client's completions: for a walk that picks each
 * next cursor itself, from the page (the settled walk), and can send the next
 * request as soon as the raw page names it, before the page is decoded.
 *
 * @param completions `client.chat.completions` of a client made by `createClient`.
 * @returns Its peekable page.
 * @throws {Error} for a resource `createClient` did not make.
 */
export function peekablePage(completions: ChatCompletions): PeekablePage {
  const fetch = fetches.get(completions);
  if (fetch === undefined) throw new Error('These completions were not made by createClient: they have no peekable page');
  return fetch;
}
