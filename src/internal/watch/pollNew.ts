import { map, takeWhile, toArray, type Observable } from 'rxjs';
import type { WatchCheckpoint } from '../../client/WatchOptions';
import { settledWalk, type DatedItem, type DatedPage } from '../walk/settledWalk';

/** What one poll found. */
export interface PollResult<T extends DatedItem> {
  /** The items not behind the checkpoint, in `created` order, ties by id. */
  readonly fresh: readonly T[];
  /** The checkpoint once `fresh[i]` and those before it are handled, for each `i`. */
  readonly checkpoints: readonly WatchCheckpoint[];
  /** The checkpoint once the whole poll is handled. */
  readonly next: WatchCheckpoint;
}

/**
 * One poll of a watch: reads the list newest first, down to the first item
 * created before the checkpoint, and returns what is new, oldest first.
 *
 * The checkpoint then moves to `lookbackSeconds` before the newest `created`
 * read, not to it: a completion is stored when its answer is finished, with
 * the `created` of when its request started, so a slow one shows up after
 * faster ones created later. Its `ids` are the items read at or after it.
 *
 * Without a checkpoint the poll is the baseline: it finds nothing new, and
 * its checkpoint holds everything stored now.
 *
 * @param fetchPage A page of the list, newest first, after `after`.
 * @param from The checkpoint, or `undefined` for the baseline.
 * @param lookbackSeconds How far behind the newest item the checkpoint stays.
 * @returns The poll's result, once.
 */
export function pollNew<T extends DatedItem>(
  fetchPage: (after: string | undefined) => Observable<DatedPage<T>>,
  from: WatchCheckpoint | undefined,
  lookbackSeconds: number,
): Observable<PollResult<T>> {
  let floor = from?.created;
  return settledWalk(fetchPage, undefined, 0, (items) => [items]).pipe(
    takeWhile((items) => {
      floor ??= items[0] === undefined ? undefined : items[0].created - lookbackSeconds;
      return floor === undefined || items.every((item) => item.created >= (floor as number));
    }, true),
    toArray(),
    map((pages) => {
      const read = pages.flat().filter((item) => floor === undefined || item.created >= floor);
      const newest = read.reduce((max, item) => Math.max(max, item.created), floor ?? 0);
      const nextFloor = Math.max(floor ?? 0, newest - lookbackSeconds);
      const next = { created: nextFloor, ids: read.filter((item) => item.created >= nextFloor).map((item) => item.id) };
      if (from === undefined) return { fresh: [], checkpoints: [], next };
      const behind = new Set(from.ids);
      const fresh = read.filter((item) => !behind.has(item.id)).sort(byCreatedThenId);
      const checkpoints = fresh.map((item, index) => {
        if (index === fresh.length - 1) return next;
        behind.add(item.id);
        return { created: from.created, ids: [...behind] };
      });
      return { fresh, checkpoints, next };
    }),
  );
}

function byCreatedThenId(a: DatedItem, b: DatedItem): number {
  return a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
