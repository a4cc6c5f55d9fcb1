import { CursorError } from '../../errors';
import type { WalkHistory } from './WalkHistory';

/** Where the walk goes after a page. */
export type CursorStep =
  | { readonly done: true }
  | { readonly done: false; readonly after: string };

/**
 * The cursor step, as a pure function: after a page fetched with `after`,
 * either the walk is done or it continues after the page's last item.
 *
 * The next cursor is the last item's `id`, not `last_id`: real servers send
 * `last_id` as null or leave it out. Three breaks of the chain throw a
 * {@link CursorError} instead of looping, repeating or truncating in silence:
 * `has_more: true` on an empty page, a cursor already visited (a page that
 * repeats itself, or a cycle), and an item the walk has already seen (an
 * inclusive cursor, overlapping pages): the page fails before any of it is
 * emitted. See {@link WalkHistory} for how far back the walk looks.
 *
 * A page too malformed to read a cursor from (no `data` array, a last item
 * without a string `id`, `has_more` not a boolean) ends the walk here: the
 * page decoder, which sees every page, reports it with its exact path.
 *
 * @param page The parsed page.
 * @param after The cursor the page was fetched with.
 * @param history What this walk has seen so far; the page's items and its cursor are added.
 * @returns The next step.
 */
export function nextCursor(page: unknown, after: string | undefined, history: WalkHistory): CursorStep {
  const { data, has_more: hasMore } = (page ?? {}) as { data?: unknown; has_more?: unknown };
  if (!Array.isArray(data)) return { done: true };
  const last = idOf(data[data.length - 1]);
  if (hasMore === true && last !== undefined && history.isCursor(last)) {
    throw new CursorError(
      'cursor_not_advancing',
      `The page after ${describe(after)} ends at ${JSON.stringify(last)}, a cursor this walk has already visited; continuing would loop forever`,
      after,
    );
  }
  data.forEach((item: unknown, index) => {
    const id = idOf(item);
    if (id === undefined) return;
    if (history.hasSeen(id)) {
      throw new CursorError(
        'duplicate_item',
        `The page after ${describe(after)} repeats ${JSON.stringify(id)} (data[${index}]), an item this walk has already ` +
          'seen; the server\'s cursor is inclusive or its pages overlap, and nothing of this page was emitted',
        after,
      );
    }
    history.addItem(id);
  });
  if (hasMore !== true) return { done: true };
  if (data.length === 0) {
    throw new CursorError(
      'empty_page_with_more',
      `The page after ${describe(after)} holds no item but says has_more: true; there is no cursor to continue from`,
      after,
    );
  }
  if (last === undefined) return { done: true };
  history.addCursor(last);
  return { done: false, after: last };
}

function idOf(item: unknown): string | undefined {
  const id = (item as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

function describe(after: string | undefined): string {
  return after === undefined ? 'the start' : JSON.stringify(after);
}
