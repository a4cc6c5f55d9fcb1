import { APIError, RateLimitError } from '../../errors';
import { boundedDelay } from './boundedDelay';
import { isRetryable } from './isRetryable';
import type { RetryOptions } from '../../client/RetryOptions';
import { serverRetryAfterMs } from './serverRetryAfterMs';
import { seconds, type WaitBudget } from './WaitBudget';

/** What one request's retries have spent so far. */
export interface RetryHistory {
  /** Failed attempts that spend `maxRetries`: every retryable failure but a 429. */
  readonly spent: number;
  /** 429s so far that asked for no wait; their backoff doubles with each. */
  readonly unstated429s: number;
}

/** What to do after a failed attempt. */
export type RetryDecision =
  | {
      readonly retry: false;
      /** Why a retryable error is not retried, to add to its message; `undefined` when there is nothing to add. */
      readonly reason: string | undefined;
    }
  | {
      readonly retry: true;
      readonly delayMs: number;
      /** The wait is the server's (`retry-after-ms`, `retry-after`). */
      readonly serverAsked: boolean;
      /** The failure spends one of `maxRetries`. */
      readonly spendsRetry: boolean;
    };

/** No retry has happened yet. */
export const NO_RETRIES: RetryHistory = { spent: 0, unstated429s: 0 };

/**
 * The backoff schedule, as a pure function: whether to retry after a failure
 * given what the retries of this request have spent so far, and how long to wait.
 *
 * - A wait the server asks for (`retry-after-ms`, `retry-after`) is taken as
 *   it is; above `maxRetryAfterMs` it is refused, so the error surfaces at
 *   once rather than hanging a stream for an hour.
 * - A 429 is a pacing signal, not a failure: it never spends `maxRetries`. One
 *   that asks for no wait backs off from {@link NOISE_429_DELAY_MS} while the
 *   gate reads the 429s as noise, from `initialDelayMs` when it reads a limit,
 *   doubling with each such 429 of the request up to `maxDelayMs`, shortened by
 *   up to `jitterRatio` at random.
 * - Any other retryable failure spends one of `maxRetries`, and waits what
 *   the server asks or `initialDelayMs · 2^(spent)`, capped at `maxDelayMs`,
 *   shortened by up to `jitterRatio` at random.
 * - No retry makes the request's budget (its time queued in the gate, in round
 *   trips answered 429 and in waits to retry) add up to more than `maxWaitPerPageMs`.
 *
 * @param error The error of the failed attempt.
 * @param history What the request's retries have spent before this failure.
 * @param budget What the request has spent on rate limiting and retries, this failure included.
 * @param options The retry options.
 * @param random A source of numbers in [0, 1), injected for tests.
 * @param nowMs The current time, for `retry-after` HTTP dates.
 * @returns The decision, with the reason when a retryable error is refused.
 */
export function retryDelay(
  error: unknown,
  history: RetryHistory,
  budget: WaitBudget,
  options: RetryOptions,
  random: () => number,
  nowMs: number,
): RetryDecision {
  if (!isRetryable(error)) return { retry: false, reason: undefined };
  const asked = error instanceof APIError ? serverRetryAfterMs(error.headers, nowMs) : undefined;
  if (asked !== undefined && asked > options.maxRetryAfterMs) {
    return { retry: false, reason: `the server asked to wait ${seconds(asked)}, more than maxRetryAfterMs (${seconds(options.maxRetryAfterMs)})` };
  }
  const rateLimited = error instanceof RateLimitError;
  if (!rateLimited && history.spent >= options.maxRetries) {
    // With retries turned off, there were none to give up on: the error speaks for itself.
    const reason = options.maxRetries === 0 ? undefined : `gave up after ${history.spent + 1} attempts (maxRetries: ${options.maxRetries})`;
    return { retry: false, reason };
  }
  const doublings = rateLimited ? history.unstated429s : history.spent;
  const firstMs = rateLimited && budget.noise ? Math.min(NOISE_429_DELAY_MS, options.initialDelayMs) : options.initialDelayMs;
  const backoff = Math.min(options.maxDelayMs, firstMs * 2 ** doublings) * (1 - options.jitterRatio * random());
  const delayMs = boundedDelay(asked ?? backoff);
  if (budget.spentMs + delayMs > budget.limitMs) return { retry: false, reason: budget.exhausted() };
  return { retry: true, delayMs, serverAsked: asked !== undefined, spendsRetry: !rateLimited };
}

/**
 * The history after a retry of `error` decided as `decision`.
 *
 * @param history The history before.
 * @param error The error retried.
 * @param decision The decision to retry it.
 * @returns The history after.
 */
export function afterRetry(history: RetryHistory, error: unknown, decision: RetryDecision & { readonly retry: true }): RetryHistory {
  const unstated429 = error instanceof RateLimitError && !decision.serverAsked;
  return {
    spent: history.spent + (decision.spendsRetry ? 1 : 0),
    unstated429s: history.unstated429s + (unstated429 ? 1 : 0),
  };
}

/**
 * The first backoff of a 429 that states no wait while the gate reads the 429s
 * as noise: an isolated 429 says nothing of the rate, and waiting long for it
 * costs a walk what a retry a moment later would not.
 */
export const NOISE_429_DELAY_MS = 20;
