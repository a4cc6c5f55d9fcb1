/** How a failed page request is retried. Every field has a default in `DEFAULTS.retry`. */
export interface RetryOptions {
  /**
   * Retries per page after the first attempt, for failures other than 429s.
   *
   * @default DEFAULTS.retry.maxRetries
   */
  readonly maxRetries: number;
  /**
   * The first backoff wait; it doubles at each further retry.
   *
   * @default DEFAULTS.retry.initialDelayMs
   */
  readonly initialDelayMs: number;
  /**
   * The longest backoff wait computed by us (not the server's `retry-after`).
   *
   * @default DEFAULTS.retry.maxDelayMs
   */
  readonly maxDelayMs: number;
  /**
   * Each backoff wait is shortened by up to this fraction, at random.
   *
   * @default DEFAULTS.retry.jitterRatio
   */
  readonly jitterRatio: number;
  /**
   * A server-asked wait above this fails at once instead of hanging.
   *
   * @default DEFAULTS.retry.maxRetryAfterMs
   */
  readonly maxRetryAfterMs: number;
  /**
   * The longest one request (a page, one operation of a bulk operator) may spend on rate limiting
   * and retries (queued in the gate, in round trips answered 429, waiting to retry); it then fails
   * with its last error rather than wait longer.
   *
   * @default DEFAULTS.retry.maxWaitPerPageMs
   */
  readonly maxWaitPerPageMs: number;
}

/** Told of each retry before its wait begins; for progress displays and logs. */
export interface RetryEvent {
  /** The error of the failed attempt. */
  readonly error: unknown;
  /** How many attempts of this request have failed so far, from 1. */
  readonly retryCount: number;
  /** How long the retry waits, in milliseconds. */
  readonly delayMs: number;
}
