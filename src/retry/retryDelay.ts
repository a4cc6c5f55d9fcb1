import { APIError } from '../errors';
import { isRetryable } from './isRetryable';
import type { RetryOptions } from './RetryOptions';
import { serverRetryAfterMs } from './serverRetryAfterMs';

/** What to do after a failed attempt. */
export type RetryDecision =
  | { readonly retry: false }
  | { readonly retry: true; readonly delayMs: number; readonly serverAsked: boolean };

/**
 * The backoff schedule, as a pure function: whether to retry after the
 * `retryCount`-th failure (1 for the first), and how long to wait first.
 *
 * The server's wait wins when it gives one; a wait above `maxRetryAfterMs`
 * is refused, so the error surfaces at once rather than hanging a stream for
 * minutes. Otherwise the wait is `initialDelayMs · 2^(retryCount−1)`, capped at
 * `maxDelayMs`, then shortened by up to `jitterRatio` at random.
 *
 * @param error The error of the failed attempt.
 * @param retryCount How many attempts have failed so far, from 1.
 * @param options The retry options.
 * @param random A source of numbers in [0, 1), injected for tests.
 * @param nowMs The current time, for `retry-after` HTTP dates.
 * @returns The decision.
 */
export function retryDelay(
  error: unknown,
  retryCount: number,
  options: RetryOptions,
  random: () => number,
  nowMs: number,
): RetryDecision {
  if (retryCount > options.maxRetries || !isRetryable(error)) return { retry: false };
  const asked = error instanceof APIError ? serverRetryAfterMs(error.headers, nowMs) : undefined;
  if (asked !== undefined) {
    return asked > options.maxRetryAfterMs ? { retry: false } : { retry: true, delayMs: asked, serverAsked: true };
  }
  const exponential = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** (retryCount - 1));
  return { retry: true, delayMs: exponential * (1 - options.jitterRatio * random()), serverAsked: false };
}
