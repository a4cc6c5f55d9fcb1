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

/** Options of `watch()`. Every default is in `DEFAULTS.watch`. */
export interface WatchOptions extends RequestOptions {
  /** Milliseconds from the end of one poll to the start of the next. Default: 5,000. */
  readonly intervalMs?: number | undefined;
  /**
   * How far behind the newest completion seen each poll reads again, in
   * seconds, for completions stored late: a completion is stored once its
   * answer is finished, with the `created` of when its request started.
   * Default: 300.
   */
  readonly lookbackSeconds?: number | undefined;
  /**
   * Where to resume: the {@link WatchCheckpoint} of the last completion handled
   * (`watchCheckpoint(completion)`). The watch then emits every completion
   * after it, those stored while no watch ran included. Without it, the watch
   * starts from what is stored when it is subscribed, and emits none of that.
   */
  readonly from?: WatchCheckpoint | undefined;
  /** Told of each poll that failed with a transient fault, already retried by the client; the next poll comes after the interval. */
  readonly onPollError?: ((error: unknown) => void) | undefined;
  /** The scheduler of the interval, for tests in virtual time. Default: `asyncScheduler`. */
  readonly scheduler?: SchedulerLike | undefined;
}
