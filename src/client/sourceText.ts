const SOURCES = new WeakMap<object, string>();

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
  return SOURCES.get(page);
}

/**
 * Parses JSON and remembers the source of the resulting object for {@link sourceText}.
 *
 * @param text JSON text.
 * @returns The parsed value.
 * @throws {SyntaxError} when the text is not JSON.
 */
export function parseWithSource(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (typeof value === 'object' && value !== null) SOURCES.set(value, text);
  return value;
}
