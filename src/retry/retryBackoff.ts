import { asyncScheduler, retry, throwError, timer, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import type { RateLimitGate } from './RateLimitGate';
import { retryDelay } from './retryDelay';
import type { RetryOptions } from './RetryOptions';

/** Told of each retry before its wait begins; for progress displays and logs. */
export interface RetryEvent {
  /** The error of the failed attempt. */
  readonly error: unknown;
  /** How many attempts of this request have failed so far, from 1. */
  readonly retryCount: number;
  /** How long the retry waits, in milliseconds. */
  readonly delayMs: number;
}

/** Collaborators of {@link retryBackoff}, injected so tests run in virtual time. */
export interface RetryBackoffConfig extends RetryOptions {
  /** Paused for the server-asked wait of a 429, so every walk of the client waits it out. */
  readonly gate?: RateLimitGate | undefined;
  /** Called before each retry's wait. */
  readonly onRetry?: ((event: RetryEvent) => void) | undefined;
  /** Timers and clock; `asyncScheduler` by default. */
  readonly scheduler?: SchedulerLike | undefined;
  /** Jitter source, `Math.random` by default. */
  readonly random?: (() => number) | undefined;
}

/**
 * Resubscribes to a failed request after the wait {@link retryDelay} computes,
 * as long as the failure is retryable and retries remain; otherwise the last
 * error passes through.
 *
 * Apply it to one page's request, never to a whole walk: a retry then resends
 * that page only, and no item is ever emitted twice. The wait is an ordinary
 * timer, so unsubscribing cancels it at once.
 *
 * ## Example
 * ```ts
 * import { retryBackoff, DEFAULTS } from 'rx-stored-completions';
 * page$.pipe(retryBackoff({ ...DEFAULTS.retry, maxRetries: 3 }));
 * ```
 *
 * @param config Retry options and injected collaborators.
 * @returns An operator that retries its source.
 * @see retryDelay
 */
export function retryBackoff<T>(config: RetryBackoffConfig): MonoTypeOperatorFunction<T> {
  const scheduler = config.scheduler ?? asyncScheduler;
  const random = config.random ?? Math.random;
  return retry({
    delay: (error: unknown, retryCount: number) => {
      const decision = retryDelay(error, retryCount, config, random, scheduler.now());
      if (!decision.retry) return throwError(() => error);
      if (decision.serverAsked) config.gate?.pause(decision.delayMs);
      config.onRetry?.({ error, retryCount, delayMs: decision.delayMs });
      return timer(decision.delayMs, scheduler);
    },
  });
}
