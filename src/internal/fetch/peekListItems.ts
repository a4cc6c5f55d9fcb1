import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE } from '../json/jsonChars';

/** What {@link peekListItems} reads of a list page: each item's `id` and `created`, in order, and `has_more`. */
export interface PeekedList {
  readonly items: ReadonlyArray<{ readonly id: string; readonly created: number }>;
  readonly hasMore: boolean;
}

/**
 * Reads the `id` and `created` of each item of a list page, and its
 * `has_more`, from the raw body, without decoding or parsing it: the settled
 * walk's next cursor depends on those alone, so it can be guessed while the
 * body still waits to be parsed.
 *
 * It follows the JSON structure (strings are skipped whole, with their
 * escapes), so key order, whitespace and nested `id`s do not fool it; but it
 * checks nothing else, and whoever acts on it must check the result against
 * the decoded page. It gives up, with `undefined`, on what it would need a
 * real parse for: an `id` with an escape, a `created` that is no integer, an
 * item without either, or no boolean `has_more`. A body with no `data` array
 * reads as a page of no items: the decoded page, which refuses it, decides.
 *
 * @param body The raw body of a list page, as UTF-8 bytes.
 * @returns What it read, or `undefined`.
 */
export function peekListItems(body: Buffer): PeekedList | undefined {
  const items: Array<{ id: string; created: number }> = [];
  // Whether each open container is an object; the page's items are the objects at depth 3 inside `data`.
  const objects: boolean[] = [];
  let expectKey = false;
  let key = '';
  let topKey = '';
  let inData = false;
  let hasMore: boolean | undefined;
  let id: string | undefined;
  let created: number | undefined;
  const end = body.length;
  let i = 0;
  while (i < end) {
    const byte = body[i] as number;
    if (byte === QUOTE) {
      const close = stringEnd(body, i);
      if (close === -1) return undefined;
      if (expectKey) {
        // Only the keys it reads are named: the others are many.
        const depth = objects.length;
        key = (depth === 3 && inData) || depth === 1 ? keyAt(body, i + 1, close) : '';
        if (depth === 1) topKey = key;
        expectKey = false;
      } else if (inData && objects.length === 3 && key === 'id') {
        id = body.toString('utf8', i + 1, close);
        if (id.includes('\\')) return undefined;
      }
      i = close + 1;
      continue;
    }
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      objects.push(byte === OPEN_BRACE);
      expectKey = byte === OPEN_BRACE;
      if (byte === OPEN_BRACKET && objects.length === 2 && topKey === 'data') inData = true;
      if (inData && objects.length === 3) {
        if (byte !== OPEN_BRACE) return undefined;
        id = undefined;
        created = undefined;
      }
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      if (inData && objects.length === 3) {
        if (id === undefined || created === undefined) return undefined;
        items.push({ id, created });
      }
      if (inData && objects.length === 2) inData = false;
      objects.pop();
      expectKey = false;
    } else if (byte === COMMA) {
      expectKey = objects[objects.length - 1] === true;
    } else if (byte !== COLON && byte > 0x20) {
      // A number, true, false or null: up to the next delimiter.
      let stop = i + 1;
      while (stop < end && !isDelimiter(body[stop] as number)) stop++;
      if (inData && objects.length === 3 && key === 'created') {
        created = Number(body.toString('latin1', i, stop));
        if (!Number.isSafeInteger(created)) return undefined;
      } else if (objects.length === 1 && topKey === 'has_more') {
        const scalar = body.toString('latin1', i, stop);
        hasMore = scalar === 'true' ? true : scalar === 'false' ? false : undefined;
      }
      i = stop;
      continue;
    }
    i++;
  }
  return hasMore === undefined || objects.length !== 0 ? undefined : { items, hasMore };
}

const NAMED = new Set(['id', 'created', 'data', 'has_more']);

/** The key between `start` and `end` if it is one of those read, else ''. */
function keyAt(body: Buffer, start: number, end: number): string {
  const length = end - start;
  if (length !== 2 && length !== 4 && length !== 7 && length !== 8) return '';
  const key = body.toString('latin1', start, end);
  return NAMED.has(key) ? key : '';
}

/** The index of the quote that closes the string opening at `open`, or -1. */
function stringEnd(body: Buffer, open: number): number {
  let close = body.indexOf(QUOTE, open + 1);
  while (close !== -1) {
    let backslashes = 0;
    while (body[close - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return close;
    close = body.indexOf(QUOTE, close + 1);
  }
  return -1;
}

function isDelimiter(byte: number): boolean {
  return byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || byte <= 0x20;
}
