import type { CreatedWindow } from '../args/commonOptions';
import { windowStep } from './withinWindow';

/** The items of a page a command uses, and whether the walk is over. */
export interface PageSelection<I> {
  readonly kept: I[];
  /** The `max`-th item was kept, or {@link windowStep} said stop: no later page can add anything. */
  readonly done: boolean;
}

/**
 * The page-at-a-time form of `countedItems`' selection, for commands that
 * work on each page before the walk goes on (`export`, whose page work
 * fetches input messages and waits for the output): keeps the items inside
 * the created window, up to `max` over the whole walk.
 *
 * Stateful: make one per walk (inside a `defer`).
 *
 * @param window `--since` and `--until`.
 * @param order The walk's order.
 * @param max How many items to keep in all; `undefined` for all.
 * @returns A function from a page's items to the selection.
 */
export function pageSelector<I extends { readonly created: number }>(
  window: CreatedWindow,
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
