import { concatMap, identity, take, tap, type MonoTypeOperatorFunction, type OperatorFunction } from 'rxjs';
import type { WalkProgress } from '../progress/WalkProgress';

/**
 * The items of a walk's pages, in order, up to `max` of them, each page and
 * each item counted on the progress as it passes. `take` stops the walk: no
 * page beyond the one holding the `max`-th item is requested.
 *
 * ## Example
 * ```ts
 * client.chat.completions.pages(params).pipe(countedItems(progress, (page) => page.data, 10));
 * ```
 *
 * @param progress The walk's counters.
 * @param itemsOf The items of a page: its decoded completions, or their JSONL lines.
 * @param max How many items to take; `undefined` for all.
 * @param keep Which items count, before `max` applies: `--since` and `--until` (see `createdWithin`).
 * @returns An operator from pages to items.
 */
export function countedItems<P, I extends { readonly created: number }>(
  progress: WalkProgress,
  itemsOf: (page: P) => readonly I[],
  max: number | undefined,
  keep: MonoTypeOperatorFunction<I> = identity,
): OperatorFunction<P, I> {
  return (pages) =>
    pages.pipe(
      tap(() => progress.page()),
      concatMap(itemsOf),
      keep,
      max === undefined ? identity : take(max),
      tap((item) => progress.item(item.created)),
    );
}
