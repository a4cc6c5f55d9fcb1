import type { SchedulerLike } from 'rxjs';
import type { RequestOptions } from './RequestOptions';

/**
 * Where a watch stands: every completion created before `created` is behind
 * it, and of those created at or after it, exactly the ones in `ids`.
 * Plain JSON, to be stored and given back as {@link WatchOptions.from}.
 * `{ created: T, ids: [] }` stands for "from the Unix second T on".
 */
export interface WatchCheckpoint {
  /** Unix seconds. */
  readonly created: number;
  readonly ids: readonly string[];
}

/** Options of `watch()`. */
export interface WatchOptions extends RequestOptions {
  /**
   * Milliseconds from the end of one poll to the start of the next: a completion shows up about
   * this long after it is stored, and a quiet watch sends one request per interval.
   *
   * @default DEFAULTS.watch.intervalMs
   */
  readonly intervalMs?: number | undefined;
  /**
   * How far behind the newest completion seen each poll reads again, in
   * seconds, for completions stored late: a completion is stored once its
   * answer is finished, with the `created` of when its request started.
   *
   * @default DEFAULTS.watch.lookbackSeconds
   */
  readonly lookbackSeconds?: number | undefined;
  /**
   * Where to resume: the {@link WatchCheckpoint} of the last completion handled
   * (`watchCheckpoint(completion)`). The watch then emits every completion
   * after it, those stored while no watch ran included. Without it, the watch
   * starts from what is stored when it is subscribed, and emits none of that.
   *
   * @default none: from what is stored on subscribe
   */
  readonly from?: WatchCheckpoint | undefined;
  /**
   * Told of each poll that failed with a transient fault, already retried by the client; the next
   * poll comes after the interval.
   *
   * @default none
   */
  readonly onPollError?: ((error: unknown) => void) | undefined;
  /**
   * The scheduler of the interval, for tests in virtual time.
   *
   * @default `asyncScheduler`
   */
  readonly scheduler?: SchedulerLike | undefined;
}
