import { APIConnectionError, APIError, InvalidResponseError, isServerErrorStatus, TokenProviderError } from '../../errors';

/**
 * Whether a failed attempt is worth another: 408, 409, 429 and 500 to 599
 * statuses, connection failures and timeouts, unparseable bodies, and a
 * token provider that failed or took too long.
 * Everything else (400, 401, 403, 404, 422, a redirect, 600 to 999, a body
 * too large, a content-encoding the client cannot decode, decode and cursor
 * errors) would fail the same way again.
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
    return error.status === 408 || error.status === 409 || error.status === 429 || isServerErrorStatus(error.status);
  }
  if (error instanceof InvalidResponseError) return error.code !== 'unsupported_encoding';
  return error instanceof APIConnectionError || error instanceof TokenProviderError;
}
