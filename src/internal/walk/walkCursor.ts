import { defer, EMPTY, expand, finalize, map, ReplaySubject, Subscription, type Observable } from 'rxjs';
import { nextCursor } from './nextCursor';
import { WalkHistory } from './WalkHistory';

/**
 * Walks a cursor chain: fetches the first page, then, page after page, the
 * one after the previous page's last item, until a page says `has_more: false`.
 *
 * Built on `expand`, one page at a time, with one twist: the next page's
 * fetch is subscribed as soon as its cursor is known, before the current page
 * is emitted, so that its request can travel while the current page is
 * decoded and consumed. Whether it is sent at once is `fetchPage`'s call: the
 * client makes it wait until the consumer is done with enough pages (its
 * `prefetch` option), which is how `take(5)` sends one request and no more.
 * Unsubscribing tears down the fetch in flight, sent or waiting.
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
    const history = new WalkHistory(after);
    const inFlight = new Subscription();
    let pageIndex = 0;
    // The step is taken before the page is emitted, so a page that repeats
    // an earlier one, or any of its items, fails the walk instead of emitting them twice.
    const fetchAfter = (cursor: string | undefined): Observable<Step<P>> =>
      fetchPage(cursor, pageIndex++).pipe(
        map((page) => {
          const step = nextCursor(page, cursor, history);
          return { page, next: step.done ? EMPTY : started(fetchAfter(step.after)) };
        }),
      );
    // Subscribed now, its page (or error) kept until `expand` asks for it.
    const started = (fetch: Observable<Step<P>>): Observable<Step<P>> => {
      const result = new ReplaySubject<Step<P>>(1);
      inFlight.add(fetch.subscribe(result));
      return result;
    };
    // Each step holds the next page's fetch, whose buffer holds the next step:
    // letting go of it once taken keeps that chain from holding every page of
    // the walk alive (a tenth of the run went to the garbage collector before).
    const takeNext = (step: Step<P>): Observable<Step<P>> => {
      const { next } = step;
      step.next = EMPTY;
      return next;
    };
    return fetchAfter(after).pipe(
      expand(takeNext),
      map(({ page }) => page),
      finalize(() => inFlight.unsubscribe()),
    );
  });
}

interface Step<P> {
  readonly page: P;
  /** The next page's fetch, already subscribed; EMPTY after the last page, and once taken. */
  next: Observable<Step<P>>;
}
