import { APIConnectionError, APIError, APITimeoutError, InvalidResponseError } from '../../errors';
import { connectionCode } from './connectionCode';

/**
 * A short name for why a request was retried, for the progress line and the
 * retry log: `HTTP 429`, `HTTP 503`, `timeout (headers)`, `ECONNRESET`,
 * `body not JSON`. Built from status codes and error codes only, never from
 * the server's words, so that it stays short and holds nothing a server could
 * use to draw on the terminal.
 *
 * @param error The error of the failed attempt (a `RetryEvent`'s `error`).
 * @returns The cause.
 */
export function retryCause(error: unknown): string {
  if (error instanceof APIError) return `HTTP ${error.status}`;
  if (error instanceof APITimeoutError) return `timeout (${error.phase})`;
  if (error instanceof APIConnectionError) return connectionCode(error) ?? 'connection failed';
  if (error instanceof InvalidResponseError) return 'body not JSON';
  return error instanceof Error && /^\w{1,40}$/.test(error.name) ? error.name : 'error';
}
