import { defer, tap, type MonoTypeOperatorFunction } from 'rxjs';
import { CursorError } from '../../errors';

/** The least of a page this check reads: its items, which may have a `created`. */
interface PageOfItems {
  readonly data: ReadonlyArray<{ readonly id: string }>;
}

/**
 * Checks that the server honours the `order` a walk asked for, on the first page that can tell:
 * the first whose items hold two distinct `created` values. Its items must be in that order by
 * `created` (ties in any order); otherwise the walk fails with a {@link CursorError}
 * `order_not_respected` before the page is emitted. A server that ignores `order` would otherwise
 * go unnoticed, and whatever relies on the order would go wrong in silence: `createdWithin(…,
 * 'desc')` would stop at the first completion, as older than the window.
 *
 * One page is checked, not every page: a server that honours `order` on its first page does on
 * the others, and the walk then costs nothing more. Pages whose items have no numeric `created`
 * (a list of messages) never tell, and are never checked.
 *
 * @param order The order the walk asked for.
 * @param after Where the walk starts, for the error.
 * @returns An operator on the walk's pages.
 */
export function checkCreatedOrder<P extends PageOfItems>(order: 'asc' | 'desc', after: string | undefined): MonoTypeOperatorFunction<P> {
  return (pages) =>
    defer(() => {
      let told = false;
      let cursor = after;
      return pages.pipe(
        tap((page) => {
          if (!told) told = checkPage(page, order, cursor);
          cursor = page.data[page.data.length - 1]?.id ?? cursor;
        }),
      );
    });
}

/**
 * @returns Whether the page could tell the order (then it was in it).
 * @throws {CursorError} when the page tells another order.
 */
function checkPage(page: PageOfItems, order: 'asc' | 'desc', after: string | undefined): boolean {
  let previous: { readonly id: string; readonly created: number } | undefined;
  let distinct = false;
  let against: [{ readonly id: string; readonly created: number }, { readonly id: string; readonly created: number }] | undefined;
  for (const item of page.data) {
    const created = (item as { readonly created?: unknown }).created;
    if (typeof created !== 'number') continue;
    if (previous !== undefined && created !== previous.created) {
      distinct = true;
      if (against === undefined && (order === 'asc' ? created < previous.created : created > previous.created)) {
        against = [previous, { id: item.id, created }];
      }
    }
    previous = { id: item.id, created };
  }
  if (against !== undefined) {
    const [first, second] = against;
    throw new CursorError(
      'order_not_respected',
      `The server ignores \`order: '${order}'\`: the page after ${after === undefined ? 'the start' : JSON.stringify(after)} lists ` +
        `${JSON.stringify(first.id)} (created ${first.created}) before ${JSON.stringify(second.id)} (created ${second.created}). ` +
        'Whatever relies on the order (createdWithin stops at the first completion beyond its window) would lose completions in silence; ' +
        'walk without `order`, in the server\'s own order',
      after,
    );
  }
  return distinct;
}
