import { decodeUtf8 } from '../internal/fetch/decodeUtf8';
import { parseJsonBody } from '../internal/fetch/parseJsonBody';

/** The body each value was parsed from, until its text is first asked for; then the text. */
const SOURCES = new WeakMap<object, Buffer | string>();

/**
 * The JSON text a page was parsed from, exactly as the server sent it, for
 * pages emitted by `pages()`; `undefined` for any other value.
 *
 * `JSON.parse` rounds integers above 2^53 (the API's `seed` field) and cannot
 * say how the server wrote a value; lossless exports read the source instead.
 * The text lives as long as the page object does, no longer.
 *
 * ## Example
 * ```ts
 * import { sourceText } from 'rx-stored-completions';
 * client.chat.completions.pages().subscribe((page) => archive(sourceText(page)));
 * ```
 *
 * @param page A page emitted by `pages()`.
 * @returns Its source text, or `undefined`.
 */
export function sourceText(page: object): string | undefined {
  const source = SOURCES.get(page);
  if (source === undefined || typeof source === 'string') return source;
  // Decoded only when asked for: a walk that never asks pays for no text of its pages but their items' (see parseJsonBody).
  const text = decodeUtf8(source);
  SOURCES.set(page, text);
  return text;
}

/**
 * Parses a JSON body (see `parseJsonBody`) and remembers the source of the resulting object for {@link sourceText}.
 *
 * @param body The body's bytes, UTF-8.
 * @returns The parsed value.
 * @throws {SyntaxError} when the body is not JSON.
 */
export function parseWithSource(body: Buffer): unknown {
  const value = parseJsonBody(body);
  if (typeof value === 'object' && value !== null) SOURCES.set(value, body);
  return value;
}
