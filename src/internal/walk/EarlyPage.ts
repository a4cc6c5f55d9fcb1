import { Observable, ReplaySubject, type Subscription } from 'rxjs';

/**
 * A page requested before the walk knew it would want it: from a guess at
 * the next cursor, made while the current page is still being parsed. The
 * walk later asks for the page it does want; the early one is handed over
 * when it is that very page, and cancelled when it is not. At most one is
 * held: starting another cancels the one before.
 *
 * Shared by the speculation of `list()` and `pages()` and by the settled walk
 * of `rxsc sync`, which guess the cursor each in their own way.
 */
export class EarlyPage<P> {
  private held:
    | {
        readonly after: string;
        readonly pageIndex: number;
        readonly page: ReplaySubject<P>;
        readonly subscription: Subscription;
        readonly claimed: () => void;
      }
    | undefined;

  /**
   * Requests page `pageIndex`, after `after`, now, cancelling the one held.
   *
   * @param after Its cursor.
   * @param pageIndex Its index in the walk.
   * @param page The page's fetch, subscribed at once; its result is kept until claimed.
   * @param claimed Called when the walk takes it.
   */
  start(after: string, pageIndex: number, page: Observable<P>, claimed: () => void = () => undefined): void {
    this.cancel();
    const kept = new ReplaySubject<P>(1);
    const subscription = page.subscribe(kept);
    this.held = { after, pageIndex, page: kept, subscription, claimed };
  }

  /**
   * The page held, if it is the one after `after` at `pageIndex`; otherwise
   * `undefined`, and the one held, if any, is cancelled. Unsubscribing from the
   * page returned aborts its request.
   *
   * @param after The cursor the walk wants the page after.
   * @param pageIndex The index of that page.
   * @returns The page, or `undefined`: then fetch it anew.
   */
  claim(after: string | undefined, pageIndex: number): Observable<P> | undefined {
    const held = this.held;
    if (held === undefined || held.after !== after || held.pageIndex !== pageIndex) {
      this.cancel();
      return undefined;
    }
    this.held = undefined;
    held.claimed();
    return new Observable<P>((subscriber) => {
      held.page.subscribe(subscriber);
      return () => held.subscription.unsubscribe();
    });
  }

  /** Aborts the request of the page held, if any. */
  cancel(): void {
    this.held?.subscription.unsubscribe();
    this.held = undefined;
  }
}
