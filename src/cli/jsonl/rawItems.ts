import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, isJsonWhitespace, OPEN_BRACE, OPEN_BRACKET, QUOTE } from '../../internal/json/jsonChars';

/**
 * The raw JSON text of each element of the top-level `data` array of a list
 * page, exactly as the server wrote it, minus insignificant whitespace.
 *
 * `JSON.parse` followed by `JSON.stringify` is not lossless: integers above
 * 2^53 (the `seed` the API echoes) lose digits, and `1.0` becomes `1`. Slicing
 * the source text keeps every byte of every value. This is a single pass of
 * `charCodeAt` over the text that tracks only what slicing needs: string
 * boundaries (with escapes) and nesting depth. String bodies are skipped with
 * `indexOf('"')`, which matters because completions are mostly long strings.
 *
 * Whitespace outside strings is removed so that each element fits on one line
 * even when the server pretty-prints; when an element has none (the API's
 * compact output), it is returned as a slice, without a copy.
 *
 * It does not validate JSON: it expects text that `JSON.parse` accepted (the
 * source of a page the client already parsed), and throws a `SyntaxError` only
 * when the structure it relies on is missing. Like `JSON.parse`, it lets the
 * last of duplicate `data` keys win.
 *
 * ## Example
 * ```ts
 * rawItems('{"object":"list","data":[{"id":"a","seed":4944116822809979520}],"has_more":false}');
 * // ['{"id":"a","seed":4944116822809979520}']
 * ```
 *
 * @param text The JSON text of an object with a `data` array.
 * @returns The text of each element of `data`, in order, each without a line break.
 * @throws {SyntaxError} when the text is not an object or its `data` is missing or not an array.
 */
export function rawItems(text: string): string[] {
  return scanData(text).items;
}

/**
 * The raw JSON text of the elements of the top-level `data` array of a list
 * page, as {@link rawItems} reads them, separated by commas: the text between
 * the array's brackets, without a copy, when the server wrote it compact (the
 * API does); its compacted elements joined, when it did not.
 *
 * ## Example
 * ```ts
 * rawItemsText('{"data":[{"id":"a"},{"id":"b"}],"has_more":false}');
 * // { text: '{"id":"a"},{"id":"b"}', count: 2 }
 * ```
 *
 * @param text The JSON text of an object with a `data` array.
 * @returns The elements' text, and how many elements it holds.
 * @throws {SyntaxError} as {@link rawItems} does.
 */
export function rawItemsText(text: string): { readonly text: string; readonly count: number } {
  const { items, compact } = scanData(text);
  return { text: compact ?? items.join(','), count: items.length };
}

interface DataArray {
  readonly items: string[];
  /** The text between the brackets, when it holds no insignificant whitespace. */
  readonly compact: string | undefined;
}

function scanData(text: string): DataArray {
  let data: DataArray | undefined;
  let i = skipWhitespace(text, 0);
  expectChar(text, i, OPEN_BRACE);
  i = skipWhitespace(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_BRACE) throw missingData();
  for (;;) {
    expectChar(text, i, QUOTE);
    const keyEnd = skipString(text, i);
    const isData = isDataKey(text, i, keyEnd);
    i = skipWhitespace(text, keyEnd);
    expectChar(text, i, COLON);
    i = skipWhitespace(text, i + 1);
    if (isData) {
      if (text.charCodeAt(i) !== OPEN_BRACKET) throw new SyntaxError(`Expected \`data\` to be an array at position ${i}`);
      const parsed = arrayElements(text, i);
      data = parsed;
      i = parsed.end;
    } else {
      i = skipValue(text, i).end;
    }
    i = skipWhitespace(text, i);
    const next = text.charCodeAt(i);
    if (next === CLOSE_BRACE) break;
    expectChar(text, i, COMMA);
    i = skipWhitespace(text, i + 1);
  }
  if (data === undefined) throw missingData();
  return data;
}

function endsScalar(code: number): boolean {
  return code === COMMA || code === CLOSE_BRACKET || code === CLOSE_BRACE || isJsonWhitespace(code);
}

function skipWhitespace(text: string, i: number): number {
  while (isJsonWhitespace(text.charCodeAt(i))) i++;
  return i;
}

function expectChar(text: string, i: number, code: number): void {
  if (text.charCodeAt(i) !== code) {
    const found = i < text.length ? JSON.stringify(text.charAt(i)) : 'the end of the text';
    throw new SyntaxError(`Expected ${JSON.stringify(String.fromCharCode(code))} at position ${i}, found ${found}`);
  }
}

function missingData(): SyntaxError {
  return new SyntaxError('Expected a top-level `data` array, found none');
}

/**
 * The index just past the closing quote of the string opening at `start`.
 * A quote closes the string when an even number of backslashes precede it.
 */
function skipString(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) throw new SyntaxError(`Unterminated string at position ${start}`);
    let backslash = quote - 1;
    // The opening quote stops this loop: it is not a backslash.
    while (text.charCodeAt(backslash) === BACKSLASH) backslash--;
    if ((quote - 1 - backslash) % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

function isDataKey(text: string, start: number, end: number): boolean {
  if (end - start === 6) return text.startsWith('"data"', start);
  // An escaped spelling such as "d\u0061ta" is still the key `data`.
  for (let i = start + 1; i < end - 1; i++) {
    if (text.charCodeAt(i) === BACKSLASH) {
      const key: unknown = JSON.parse(text.slice(start, end));
      return key === 'data';
    }
  }
  return false;
}

interface Scanned {
  /** The index just past the value. */
  readonly end: number;
  /** Whether insignificant whitespace occurs inside the value. */
  readonly spaced: boolean;
}

/** Skips the value starting at `start` (not at whitespace). */
function skipValue(text: string, start: number): Scanned {
  const first = text.charCodeAt(start);
  if (first === QUOTE) return { end: skipString(text, start), spaced: false };
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let i = start;
    while (i < text.length && !endsScalar(text.charCodeAt(i))) i++;
    if (i === start) throw new SyntaxError(`Expected a value at position ${start}`);
    return { end: i, spaced: false };
  }
  let depth = 0;
  let spaced = false;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = skipString(text, i) - 1;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth++;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      if (--depth === 0) return { end: i + 1, spaced };
    } else if (!spaced && isJsonWhitespace(code)) {
      spaced = true;
    }
  }
  throw new SyntaxError(`Unterminated ${first === OPEN_BRACE ? 'object' : 'array'} at position ${start}`);
}

/** The elements of the array opening at `start`, each compacted to one line. */
function arrayElements(text: string, start: number): DataArray & { readonly end: number } {
  const items: string[] = [];
  let i = skipWhitespace(text, start + 1);
  let spaced = i !== start + 1;
  for (;;) {
    if (text.charCodeAt(i) === CLOSE_BRACKET && items.length === 0) break;
    const element = skipValue(text, i);
    spaced ||= element.spaced;
    items.push(element.spaced ? compact(text, i, element.end) : text.slice(i, element.end));
    i = skipWhitespace(text, element.end);
    spaced ||= i !== element.end;
    if (text.charCodeAt(i) === CLOSE_BRACKET) break;
    expectChar(text, i, COMMA);
    const next = skipWhitespace(text, i + 1);
    spaced ||= next !== i + 1;
    i = next;
  }
  return { items, end: i + 1, compact: spaced ? undefined : text.slice(start + 1, i) };
}

/** `text.slice(start, end)` without the whitespace outside strings, built from whole runs, not characters. */
function compact(text: string, start: number, end: number): string {
  const runs: string[] = [];
  let runStart = start;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = skipString(text, i) - 1;
    } else if (isJsonWhitespace(code)) {
      runs.push(text.slice(runStart, i));
      i = skipWhitespace(text, i) - 1;
      runStart = i + 1;
    }
  }
  runs.push(text.slice(runStart, end));
  return runs.join('');
}
