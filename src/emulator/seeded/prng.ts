/**
 * Small deterministic randomness for the emulator: a 32-bit hash to derive independent streams
 * from `(seed, index, stream)`, and mulberry32 to draw from one stream.
 *
 * Everything the emulator invents (seeded history, ids, fault decisions) comes from here, so one
 * seed reproduces every byte. `Math.random` is never used.
 */

/** A source of uniform floats in [0, 1), with helpers for the draws the generators need. */
export interface Rng {
  /** A uniform float in [0, 1). */
  next(): number;
  /** A uniform integer in [0, n). */
  int(n: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T;
}

/**
 * Mixes three 32-bit words into one well-scrambled 32-bit word (murmur3's finaliser after each).
 *
 * Fixed arity rather than rest parameters: seeding a million completions calls this a few million
 * times, and an array per call would dominate start-up.
 *
 * @param a usually the seed.
 * @param b usually an index.
 * @param c usually a stream constant, so that one `(seed, index)` yields independent draws.
 * @returns an unsigned 32-bit hash.
 */
export function hash32(a: number, b: number, c: number): number {
  return mix(mix(mix(0x9e3779b9, a), b), c);
}

function mix(h: number, word: number): number {
  h = Math.imul(h ^ (word >>> 0), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Hashes a string (UTF-16 code units) into 32 bits, FNV-1a followed by {@link hash32}'s mixing.
 *
 * @param text any string.
 * @returns an unsigned 32-bit hash.
 */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return hash32(h, 0, 0);
}

/**
 * mulberry32: a tiny, fast generator with a 2^32 period, plenty for test data.
 *
 * @param state the initial 32-bit state, usually from {@link hash32}.
 * @returns a generator.
 */
export function mulberry32(state: number): Rng {
  let a = state >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
  };
}
