import { formatDuration } from './formatDuration';
import type { TokenBucketConfig, TokenBucketDecision } from './tokenBucket';

/**
 * `retry-after` and `retry-after-ms` for a wait of `ms`, as the API sends them with a 429.
 *
 * `retry-after` is whole seconds (rounded up, at least 1, per the spec's `TooManyRequests`
 * response); `retry-after-ms` carries the precise wait for clients that read it, as the official
 * SDKs do.
 *
 * @param ms the wait in milliseconds.
 * @returns the two headers.
 */
export function retryAfterHeaders(ms: number): Record<string, string> {
  return {
    'retry-after': String(Math.max(1, Math.ceil(ms / 1000))),
    'retry-after-ms': String(Math.ceil(ms)),
  };
}

/**
 * The API's request rate-limit headers for a bucket's decision: its size as the limit, its whole
 * tokens left, and the time until it is full.
 *
 * @param config the bucket the headers describe; `burst` is reported as the limit.
 * @param decision that bucket's decision for this request.
 * @returns the headers to send.
 */
export function rateLimitHeaders(config: TokenBucketConfig, decision: TokenBucketDecision): Record<string, string> {
  return {
    'x-ratelimit-limit-requests': String(config.burst),
    'x-ratelimit-remaining-requests': String(decision.remaining),
    'x-ratelimit-reset-requests': formatDuration(decision.resetMs),
  };
}
