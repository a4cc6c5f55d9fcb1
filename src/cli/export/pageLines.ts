import type { ChatCompletionList } from '../../codecs';
import { sourceText } from '../../fetch/sourceText';
import { rawItems } from '../jsonl/rawItems';

/** One completion of a page: its JSONL line, as the server wrote it, and its `created`. */
export interface CompletionLine {
  readonly line: string;
  readonly created: number;
}

/**
 * The JSONL lines of a page, one per completion, sliced from the page's
 * source text so that nothing is lost to `JSON.parse` (see `rawItems`).
 *
 * The decoded page is the reference: the scanner must find as many items as
 * the decoder did, or the export stops rather than write lines that might not
 * be the completions they claim to be.
 *
 * @param page A page emitted by `pages()`.
 * @returns Its lines, in order.
 * @throws {Error} when the page has no source text or the scan disagrees with the decoder.
 */
export function pageLines(page: ChatCompletionList): CompletionLine[] {
  const text = sourceText(page);
  if (text === undefined) throw new Error('A page came without its source text: it was not emitted by `pages()`');
  const lines = rawItems(text);
  if (lines.length !== page.data.length) {
    throw new Error(`The page's text holds ${lines.length} items where the decoded page holds ${page.data.length}`);
  }
  return page.data.map((item, index) => ({ line: lines[index] as string, created: item.created }));
}
