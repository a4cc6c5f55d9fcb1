/**
 * A token bucket as pure functions of time: the emulator's optional rate limit.
 *
 * The bucket holds up to `burst` tokens and refills at `requestsPerSecond`; a request takes one
 * token or is refused. Time is a parameter, so the behaviour is tested with a hand-driven clock.
 */

/** The limit: at most `burst` requests at once, `requestsPerSecond` sustained. */
export interface TokenBucketConfig {
  readonly requestsPerSecond: number;
  readonly burst: number;
}

/** The bucket's contents at an instant. */
export interface TokenBucketState {
  /** Possibly fractional. */
  readonly tokens: number;
  readonly atMs: number;
}

/** The outcome of one request against the bucket. */
export interface TokenBucketDecision {
  readonly allowed: boolean;
  /** The bucket after the request. */
  readonly state: TokenBucketState;
  /** Whole tokens left. */
  readonly remaining: number;
  /** Milliseconds until the bucket is full again. */
  readonly resetMs: number;
  /** Milliseconds until one token is available: 0 when allowed. */
  readonly retryAfterMs: number;
}

/**
 * A full bucket.
 *
 * @param config the limit.
 * @param nowMs the current time.
 * @returns the state.
 */
export function fullBucket(config: TokenBucketConfig, nowMs: number): TokenBucketState {
  return { tokens: config.burst, atMs: nowMs };
}

/**
 * Refills the bucket for the time elapsed, then takes one token if there is one.
 *
 * @param config the limit.
 * @param state the bucket before the request.
 * @param nowMs the current time (a clock earlier than `state.atMs` counts as no time elapsed).
 * @returns the decision and the new state.
 */
export function takeToken(config: TokenBucketConfig, state: TokenBucketState, nowMs: number): TokenBucketDecision {
  return decide(config, state, nowMs, true);
}

/**
 * The bucket as {@link takeToken} would find it, without taking anything: what the headers of a
 * bucket that does not enforce the limit report.
 *
 * @param config the limit.
 * @param state the bucket.
 * @param nowMs the current time.
 * @returns the decision a request would get, with the state refilled but no token taken.
 */
export function peekToken(config: TokenBucketConfig, state: TokenBucketState, nowMs: number): TokenBucketDecision {
  return decide(config, state, nowMs, false);
}

function decide(config: TokenBucketConfig, state: TokenBucketState, nowMs: number, take: boolean): TokenBucketDecision {
  const elapsedMs = Math.max(0, nowMs - state.atMs);
  const refilled = Math.min(config.burst, state.tokens + (elapsedMs * config.requestsPerSecond) / 1000);
  const allowed = refilled >= 1;
  const tokens = allowed && take ? refilled - 1 : refilled;
  const msPerToken = 1000 / config.requestsPerSecond;
  return {
    allowed,
    state: { tokens, atMs: Math.max(nowMs, state.atMs) },
    remaining: Math.floor(tokens),
    resetMs: (config.burst - tokens) * msPerToken,
    retryAfterMs: allowed ? 0 : (1 - tokens) * msPerToken,
  };
}
