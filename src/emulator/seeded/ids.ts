import { hash32, type Rng } from './prng';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// Ids are built on every listed item, so digits come from tables: `Number#toString(16)` takes a
// slow path for numbers above 2^31, and one-character concatenations allocate a string each.
const BASE62_CODES = Array.from(BASE62, (ch) => ch.charCodeAt(0));
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Real ids look like `chatcmpl-AyPNinnUqUDYo9SAdA52NobMflmj2`: the prefix and 29 base62 characters. */
const COMPLETION_ID_PREFIX = 'chatcmpl-';
const ID_BODY_LENGTH = 29;
/**
 * The first six characters carry the scrambled index: 62^6 is a little over 13 * 2^32, so the
 * 32-bit word is spread over 13 blocks to make the first character vary like the rest.
 */
const INDEX_CHARS = 6;
const INDEX_BLOCKS = 13;
const TAIL_CHARS_PER_WORD = 5;
const ID_STREAM = 0x1d7a11;
const REQUEST_ID_STREAM = 0x7e9e57;

/** Appends `length` base62 digits of `value` (least significant first) to `codes`. */
function pushBase62(codes: number[], value: number, length: number): void {
  for (let i = 0; i < length; i++) {
    codes.push(BASE62_CODES[value % 62] ?? 0);
    value = Math.floor(value / 62);
  }
}

function base62Word(words: () => number, length: number): string {
  const codes: number[] = [];
  while (codes.length < length) pushBase62(codes, words(), TAIL_CHARS_PER_WORD);
  return String.fromCharCode(...codes.slice(0, length));
}

function hex8(word: number): string {
  return (
    (HEX_BYTES[word >>> 24] ?? '') +
    (HEX_BYTES[(word >>> 16) & 0xff] ?? '') +
    (HEX_BYTES[(word >>> 8) & 0xff] ?? '') +
    (HEX_BYTES[word & 0xff] ?? '')
  );
}

/**
 * The `request_id` a seeded completion records, derived from its index without a generator.
 *
 * @param seed the history's seed.
 * @param index the completion's index.
 * @returns e.g. `req_ded8ab984ec4bf840f37566c1011c417`.
 */
export function seededRequestId(seed: number, index: number): string {
  const first = hash32(seed, index, REQUEST_ID_STREAM);
  return `req_${hex8(first)}${hex8(hash32(first, 1, 0))}${hex8(hash32(first, 2, 0))}${hex8(hash32(first, 3, 0))}`;
}

/**
 * A `system_fingerprint` value, `fp_` and ten hex digits.
 *
 * @param word a hash of what the fingerprint identifies (a model, a deployment week).
 * @returns the fingerprint's JSON text, e.g. `"fp_50cad350e4"`.
 */
export function systemFingerprint(word: number): string {
  return `"fp_${hex8(word)}${(HEX_BYTES[hash32(word, 1, 0) & 0xff] ?? '')}"`;
}

/**
 * A tool-call id, shaped like the API's `call_` ids.
 *
 * @param rng the stream to draw from.
 * @returns `call_` and 24 base62 characters.
 */
export function toolCallId(rng: Rng): string {
  return `call_${base62Word(() => rng.int(0x100000000), 24)}`;
}

/**
 * A completion id whose body is random rather than an encoded index: used for completions created
 * over HTTP, which live in a map rather than at a seeded index.
 *
 * @param rng the stream to draw from.
 * @returns `chatcmpl-` and 29 base62 characters.
 */
export function randomCompletionId(rng: Rng): string {
  return COMPLETION_ID_PREFIX + base62Word(() => rng.int(0x100000000), ID_BODY_LENGTH);
}

// An invertible scramble of 32-bit words (xor-shifts and odd multipliers are both bijections), so
// a seeded completion's id decodes back to its index without a map holding a million ids.
const M1 = 0x7feb352d;
const M2 = 0x846ca68b;
const M1_INVERSE = inverseOdd(M1);
const M2_INVERSE = inverseOdd(M2);

function inverseOdd(m: number): number {
  // Newton's iteration doubles the number of correct low bits each round: 5 rounds cover 32.
  let inverse = m;
  for (let i = 0; i < 5; i++) inverse = Math.imul(inverse, 2 - Math.imul(m, inverse));
  return inverse >>> 0;
}

function scramble(x: number): number {
  x = Math.imul(x ^ (x >>> 16), M1);
  x = Math.imul(x ^ (x >>> 15), M2);
  return (x ^ (x >>> 16)) >>> 0;
}

function unshift(x: number, shift: number): number {
  let y = x;
  for (let s = shift; s < 32; s += shift) y = x ^ (y >>> shift);
  return y >>> 0;
}

function unscramble(x: number): number {
  x = unshift(x, 16);
  x = unshift(Math.imul(x, M2_INVERSE) >>> 0, 15);
  return unshift(Math.imul(x, M1_INVERSE) >>> 0, 16);
}

/**
 * The id of the seeded completion at `index`: looks random, is unique per index, and decodes back
 * with {@link seededIndexOf}.
 *
 * @param seed the history's seed.
 * @param index the completion's index in the seeded history.
 * @returns `chatcmpl-` and 29 base62 characters.
 */
export function seededCompletionId(seed: number, index: number): string {
  const word = hash32(seed, index, ID_STREAM);
  const scrambled = scramble((index ^ hash32(seed, ID_STREAM, 0)) >>> 0);
  const codes: number[] = [];
  pushBase62(codes, (word % INDEX_BLOCKS) * 0x100000000 + scrambled, INDEX_CHARS);
  for (let i = 1; codes.length < ID_BODY_LENGTH; i++) pushBase62(codes, hash32(word, i, ID_STREAM), TAIL_CHARS_PER_WORD);
  return COMPLETION_ID_PREFIX + String.fromCharCode(...codes.slice(0, ID_BODY_LENGTH));
}

/**
 * The inverse of {@link seededCompletionId}.
 *
 * @param seed the history's seed.
 * @param count how many completions the history has.
 * @param id any string.
 * @returns the index, or `undefined` when `id` is not the id of a seeded completion.
 */
export function seededIndexOf(seed: number, count: number, id: string): number | undefined {
  if (id.length !== COMPLETION_ID_PREFIX.length + ID_BODY_LENGTH || !id.startsWith(COMPLETION_ID_PREFIX)) {
    return undefined;
  }
  let value = 0;
  for (let i = INDEX_CHARS - 1; i >= 0; i--) {
    const digit = BASE62.indexOf(id.charAt(COMPLETION_ID_PREFIX.length + i));
    if (digit < 0) return undefined;
    value = value * 62 + digit;
  }
  const index = (unscramble(value % 0x100000000) ^ hash32(seed, ID_STREAM, 0)) >>> 0;
  // Re-encoding checks the block and the tail too, so a forged or mistyped id is unknown rather
  // than an alias of a real one.
  return index < count && seededCompletionId(seed, index) === id ? index : undefined;
}
