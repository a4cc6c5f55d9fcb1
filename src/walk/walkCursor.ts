import { defer, EMPTY, expand, map, Observable } from 'rxjs';
import { nextCursor, type CursorStep } from './nextCursor';

/**
 * Walks a cursor chain: fetches the first page, then, page after page, the
 * one after the previous page's last item, until a page says `has_more: false`.
 *
 * Built on `expand` with one page in flight: each page is emitted before the
 * next is requested, so a consumer that stops (`take`, `first`, `takeUntil`)
 * while a page is being emitted never causes a request it does not need.
 * Each subscription is its own walk; nothing is sent before subscribe.
 *
 * ## Example
 * ```ts
 * import { walkCursor } from 'rx-stored-completions';
 * const pages$ = walkCursor((after) => fetchPageAfter(after));
 * ```
 *
 * @param fetchPage Returns a cold Observable of the page after `after`
 *   (`undefined` for the first page), emitting the parsed page once;
 *   `pageIndex` counts the pages of this walk from 0, for pacing.
 * @param after Where the walk starts: the id of the item before its first item.
 * @returns An Observable of the parsed pages, in chain order.
 * @throws {CursorError} through the Observable, when the chain breaks.
 * @see nextCursor
 */
export function walkCursor<P>(
  fetchPage: (after: string | undefined, pageIndex: number) => Observable<P>,
  after?: string,
): Observable<P> {
  return defer(() => {
    const visited = new Set<string>(after === undefined ? [] : [after]);
    let pageIndex = 0;
    // The step is taken before the page is emitted, so a page that repeats
    // an earlier one fails the walk instead of emitting its items twice.
    const fetchAfter = (cursor: string | undefined): Observable<{ page: P; step: CursorStep }> =>
      fetchPage(cursor, pageIndex++).pipe(map((page) => ({ page, step: nextCursor(page, cursor, visited) })));
    return fetchAfter(after).pipe(
      expand(({ step }) => (step.done ? EMPTY : unlessClosed(fetchAfter(step.after)))),
      map(({ page }) => page),
    );
  });
}

/**
 * `expand` emits a value, then subscribes to its projection even when that
 * emission made the consumer unsubscribe (`take(5)` reaching its fifth item):
 * the subscriber it passes is already closed. Subscribing then would send a
 * request only to abort it at once, and the request may still reach the
 * server. Checking `closed` first keeps `take(n)` to the requests it needs.
 */
function unlessClosed<T>(source: Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => (subscriber.closed ? undefined : source.subscribe(subscriber)));
}
