import { filter, takeWhile, type MonoTypeOperatorFunction } from 'rxjs';
import type { CreatedWindow } from '../args/commonOptions';

/**
 * What a walk in `order` does with an item created at `created`, given the
 * window `[since, until)`: keep it, skip it, or stop, because every item
 * after it in this order is outside the window too (in `desc`, the first one
 * older than `since`; in `asc`, the first one at or after `until`).
 *
 * @param created The item's `created`, in Unix seconds.
 * @param window The window.
 * @param order The walk's order; the API's default is `asc`.
 * @returns The decision.
 */
export function windowStep(created: number, window: CreatedWindow, order: 'asc' | 'desc' | undefined): 'keep' | 'skip' | 'stop' {
  const beforeSince = window.since !== undefined && created < window.since.seconds;
  const atOrAfterUntil = window.until !== undefined && created >= window.until.seconds;
  if (order === 'desc' ? beforeSince : atOrAfterUntil) return 'stop';
  return beforeSince || atOrAfterUntil ? 'skip' : 'keep';
}

/**
 * Keeps the items of a walk inside a created window, and ends the stream
 * (which stops the walk: no further page is requested) as soon as
 * {@link windowStep} says the order allows it.
 *
 * ## Example
 * ```ts
 * pages.pipe(concatMap((page) => page.data), withinWindow(window, 'desc'));
 * ```
 *
 * @param window The window; both ends open keeps everything.
 * @param order The walk's order.
 * @returns An operator.
 */
export function withinWindow<I extends { readonly created: number }>(
  window: CreatedWindow,
  order: 'asc' | 'desc' | undefined,
): MonoTypeOperatorFunction<I> {
  return (items) =>
    items.pipe(
      takeWhile((item) => windowStep(item.created, window, order) !== 'stop'),
      filter((item) => windowStep(item.created, window, order) === 'keep'),
    );
}
