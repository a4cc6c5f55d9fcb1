import { rateLimitHeaders, retryAfterHeaders } from './rateLimitHeaders';
import { fullBucket, peekToken, takeToken, type TokenBucketConfig, type TokenBucketState } from './tokenBucket';

/**
 * What the rate-limit headers of a rate-limited emulator describe:
 * - `exact`: the bucket that enforces the limit;
 * - `quantized`: a budget per minute (`60 × requestsPerSecond` requests), while the limit is
 *   enforced per second, as OpenAI documents for its own limits: the headers then say there is
 *   plenty left while requests are refused;
 * - `none`: no `x-ratelimit-*` header at all, as behind a gateway that strips them.
 */
export type RateLimitHeaderMode = 'exact' | 'quantized' | 'none';

/** The enforced limit, and what its headers say. */
export interface RateLimitConfig extends TokenBucketConfig {
  readonly headers: RateLimitHeaderMode;
}

/** The verdict on one request. */
export interface RateLimitVerdict {
  readonly allowed: boolean;
  /** Rate-limit headers for any response, plus `retry-after` and `retry-after-ms` on a refusal. */
  readonly headers: Readonly<Record<string, string>>;
  /** The limit the headers report, for the 429's message. */
  readonly reportedLimit: number;
  /** Milliseconds until a token is available: 0 when allowed. */
  readonly retryAfterMs: number;
}

const SECONDS_PER_MINUTE = 60;

/** The emulator's rate limit: a token bucket that enforces, and the bucket its headers describe. */
export class RateLimit {
  private enforcing: TokenBucketState;
  private readonly reportedConfig: TokenBucketConfig;
  private reported: TokenBucketState;

  /**
   * @param config the limit and its header mode.
   * @param nowMs the time the buckets start full.
   */
  constructor(
    private readonly config: RateLimitConfig,
    nowMs: number,
  ) {
    this.enforcing = fullBucket(config, nowMs);
    this.reportedConfig =
      config.headers === 'quantized'
        ? { requestsPerSecond: config.requestsPerSecond, burst: Math.ceil(config.requestsPerSecond * SECONDS_PER_MINUTE) }
        : config;
    this.reported = fullBucket(this.reportedConfig, nowMs);
  }

  /**
   * Takes a token for a request arriving at `nowMs`.
   *
   * @param nowMs the current time.
   * @returns the verdict.
   */
  admit(nowMs: number): RateLimitVerdict {
    const decision = takeToken(this.config, this.enforcing, nowMs);
    this.enforcing = decision.state;
    let reported = decision;
    if (this.config.headers === 'quantized') {
      reported = decision.allowed ? takeToken(this.reportedConfig, this.reported, nowMs) : peekToken(this.reportedConfig, this.reported, nowMs);
      this.reported = reported.state;
    }
    return {
      allowed: decision.allowed,
      headers: {
        ...(this.config.headers === 'none' ? {} : rateLimitHeaders(this.reportedConfig, reported)),
        ...(decision.allowed ? {} : retryAfterHeaders(decision.retryAfterMs)),
      },
      reportedLimit: this.reportedConfig.burst,
      retryAfterMs: decision.retryAfterMs,
    };
  }
}
