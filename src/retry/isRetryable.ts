import { APIConnectionError, APIError, InvalidResponseError } from '../errors';

/**
 * Whether a failed attempt is worth another: 408, 409, 429 and 5xx statuses,
 * connection failures and timeouts, and unparseable bodies. Everything else
 * (400, 401, 403, 404, 422, decode and cursor errors) would fail the same way again.
 *
 * The server has the last word: `x-should-retry: true` or `false` overrides
 * the status, as the OpenAI API and its official SDKs agree.
 *
 * @param error The error of the failed attempt.
 * @returns `true` to retry.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof APIError) {
    const shouldRetry = error.headers['x-should-retry'];
    if (shouldRetry === 'true') return true;
    if (shouldRetry === 'false') return false;
    return error.status === 408 || error.status === 409 || error.status === 429 || error.status >= 500;
  }
  return error instanceof APIConnectionError || error instanceof InvalidResponseError;
}
