/**
 * The API's limits on a completion's metadata, stated once for the library, the CLI and the
 * emulator: at most 16 pairs, keys of at most 64 characters, values of at most 512.
 *
 * The spec says "characters". The API is a Python service whose validation messages ("Expected a
 * string with maximum length 512, but got a string with length 513") are those of its length
 * check, and Python counts a string's length in code points: an emoji is one character, not the
 * two UTF-16 units JavaScript's `length` counts. So every side counts with {@link metadataLength}.
 */
export const METADATA_LIMITS = { maxKeys: 16, maxKeyLength: 64, maxValueLength: 512 } as const;

/**
 * The length of a metadata key or value as the API counts it: Unicode code points (a lone
 * surrogate counts as one).
 *
 * @param text A key or a value.
 * @returns Its length in code points.
 */
export function metadataLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
