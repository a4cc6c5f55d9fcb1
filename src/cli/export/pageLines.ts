import type { ChatCompletion, ChatCompletionList } from '../../codecs';
import { sourceText } from '../../client/sourceText';
import { rawItems, rawItemsText } from '../jsonl/rawItems';

/** One completion of a page: its JSONL line, as the server wrote it, its `id` and its `created`, and the decoded completion. */
export interface CompletionLine {
  readonly line: string;
  readonly id: string;
  readonly created: number;
  readonly completion: ChatCompletion;
}

/**
 * The JSONL lines of a page, one per completion, sliced from the page's
 * source text so that nothing is lost to `JSON.parse` (see `rawItems`).
 *
 * @param page A page emitted by `pages()`.
 * @returns Its lines, in order.
 * @throws {Error} when the page has no source text or the scan disagrees with the decoder (see {@link sourceItems}).
 */
export function pageLines(page: ChatCompletionList): CompletionLine[] {
  const lines = sourceItems(page);
  return page.data.map((item, index) => ({ line: lines[index] as string, id: item.id, created: item.created, completion: item }));
}

/**
 * The raw JSON text of each item of a decoded list page (of completions, or
 * of input messages), as the server wrote it.
 *
 * The decoded page is the reference: the scanner must find as many items as
 * the decoder did, or the export stops rather than write lines that might not
 * be the items they claim to be.
 *
 * @param page A page emitted by a `pages()` method of the client.
 * @returns The text of each item of `data`, in order, each on one line.
 * @throws {Error} when the page has no source text or the scan disagrees with the decoder.
 */
export function sourceItems(page: { readonly data: readonly unknown[] }): string[] {
  const lines = rawItems(pageSource(page));
  checkCount(lines.length, page.data.length);
  return lines;
}

/**
 * The raw JSON text of the items of a decoded list page, separated by
 * commas, as {@link sourceItems} reads them: a slice of the page's source
 * text, without a copy, when the server wrote it compact (see `rawItemsText`).
 *
 * @param page A page emitted by a `pages()` method of the client.
 * @returns The items' text: `[${text}]` is the JSON array of them.
 * @throws {Error} as {@link sourceItems} does.
 */
export function sourceItemsText(page: { readonly data: readonly unknown[] }): string {
  const { text, count } = rawItemsText(pageSource(page));
  checkCount(count, page.data.length);
  return text;
}

function pageSource(page: { readonly data: readonly unknown[] }): string {
  const text = sourceText(page);
  if (text === undefined) throw new Error('A page came without its source text: it was not emitted by `pages()`');
  return text;
}

function checkCount(scanned: number, decoded: number): void {
  if (scanned !== decoded) throw new Error(`The page's text holds ${scanned} items where the decoded page holds ${decoded}`);
}
