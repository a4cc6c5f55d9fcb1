/**
 * Reads the next cursor from a list page's raw body, without decoding or
 * parsing it: the `last_id` of a page that says `"has_more":true`, or `undefined`.
 *
 * A guess, for speculation only, and a cheap one: it looks at the last
 * occurrence of each key, which is the top-level one when, as in the API's
 * and the emulator's responses, `data` comes first. Whoever acts on it must
 * check it against the cursor the parsed page gives (the last item's `id`),
 * since a nested key, a reordered body or a `last_id` that is not the last
 * item's would make it wrong.
 *
 * @param body The raw body of a list page, as UTF-8 bytes.
 * @returns The guessed cursor, or `undefined` when the body does not say.
 */
export function peekNextCursor(body: Buffer): string | undefined {
  const hasMore = body.lastIndexOf('"has_more"');
  if (hasMore === -1 || !/^\s*:\s*true/.test(body.toString('latin1', hasMore + 10, hasMore + 20))) return undefined;
  const key = body.lastIndexOf('"last_id"');
  if (key === -1) return undefined;
  const open = body.indexOf('"', key + 9);
  if (open === -1 || body.toString('latin1', key + 9, open).trim() !== ':') return undefined;
  const close = body.indexOf('"', open + 1);
  const id = close === -1 ? '' : body.toString('utf8', open + 1, close);
  // An escape would need a real parse; ids have none.
  return id === '' || id.includes('\\') ? undefined : id;
}
