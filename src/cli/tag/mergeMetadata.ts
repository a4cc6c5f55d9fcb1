/** The most metadata keys a completion may hold, per the API. */
export const MAX_METADATA_KEYS = 16;

/** What `tag` does with one completion's metadata. */
export type MetadataChange =
  | { readonly kind: 'update'; readonly metadata: Readonly<Record<string, string>> }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'too-many'; readonly keys: number };

/**
 * Merges `--set` and `--unset` into a completion's metadata, keeping its other
 * keys, since the API replaces the metadata as a whole: removes the unset
 * keys, then sets the set ones.
 *
 * Keys are handled as data, never as property names of a plain object, so a
 * key such as `__proto__` is a key like any other.
 *
 * @param current The completion's metadata, as the list returned it (`null` for none).
 * @param set The pairs to set.
 * @param unset The keys to remove.
 * @returns The metadata to send; `unchanged` when it would be the same; `too-many` when it would exceed {@link MAX_METADATA_KEYS}.
 */
export function mergeMetadata(
  current: Readonly<Record<string, string>> | null | undefined,
  set: ReadonlyMap<string, string>,
  unset: ReadonlySet<string>,
): MetadataChange {
  const before = new Map(Object.entries(current ?? {}));
  const after = new Map(before);
  for (const key of unset) after.delete(key);
  for (const [key, value] of set) after.set(key, value);
  if (after.size === before.size && [...after].every(([key, value]) => before.get(key) === value)) return { kind: 'unchanged' };
  if (after.size > MAX_METADATA_KEYS) return { kind: 'too-many', keys: after.size };
  return { kind: 'update', metadata: Object.fromEntries(after) };
}
