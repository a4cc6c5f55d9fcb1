/** Per-attempt timeouts, in milliseconds. */
export interface TimeoutOptions {
  /**
   * How long to wait for the response headers.
   *
   * @default DEFAULTS.timeout.headersMs
   */
  readonly headersMs: number;
  /**
   * The longest silence allowed between two chunks of the body.
   *
   * @default DEFAULTS.timeout.bodyMs
   */
  readonly bodyMs: number;
  /**
   * The longest a whole attempt may take, headers and body together (with `azure.tokenProvider`,
   * asking for the token too), so that a body that drips a byte at a time, or a provider that
   * never answers, cannot hold a walk forever. No bound when absent or longer than a Node timer
   * holds (2^31 − 1 ms, about 24.8 days).
   *
   * @default DEFAULTS.timeout.attemptMs
   */
  readonly attemptMs?: number;
}
