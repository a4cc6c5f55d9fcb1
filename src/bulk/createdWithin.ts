import { checkedOperator } from '../internal/core/checkedOperator';
import { defer, EMPTY, filter, finalize, from, Subject, takeUntil, takeWhile, type MonoTypeOperatorFunction, type ObservableInput } from 'rxjs';
import { forwardPacing, type PacedRunner, type PacingOptions } from '../internal/core/pacedSource';
import { createdWindowStep } from '../internal/walk/createdWindowStep';

/** A window of creation times, `since` included, `until` excluded; either end may be open. */
export interface CreatedWindow {
  /** Keep completions created at or after this instant: a `Date`, or Unix seconds like `created`. */
  readonly since?: Date | number | undefined;
  /** Keep completions created before this instant: a `Date`, or Unix seconds like `created`. */
  readonly until?: Date | number | undefined;
}

/**
 * Keeps the completions created in `[since, until)`, and ends the walk as soon as the list's order
 * makes the rest useless. The API has no date filter; this is the next best thing.
 *
 * - `order: 'desc'` (newest first): skips those created at or after `until`, and completes at the
 *   first one created before `since`.
 * - `order: 'asc'` (oldest first): skips those created before `since`, and completes at the first
 *   one created at or after `until`.
 * - no `order`: only filters, and never stops early. The operator cannot see the list's order, so
 *   it must be told: give the same `order` as the list. Told the wrong one, it would stop at once.
 *   A server that ignores `order` would do the same to the right one: a `list()` that asks for an
 *   order checks that the server honours it, and fails with a `CursorError` `order_not_respected`.
 *
 * Completing unsubscribes the walk, so no page beyond the one that crossed the window's edge is
 * requested (with `prefetch: 1`, the one already on its way is aborted). Over a `list()`, the
 * result can still be given to `withMessages`, `deleteEach` or `updateEach`, which then pace the
 * walk as they would the list itself: the walk stops once the work on the window's last
 * completion is done.
 *
 * `created` is in whole seconds; a `Date` is compared at its millisecond.
 *
 * ## Example
 * ```ts
 * import { createClient, createdWithin } from 'rx-stored-completions';
 *
 * const client = createClient();
 * const weekAgo = new Date(Date.now() - 7 * 24 * 3600 * 1000);
 * client.chat.completions
 *   .list({ order: 'desc' })
 *   .pipe(createdWithin({ since: weekAgo }, 'desc'))
 *   .subscribe((completion) => console.log(completion.id));
 * ```
 *
 * @param window `since` and `until`, each a `Date` or Unix seconds, each optional.
 * @param order The order of the list: `'asc'` or `'desc'`; without it, no early stop.
 * @returns An operator that keeps the completions created in the window.
 * @throws {InvalidArgumentError} on subscribe, never at call: for a window that is not an object, an invalid date or order, or `since` after `until`.
 */
export function createdWithin<T extends { readonly created: number }>(window: CreatedWindow, order?: 'asc' | 'desc'): MonoTypeOperatorFunction<T> {
  return checkedOperator(() => {
    const step = createdWindowStep(window, order);
    const inWindow = (item: T): boolean => step(item.created) === 'keep';
    const beyond = (item: T): boolean => step(item.created) === 'stop';
    return (source) =>
      forwardPacing(
        source,
        source.pipe(
          takeWhile((item) => !beyond(item)),
          filter(inWindow),
        ),
        (runner) => pacedWithin(runner, inWindow, beyond),
      );
  });
}

/**
 * The runner of the windowed walk: work on the items in the window only, and at the first item
 * beyond it, an end to the walk once the work already given out is done (not cut short).
 */
function pacedWithin<T>(runner: PacedRunner<T>, inWindow: (item: T) => boolean, beyond: (item: T) => boolean): PacedRunner<T> {
  return <R>(work: (item: T) => ObservableInput<R>, options: PacingOptions) =>
    defer(() => {
      const end = new Subject<void>();
      let working = 0;
      let ended = false;
      const endWhenIdle = (): void => {
        if (ended && working === 0) end.next();
      };
      const windowed = (item: T): ObservableInput<R> => {
        if (ended || beyond(item)) {
          ended = true;
          endWhenIdle();
          return EMPTY;
        }
        if (!inWindow(item)) return EMPTY;
        working++;
        return from(work(item)).pipe(
          finalize(() => {
            working--;
            endWhenIdle();
          }),
        );
      };
      return runner(windowed, options).pipe(takeUntil(end));
    });
}
