import { CursorError } from '../errors';

/** Where the walk goes after a page. */
export type CursorStep =
  | { readonly done: true }
  | { readonly done: false; readonly after: string };

/**
 * The cursor step, as a pure function: after a page fetched with `after`,
 * either the walk is done or it continues after the page's last item.
 *
 * The next cursor is the last item's `id`, not `last_id`: real servers send
 * `last_id` as null or leave it out. Two breaks of the chain throw a
 * {@link CursorError} instead of looping or truncating in silence:
 * `has_more: true` on an empty page, and a cursor already visited (a page that
 * repeats itself, or a cycle).
 *
 * A page too malformed to read a cursor from (no `data` array, a last item
 * without a string `id`, `has_more` not a boolean) ends the walk here: the
 * page decoder, which sees every page, reports it with its exact path.
 *
 * @param page The parsed page.
 * @param after The cursor the page was fetched with.
 * @param visited Every cursor of this walk so far; the new one is added.
 * @returns The next step.
 */
export function nextCursor(page: unknown, after: string | undefined, visited: Set<string>): CursorStep {
  const { data, has_more: hasMore } = (page ?? {}) as { data?: unknown; has_more?: unknown };
  if (hasMore !== true || !Array.isArray(data)) return { done: true };
  if (data.length === 0) {
    throw new CursorError(
      'empty_page_with_more',
      `The page after ${describe(after)} holds no item but says has_more: true; there is no cursor to continue from`,
      after,
    );
  }
  const last: unknown = data[data.length - 1];
  const id = (last as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') return { done: true };
  if (visited.has(id)) {
    throw new CursorError(
      'cursor_not_advancing',
      `The page after ${describe(after)} ends at ${JSON.stringify(id)}, a cursor this walk has already visited; continuing would loop forever`,
      after,
    );
  }
  visited.add(id);
  return { done: false, after: id };
}

function describe(after: string | undefined): string {
  return after === undefined ? 'the start' : JSON.stringify(after);
}
