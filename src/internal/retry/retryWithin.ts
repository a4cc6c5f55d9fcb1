import { asyncScheduler, defer, retry, throwError, timer, type MonoTypeOperatorFunction } from 'rxjs';
import type { RetryBackoffConfig } from '../../retry/retryBackoff';
import { afterRetry, NO_RETRIES, retryDelay } from './retryDelay';
import { WaitBudgetSpent, type WaitBudget } from './WaitBudget';

/**
 * `retryBackoff` for a request whose budget it shares with the rate-limit gate
 * the request goes through: each subscription calls `budget` for its own, the
 * gate spends it while the request queues or is answered 429, the retries
 * while they wait. When the gate reports the budget spent while a retry
 * waited to be sent, the request fails with its last error.
 *
 * @param config Retry options and injected collaborators.
 * @param budget Gives the budget of a new subscription.
 * @returns An operator that retries its source.
 */
export function retryWithin<T>(config: RetryBackoffConfig, budget: () => WaitBudget): MonoTypeOperatorFunction<T> {
  const scheduler = config.scheduler ?? asyncScheduler;
  const random = config.random ?? Math.random;
  return (source) =>
    defer(() => {
      let history = NO_RETRIES;
      const spent = budget();
      let lastError: unknown;
      return source.pipe(
        retry({
          delay: (error: unknown, retryCount: number) => {
            if (error instanceof WaitBudgetSpent) return throwError(() => explained(lastError, spent.exhausted()));
            lastError = error;
            const decision = retryDelay(error, history, spent, config, random, scheduler.now());
            if (!decision.retry) return throwError(() => explained(error, decision.reason));
            history = afterRetry(history, error, decision);
            spent.spend(decision.delayMs);
            config.onRetry?.({ error, retryCount, delayMs: decision.delayMs });
            return timer(decision.delayMs, scheduler);
          },
        }),
      );
    });
}

/** The error, its message followed by why it is not retried; the same object, so its class and fields stay. */
function explained(error: unknown, reason: string | undefined): unknown {
  if (reason !== undefined && error instanceof Error) error.message = `${error.message}; ${reason}`;
  return error;
}
