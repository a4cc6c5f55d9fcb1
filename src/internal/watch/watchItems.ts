import { asyncScheduler, catchError, defer, EMPTY, from, mergeMap, of, repeat, retry, throwError, timer, type Observable, type SchedulerLike } from 'rxjs';
import { CursorError, NotFoundError } from '../../errors';
import type { WatchCheckpoint } from '../../client/WatchOptions';
import { isRetryable } from '../retry/isRetryable';
import type { DatedItem, DatedPage } from '../walk/settledWalk';
import { pollNew } from './pollNew';

/** How a watch polls, every option resolved. */
export interface WatchSettings {
  readonly intervalMs: number;
  readonly lookbackSeconds: number;
  readonly from: WatchCheckpoint | undefined;
  readonly scheduler: SchedulerLike | undefined;
  /** Told of each poll that failed with a transient fault; the watch polls again after the interval. */
  readonly onPollError: ((error: unknown) => void) | undefined;
}

/** An item a watch emits, with the checkpoint that has it behind. */
export interface Watched<T> {
  readonly item: T;
  readonly checkpoint: WatchCheckpoint;
}

/** Restarts of one poll from the top when the cursor it follows is deleted under it, before it counts as a failed poll. */
const LOST_CURSOR_RESTARTS = 3;

/**
 * The watch loop: a baseline poll (unless `from` is given), then a poll every
 * `intervalMs` after the previous one ended, each emitting what it found new,
 * oldest first. A poll is all or nothing: it emits only once it has read down
 * to the checkpoint, so an error never leaves half a poll behind it.
 *
 * A transient fault (what `isRetryable` retries, once the request's own
 * retries are spent; a broken cursor chain) fails the poll, is reported to
 * `onPollError`, and the next poll comes after the interval: the stream goes
 * on. Any other error (a rejected key, a bad parameter) ends it.
 *
 * @param fetchPage A page of the list, newest first, after `after`, through the client.
 * @param settings The resolved options.
 * @returns Each new item once, with its checkpoint.
 */
export function watchItems<T extends DatedItem>(
  fetchPage: (after: string | undefined) => Observable<DatedPage<T>>,
  settings: WatchSettings,
): Observable<Watched<T>> {
  return defer(() => {
    let checkpoint = settings.from;
    const lost = new WeakSet<object>();
    // A 404 to a cursor: the item it names was deleted between two pages of the poll (a strict server).
    const page = (after: string | undefined): Observable<DatedPage<T>> =>
      fetchPage(after).pipe(
        catchError((error: unknown) => {
          if (after !== undefined && error instanceof NotFoundError) lost.add(error);
          return throwError(() => error);
        }),
      );
    const poll = defer(() => pollNew(page, checkpoint, settings.lookbackSeconds)).pipe(
      retry({ count: LOST_CURSOR_RESTARTS, delay: (error: unknown) => (lost.has(error as object) ? of(0) : throwError(() => error)) }),
      mergeMap((result) => {
        checkpoint = result.next;
        return from(result.fresh.map((item, index) => ({ item, checkpoint: result.checkpoints[index] ?? result.next })));
      }),
      catchError((error: unknown) => {
        if (!isTransient(error, lost)) return throwError(() => error);
        settings.onPollError?.(error);
        return EMPTY;
      }),
    );
    return poll.pipe(repeat({ delay: () => timer(settings.intervalMs, settings.scheduler ?? asyncScheduler) }));
  });
}

function isTransient(error: unknown, lost: WeakSet<object>): boolean {
  return isRetryable(error) || error instanceof CursorError || (typeof error === 'object' && error !== null && lost.has(error));
}

