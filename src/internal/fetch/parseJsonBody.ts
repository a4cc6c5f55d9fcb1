import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, isJsonWhitespace, OPEN_BRACE, OPEN_BRACKET, QUOTE } from '../json/jsonChars';
import { bomLength, decodeUtf8 } from './decodeUtf8';

/**
 * Parses a JSON body as `JSON.parse(decodeUtf8(body))` does, with the same
 * result and the same errors, but a large list page (an object with a
 * top-level `data` array) element by element: its envelope, then each item
 * of `data` decoded and parsed on its own.
 *
 * Why: V8 puts a string above 128 KB in its large-object space, which maps
 * fresh memory for each and unmaps it once it is collected. A page of 100
 * completions is about 150 KB of UTF-8, and as text in many scripts a
 * two-byte string of twice that: decoding and parsing it whole cost about
 * twice as much CPU, a third of it in the kernel, as decoding and parsing its
 * items one by one, each a young string of a few KB (docs/performance.md).
 *
 * The split is only a shortcut: whatever it does not recognise (no `data`
 * array, a top-level key with an escape, a piece that does not parse) sends
 * the body to the whole parse, which decides and throws what it always threw. The pieces cut the text at commas and brackets outside
 * strings, all ASCII, so they decode to the characters the whole text holds.
 *
 * @param body The body's bytes.
 * @returns The parsed value.
 * @throws {SyntaxError} when the body is not JSON.
 */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length >= MIN_SPLIT_BYTES) {
    const page = parseByItems(body);
    if (page !== undefined) return page;
  }
  return JSON.parse(decodeUtf8(body));
}

/**
 * Bodies smaller than this are parsed whole: their text stays below the
 * large-object threshold (a two-byte string of 64 K characters is 128 KB), and
 * splitting them would only add the scan.
 */
const MIN_SPLIT_BYTES = 64 * 1024;

/** The page parsed envelope first, then item by item; `undefined` when the body is not one the split knows. */
function parseByItems(body: Buffer): object | undefined {
  const list = dataArray(body);
  if (list === undefined) return undefined;
  try {
    const envelope: unknown = JSON.parse(`${body.toString('utf8', bomLength(body), list.open + 1)}${body.toString('utf8', list.close)}`);
    if (typeof envelope !== 'object' || envelope === null || !isEmptyArray((envelope as { data?: unknown }).data)) return undefined;
    const data: unknown[] = new Array<unknown>(list.items.length / 2);
    for (let k = 0; k < data.length; k++) data[k] = JSON.parse(body.toString('utf8', list.items[2 * k], list.items[2 * k + 1]));
    (envelope as { data: unknown[] }).data = data;
    return envelope;
  } catch {
    return undefined;
  }
}

function isEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}

/** Where the top-level `data` array of an object body opens and closes, and its elements' byte ranges. */
interface DataArray {
  /** The index of its `[`. */
  readonly open: number;
  /** The index of its `]`. */
  readonly close: number;
  /** Start and end (exclusive) of each element, in turn: `[start0, end0, start1, end1, …]`. */
  readonly items: number[];
}

/**
 * Finds the top-level `data` array of an object body, following the JSON
 * structure byte by byte (strings skipped with their escapes) without
 * checking it: the parses that follow check every piece. Of `data` named
 * twice, the last, which is the one `JSON.parse` keeps (the envelope holds
 * the others). `undefined` for a body that is no object, has no `data` array,
 * or has a key with an escape (which might be `data` to `JSON.parse`).
 */
function dataArray(body: Buffer): DataArray | undefined {
  let i = skipWhitespace(body, bomLength(body));
  if (body[i] !== OPEN_BRACE) return undefined;
  let found: DataArray | undefined;
  i = skipWhitespace(body, i + 1);
  while (body[i] === QUOTE) {
    const keyEnd = stringEnd(body, i);
    if (keyEnd === -1) return undefined;
    const isData = keyEnd - i === 6 && body[i + 1] === 0x64 && body[i + 2] === 0x61 && body[i + 3] === 0x74 && body[i + 4] === 0x61;
    if (!isData && hasEscape(body, i + 1, keyEnd - 1)) return undefined;
    i = skipWhitespace(body, keyEnd);
    if (body[i] !== COLON) return undefined;
    i = skipWhitespace(body, i + 1);
    if (isData) {
      if (body[i] !== OPEN_BRACKET) return undefined;
      found = elements(body, i);
      if (found === undefined) return undefined;
      i = found.close + 1;
    } else {
      i = valueEnd(body, i);
      if (i === -1) return undefined;
    }
    i = skipWhitespace(body, i);
    if (body[i] !== COMMA) break;
    i = skipWhitespace(body, i + 1);
  }
  return body[i] === CLOSE_BRACE ? found : undefined;
}

/** The elements of the array opening at `open`. */
function elements(body: Buffer, open: number): DataArray | undefined {
  const items: number[] = [];
  let i = skipWhitespace(body, open + 1);
  if (body[i] === CLOSE_BRACKET) return { open, close: i, items };
  for (;;) {
    const end = valueEnd(body, i);
    if (end === -1) return undefined;
    items.push(i, end);
    i = skipWhitespace(body, end);
    if (body[i] === CLOSE_BRACKET) return { open, close: i, items };
    if (body[i] !== COMMA) return undefined;
    i = skipWhitespace(body, i + 1);
  }
}

/** The index just past the value starting at `start`, or -1 when its end is not found. */
function valueEnd(body: Buffer, start: number): number {
  const first = body[start];
  if (first === QUOTE) return stringEnd(body, start);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let i = start;
    while (i < body.length && !endsScalar(body[i] as number)) i++;
    return i === start ? -1 : i;
  }
  let depth = 0;
  for (let i = start; i < body.length; i++) {
    const byte = body[i];
    if (byte === QUOTE) {
      const end = stringEnd(body, i);
      if (end === -1) return -1;
      i = end - 1;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth++;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * The index just past the quote that closes the string opening at `open`, or -1. Short strings
 * (keys) are read byte by byte; a longer one is searched for its quote with `indexOf`, whose
 * call costs more than a few bytes read here but reads texts many times faster.
 */
function stringEnd(body: Buffer, open: number): number {
  const short = Math.min(open + SHORT_STRING_BYTES, body.length);
  let i = open + 1;
  for (; i < short; i++) {
    const byte = body[i];
    if (byte === QUOTE) return i + 1;
    if (byte === BACKSLASH) i++;
  }
  for (;;) {
    const quote = body.indexOf(QUOTE, i);
    if (quote === -1) return -1;
    let backslashes = 0;
    while (body[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/** See {@link stringEnd}. */
const SHORT_STRING_BYTES = 24;

function hasEscape(body: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (body[i] === BACKSLASH) return true;
  return false;
}

function skipWhitespace(body: Buffer, i: number): number {
  while (i < body.length && isJsonWhitespace(body[i]!)) i++;
  return i;
}

function endsScalar(byte: number): boolean {
  return byte === COMMA || byte === CLOSE_BRACKET || byte === CLOSE_BRACE || isJsonWhitespace(byte);
}
