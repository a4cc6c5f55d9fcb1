import { defer, EMPTY, filter, finalize, from, Subject, takeUntil, takeWhile, type MonoTypeOperatorFunction, type ObservableInput } from 'rxjs';
import { forwardPacing, type PacedRunner, type PacingOptions } from '../core/pacedSource';
import { InvalidArgumentError } from '../errors';

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
 * @throws {InvalidArgumentError} for a window that is not an object, an invalid date or order, or `since` after `until`, when called.
 */
export function createdWithin<T extends { readonly created: number }>(window: CreatedWindow, order?: 'asc' | 'desc'): MonoTypeOperatorFunction<T> {
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
}

/**
 * The decision {@link createdWithin} makes for each completion, as a function of its `created`:
 * keep it (inside `[since, until)`), skip it, or stop, because in `order` every completion after
 * it is outside the window too (in `desc`, the first one created before `since`; in `asc`, the
 * first one at or after `until`). Without an `order` it never stops. For walks that select a page
 * at a time, such as the CLI's export.
 *
 * @param window `since` and `until`, each a `Date` or Unix seconds, each optional.
 * @param order The order of the list; without it, no stop.
 * @returns The decision for a completion's `created`, in Unix seconds.
 * @throws {InvalidArgumentError} for a window that is not an object, an invalid date or order, or `since` after `until`.
 */
export function createdWindowStep(window: CreatedWindow, order?: 'asc' | 'desc'): (created: number) => 'keep' | 'skip' | 'stop' {
  if (typeof window !== 'object' || window === null) {
    throw new InvalidArgumentError(`Expected the window to be an object of \`since\` and \`until\`, got ${String(window)}`);
  }
  const sinceMs = instantMs('since', window.since, -Infinity);
  const untilMs = instantMs('until', window.until, Infinity);
  if (sinceMs > untilMs) {
    throw new InvalidArgumentError(`Expected \`since\` to be at or before \`until\`, got ${String(window.since)} and ${String(window.until)}`);
  }
  if (order !== undefined && order !== 'asc' && order !== 'desc') {
    throw new InvalidArgumentError(`Expected \`order\` to be 'asc' or 'desc', got ${JSON.stringify(order)}`);
  }
  return (created) => {
    const beforeSince = created * 1000 < sinceMs;
    const atOrAfterUntil = created * 1000 >= untilMs;
    if ((order === 'desc' && beforeSince) || (order === 'asc' && atOrAfterUntil)) return 'stop';
    return beforeSince || atOrAfterUntil ? 'skip' : 'keep';
  };
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

function instantMs(name: string, value: Date | number | undefined, open: number): number {
  if (value === undefined) return open;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value * 1000 : NaN;
  if (!Number.isFinite(ms)) {
    throw new InvalidArgumentError(`Expected \`${name}\` to be a valid Date or a finite number of Unix seconds, got ${String(value)}`);
  }
  return ms;
}
