import {
  BehaviorSubject,
  concat,
  concatMap,
  defer,
  EMPTY,
  expand,
  filter,
  finalize,
  map,
  switchMap,
  take,
  type Observable,
  type ObservableInput,
} from 'rxjs';
import { CursorError } from '../../errors';
import { EarlyPage } from './EarlyPage';

/** What the settled walk needs of an item: its id, and the second it was created. */
export interface DatedItem {
  readonly id: string;
  readonly created: number;
}

/** One page as the settled walk reads it: its items in the server's order, and whether more follow. */
export interface DatedPage<T extends DatedItem> {
  readonly items: readonly T[];
  readonly hasMore: boolean;
}

/**
 * One page after `after` (the start for `undefined`), emitted once; each call
 * a request of its own. It may call `peek`, before it emits the page, with the
 * page's items as its raw body names them (see {@link settledWalk}).
 */
export type DatedPageFetch<T extends DatedItem> = (after: string | undefined, peek: (page: DatedPage<DatedItem>) => void) => Observable<DatedPage<T>>;

/**
 * The group of the cursor: the `created` second of the item the next page
 * starts after, and the ids of that second already emitted. The group is
 * complete when the cursor is chosen (see {@link settlePage}), so any item of
 * that second on the next page is one of them, repeated.
 */
export interface CursorGroup {
  readonly created: number;
  readonly ids: ReadonlySet<string>;
}

/** What {@link settlePage} decides about a page. */
export interface SettledPage<T extends DatedItem> {
  /** The items to emit now, in the page's order: none seen before, none of an unfinished second. */
  readonly items: readonly T[];
  /** Where the next page starts, or `undefined` when the walk is done. */
  readonly after: string | undefined;
  /** The group of `after`; `undefined` when done. */
  readonly group: CursorGroup | undefined;
}

/**
 * The cursor step of a walk that survives a server that orders the items
 * of one second differently on every call, as a pure function.
 *
 * The API orders by `created` and promises no order within a second. A page
 * that ends inside a second, followed with the usual cursor (its last item),
 * can then skip items of that second (they were before the cursor in the
 * next call's order) or repeat them. So the items of the page's last second
 * are held back, and the next page starts after the last item of an earlier
 * second instead: that second is complete on this page (a page is one call,
 * contiguous in one order, and the server sorts by `created`), so the next
 * page starts with the rest of it, which are repeats and are dropped by id,
 * then holds the held-back second whole, unless it is larger than a page.
 *
 * When a page holds nothing new but its last second (one second with about
 * a page of completions), there is no earlier cursor that makes progress:
 * the page is emitted whole and the walk continues after its last item, as
 * the plain walk does. Against a server that reorders ties this is the one
 * case where an item can still be missed.
 *
 * @param page The page's items and `has_more`.
 * @param group The group of the cursor the page was fetched after, if any.
 * @returns What to emit, and where to go next.
 * @throws {CursorError} `empty_page_with_more` for an empty page that says more follow.
 */
export function settlePage<T extends DatedItem>(page: DatedPage<T>, group: CursorGroup | undefined): SettledPage<T> {
  const { items } = page;
  const fresh = group === undefined ? items : items.filter((item) => !(item.created === group.created && group.ids.has(item.id)));
  if (!page.hasMore) return { items: fresh, after: undefined, group: undefined };
  const last = items[items.length - 1];
  if (last === undefined) {
    throw new CursorError('empty_page_with_more', 'A page holds no item but says has_more: true; there is no cursor to continue from', undefined);
  }
  const settled = fresh.filter((item) => item.created !== last.created);
  const anchor = [...items].reverse().find((item) => item.created !== last.created);
  if (settled.length > 0 && anchor !== undefined) {
    const ids = new Set(items.filter((item) => item.created === anchor.created).map((item) => item.id));
    return { items: settled, after: anchor.id, group: { created: anchor.created, ids } };
  }
  const ids = new Set(group?.created === last.created ? group.ids : []);
  for (const item of fresh) ids.add(item.id);
  return { items: fresh, after: last.id, group: { created: last.created, ids } };
}

/**
 * A walk of a cursor list that emits each item once, whatever order the
 * server gives the items of one second on each call (see {@link settlePage}),
 * paced by its consumer as `processPages` is: page k is requested once
 * `consume` has finished all pages but `prefetch` of those before it.
 *
 * A fetch may `peek`: tell the walk, from the raw page, before it is decoded,
 * the ids and `created` of its items and its `has_more`. The walk then settles
 * that guess and, if the pacing allows it already, sends the request for the
 * page after at once, so that it travels while the page is decoded. The guess
 * is only a guess: the decoded page is settled again, and the request is kept
 * only when both give the same cursor; otherwise it is cancelled and the right
 * page is fetched. What is emitted is the same either way; a wrong guess costs
 * a request.
 *
 * @param fetchPage One page after `after`, which may `peek`.
 * @param start The cursor the walk starts after, if any.
 * @param prefetch Pages requested ahead of the consumer: 0 sends a request only once the consumer is done with the page before.
 * @param consume Runs on each page's settled items; the walk waits for it.
 * @returns What `consume` emits, page after page.
 * @throws {CursorError} `cursor_not_advancing` when a cursor comes back, instead of looping.
 */
export function settledWalk<T extends DatedItem, R>(
  fetchPage: DatedPageFetch<T>,
  start: string | undefined,
  prefetch: number,
  consume: (items: readonly T[]) => ObservableInput<R>,
): Observable<R> {
  return defer(() => {
    const finished = new BehaviorSubject(0);
    const visited = new Set(start === undefined ? [] : [start]);
    let group: CursorGroup | undefined;
    /** Pages settled so far: `group` is the group of page `settled`'s cursor. */
    let settled = 0;
    const early = new EarlyPage<DatedPage<T>>();
    const peekOf =
      (pageIndex: number) =>
      (peeked: DatedPage<DatedItem>): void => {
        // Only with the group this page's cursor had, and when the next page may be requested now.
        if (settled !== pageIndex || finished.value < pageIndex + 1 - prefetch) return;
        let after: string | undefined;
        try {
          after = settlePage(peeked, group).after;
        } catch {
          // A page the walk will refuse once decoded (empty, with more to come): nothing to send.
          return;
        }
        if (after === undefined || visited.has(after)) return early.cancel();
        early.start(after, pageIndex + 1, fetchPage(after, peekOf(pageIndex + 1)));
      };
    /** The page after `after` sent early, if it was, else a new fetch; unsubscribing aborts either. */
    const fetchAt = (after: string | undefined, pageIndex: number): Observable<DatedPage<T>> =>
      early.claim(after, pageIndex) ?? fetchPage(after, peekOf(pageIndex));
    const step = (after: string | undefined, pageIndex: number): Observable<{ items: readonly T[]; next: number; after: string | undefined }> =>
      finished.pipe(
        filter((count) => count >= pageIndex - prefetch),
        take(1),
        switchMap(() => fetchAt(after, pageIndex)),
        map((page) => {
          const result = settlePage(page, group);
          group = result.group;
          settled = pageIndex + 1;
          if (result.after !== undefined) {
            if (visited.has(result.after)) {
              throw new CursorError('cursor_not_advancing', `The walk came back to the cursor ${JSON.stringify(result.after)}; continuing would loop forever`, after);
            }
            visited.add(result.after);
          }
          return { items: result.items, next: pageIndex + 1, after: result.after };
        }),
      );
    return step(start, 0).pipe(
      expand((page) => (page.after === undefined ? EMPTY : step(page.after, page.next))),
      concatMap((page) =>
        concat(
          consume(page.items),
          defer(() => {
            finished.next(finished.value + 1);
            return EMPTY;
          }),
        ),
      ),
      finalize(() => early.cancel()),
    );
  });
}
