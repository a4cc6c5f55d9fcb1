import type { TimeWindow } from '../args/commonOptions';

/** The items of a page a command uses, and whether the walk is over. */
export interface PageSelection<I> {
  readonly kept: I[];
  /** The `max`-th item was kept, or {@link windowStep} said stop: no later page can add anything. */
  readonly done: boolean;
}

/**
 * The page-at-a-time form of `createdWithin` and `take(max)`, for `export`,
 * whose work on each page (fetching input messages, waiting for the output)
 * must finish before the walk goes on: keeps the items inside the created
 * window, up to `max` over the whole walk.
 *
 * Stateful: make one per walk (inside a `defer`).
 *
 * @param window `--since` and `--until`.
 * @param order The walk's order.
 * @param max How many items to keep in all; `undefined` for all.
 * @returns A function from a page's items to the selection.
 */
export function pageSelector<I extends { readonly created: number }>(
  window: TimeWindow,
  order: 'asc' | 'desc' | undefined,
  max: number | undefined,
): (items: readonly I[]) => PageSelection<I> {
  let left = max ?? Number.POSITIVE_INFINITY;
  return (items) => {
    const kept: I[] = [];
    for (const item of items) {
      if (left === 0) break;
      const step = windowStep(item.created, window, order);
      if (step === 'stop') return { kept, done: true };
      if (step === 'keep') {
        kept.push(item);
        left -= 1;
      }
    }
    return { kept, done: left === 0 };
  };
}

/**
 * What a walk in `order` does with an item created at `created`, given the
 * window `[since, until)`: keep it, skip it, or stop, because every item
 * after it in this order is outside the window too (in `desc`, the first one
 * older than `since`; in `asc`, the first one at or after `until`), as
 * `createdWithin` decides.
 *
 * @param created The item's `created`, in Unix seconds.
 * @param window The window.
 * @param order The walk's order; the API's default is `asc`.
 * @returns The decision.
 */
export function windowStep(created: number, window: TimeWindow, order: 'asc' | 'desc' | undefined): 'keep' | 'skip' | 'stop' {
  const beforeSince = window.since !== undefined && created < window.since.seconds;
  const atOrAfterUntil = window.until !== undefined && created >= window.until.seconds;
  if ((order ?? 'asc') === 'desc' ? beforeSince : atOrAfterUntil) return 'stop';
  return beforeSince || atOrAfterUntil ? 'skip' : 'keep';
}
