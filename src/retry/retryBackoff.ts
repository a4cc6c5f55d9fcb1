import { throwError, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { InvalidArgumentError } from '../errors';
import type { RetryEvent, RetryOptions } from '../client/RetryOptions';
import { retryWithin } from '../internal/retry/retryWithin';
import { WaitBudget } from '../internal/retry/WaitBudget';

/** Collaborators of {@link retryBackoff}, injected so tests run in virtual time. */
export interface RetryBackoffConfig extends RetryOptions {
  /** Called before each retry's wait. */
  readonly onRetry?: ((event: RetryEvent) => void) | undefined;
  /** Timers and clock; `asyncScheduler` by default. */
  readonly scheduler?: SchedulerLike | undefined;
  /** Jitter source, `Math.random` by default. */
  readonly random?: (() => number) | undefined;
}

/**
 * Resubscribes to a failed request after the wait {@link retryDelay} computes,
 * as long as the failure is retryable and the request's budget allows it;
 * otherwise the last error passes through, its message followed by why it
 * was not retried: `…; gave up after 7 attempts (maxRetries: 6)`,
 * `…; the server asked to wait 120 s, more than maxRetryAfterMs (60 s)`.
 *
 * Apply it to one page's request, never to a whole walk: a retry then resends
 * that page only, and no item is ever emitted twice. Each subscription has a
 * budget of its own: `maxWaitPerPageMs` bounds the waits before its retries
 * (the client's own requests count their time in its gate too, see
 * `docs/retries.md`). The wait is an ordinary timer, so unsubscribing cancels
 * it at once. Waits the server asks for are taken as they are: the
 * {@link RateLimitGate} the request goes through adds their jitter.
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
  if (typeof config !== 'object' || config === null) {
    // On subscribe, as every argument error of the library.
    const error = new InvalidArgumentError(`Expected the retry config to be an object, got ${String(config)}`);
    return () => throwError(() => error);
  }
  return retryWithin(config, () => new WaitBudget(config.maxWaitPerPageMs));
}
