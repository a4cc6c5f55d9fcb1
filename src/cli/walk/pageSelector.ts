import { createdWindowStep } from '../../internal/walk/createdWindowStep';
import { windowSeconds, type TimeWindow } from '../args/windowOptions';

/** The items of a page a command uses, and whether the walk is over. */
export interface PageSelection<I> {
  readonly kept: I[];
  /** The `max`-th item was kept, or the window said stop: no later page can add anything. */
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
  // The API's default order is `asc`.
  const step = createdWindowStep(windowSeconds(window), order ?? 'asc');
  return (items) => {
    const kept: I[] = [];
    for (const item of items) {
      if (left === 0) break;
      const decision = step(item.created);
      if (decision === 'stop') return { kept, done: true };
      if (decision === 'keep') {
        kept.push(item);
        left -= 1;
      }
    }
    return { kept, done: left === 0 };
  };
}
