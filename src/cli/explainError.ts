import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  AuthenticationError,
  CursorError,
  DecodeError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
} from '../errors';

/**
 * Says what a library error means for someone running the CLI: which of
 * their inputs to check. The library's message is kept, after the
 * explanation, since it carries the server's words and the request id.
 *
 * @param error An error of a walk.
 * @param baseURL Where the requests went.
 * @returns One or more sentences, without a trailing newline.
 */
export function explainError(error: unknown, baseURL: string): string {
  if (error instanceof AuthenticationError) {
    return `The API key was rejected by ${baseURL} (check --api-key or OPENAI_API_KEY): ${error.message}`;
  }
  if (error instanceof PermissionDeniedError) {
    return `The API key may not read stored completions at ${baseURL}: ${error.message}`;
  }
  if (error instanceof NotFoundError) {
    return `${baseURL} answered 404 (a wrong --base-url, or an --after id that does not exist?): ${error.message}`;
  }
  if (error instanceof APIError) return `${baseURL} answered ${error.message}`;
  if (error instanceof APITimeoutError) return `${baseURL} did not answer in time, retries included: ${error.message}`;
  if (error instanceof APIConnectionError) return `Could not reach ${baseURL}, retries included: ${error.message}`;
  if (error instanceof InvalidResponseError) return `${baseURL} kept sending bodies that are not JSON: ${error.message}`;
  if (error instanceof DecodeError) return `${baseURL} sent a page that is not a list of stored completions: ${error.message}`;
  if (error instanceof CursorError) return `The pagination of ${baseURL} broke: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
