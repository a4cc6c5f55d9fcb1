/**
 * The one error hierarchy of the library. Every error a stream can emit is a
 * {@link StoredCompletionsError}; HTTP failures are {@link APIError}s with one
 * subclass per status family, so that callers can branch with `instanceof`.
 *
 * None of these classes ever holds a credential: messages, headers and causes
 * are masked by a `Redactor` (see `src/internal/redact/Redactor.ts`) before any error is built.
 */

/** Base class of every error this library emits. Carries a stable `code`. */
export class StoredCompletionsError extends Error {
  /** A stable, machine-readable identifier of the failure. */
  readonly code: string;

  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The error envelope the API sends: `{"error":{"message","type","param","code"}}`. */
export interface APIErrorDetails {
  readonly message?: string | undefined;
  readonly type?: string | undefined;
  readonly param?: string | null | undefined;
  readonly code?: string | null | undefined;
}

/**
 * The server answered with a status outside 2xx.
 *
 * @see {@link APIError.from} for the status → subclass mapping.
 */
export class APIError extends StoredCompletionsError {
  /** HTTP status code of the response. */
  readonly status: number;
  /** The `error` object of the response body, when the body had one. */
  readonly error: APIErrorDetails | undefined;
  /** The `x-request-id` header of the response, for OpenAI support. */
  readonly requestId: string | undefined;
  /** The response headers, lower-cased. Retry logic reads `retry-after` from them. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    error: APIErrorDetails | undefined,
    requestId: string | undefined,
    headers: Readonly<Record<string, string>>,
  ) {
    super(`${status} ${describeFailure(status, error, headers)}${requestId ? ` (request id ${requestId})` : ''}`, error?.code ?? `http_${status}`);
    this.status = status;
    this.error = error;
    this.requestId = requestId;
    this.headers = headers;
  }

  /**
   * Builds the subclass that matches `status`: 400 {@link BadRequestError},
   * 401 {@link AuthenticationError}, 403 {@link PermissionDeniedError},
   * 404 {@link NotFoundError}, 408 {@link RequestTimeoutError}, 409 {@link ConflictError},
   * 422 {@link UnprocessableEntityError}, 429 {@link RateLimitError},
   * 500 to 599 {@link InternalServerError}, anything else (a redirect, 418, 600 to 999) a plain {@link APIError}.
   */
  static from(
    status: number,
    error: APIErrorDetails | undefined,
    requestId: string | undefined,
    headers: Readonly<Record<string, string>>,
  ): APIError {
    const Subclass = STATUS_CLASSES[status] ?? (isServerErrorStatus(status) ? InternalServerError : APIError);
    return new Subclass(status, error, requestId, headers);
  }
}

/** 400: the request's parameters were rejected. Not retried. */
export class BadRequestError extends APIError {}
/** 401: the API key is missing or wrong. Not retried. */
export class AuthenticationError extends APIError {}
/** 403: the key may not access this resource. Not retried. */
export class PermissionDeniedError extends APIError {}
/** 404: unknown completion id, or an unknown `after` cursor. Not retried. */
export class NotFoundError extends APIError {}
/** 408: the server timed out waiting for the request. Retried. */
export class RequestTimeoutError extends APIError {}
/** 409: a conflicting concurrent operation. Retried. */
export class ConflictError extends APIError {}
/** 422: the request was well-formed but not processable. Not retried. */
export class UnprocessableEntityError extends APIError {}
/**
 * 429: a rate limit was hit. Retried after the wait the server asks for,
 * unless that wait exceeds `retry.maxRetryAfterMs`: then it is emitted at once.
 */
export class RateLimitError extends APIError {}
/** 500 to 599: the server failed. Retried. */
export class InternalServerError extends APIError {}

/**
 * Whether a status is a server error: 500 to 599 only. Servers send 600 to
 * 999 too, which no RFC defines: they are plain {@link APIError}s, not retried.
 *
 * @param status An HTTP status code.
 * @returns `true` from 500 to 599.
 */
export function isServerErrorStatus(status: number): boolean {
  return status >= 500 && status <= 599;
}

/**
 * The longest server text an error message quotes, in characters: a server
 * that sends a 10 MB message must not make every log line 10 MB.
 */
export const MAX_QUOTED_CHARS = 4_096;

/**
 * A server's text cut to {@link MAX_QUOTED_CHARS}, saying how much was left out.
 *
 * @param text What the server wrote.
 * @returns The text, or its beginning and `… (N more characters)`.
 */
export function quoteServerText(text: string): string {
  if (text.length <= MAX_QUOTED_CHARS) return text;
  return `${text.slice(0, MAX_QUOTED_CHARS)}… (${text.length - MAX_QUOTED_CHARS} more characters)`;
}

function describeFailure(
  status: number,
  error: APIErrorDetails | undefined,
  headers: Readonly<Record<string, string>>,
): string {
  const detail = error?.message ?? 'no error message in the response body';
  if (status < 300 || status > 399) return detail;
  // Not followed: a redirect of an authenticated request would carry the key to wherever it points.
  const location = headers['location'];
  const target = location === undefined ? 'without a Location header' : `to ${JSON.stringify(quoteServerText(location))}`;
  return `redirect ${target}, not followed (point baseURL at the final address); ${detail}`;
}

const STATUS_CLASSES: Readonly<Record<number, typeof APIError>> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  408: RequestTimeoutError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** The connection failed: refused, reset, closed mid-body, DNS failure. Retried. */
export class APIConnectionError extends StoredCompletionsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'connection_error', options);
  }
}

/**
 * An attempt took too long: no headers within `timeout.headersMs`, a silence in
 * the body longer than `timeout.bodyMs`, or headers and body together longer
 * than `timeout.attemptMs`. Retried.
 */
export class APITimeoutError extends APIConnectionError {
  /** Which bound was exceeded: `headers`, `body` (the silence between two chunks) or `attempt` (the whole attempt). */
  readonly phase: 'headers' | 'body' | 'attempt';

  constructor(phase: 'headers' | 'body' | 'attempt', timeoutMs: number, options?: { cause?: unknown }) {
    super(
      phase === 'attempt'
        ? `No complete response within ${timeoutMs} ms (timeout.attemptMs, headers and body together)`
        : `No response ${phase} within ${timeoutMs} ms`,
      options,
    );
    this.phase = phase;
  }
}

/**
 * A response body larger than `maxBodyBytes`, said so by its `content-length`
 * or found while streaming it (decompressed, if the server compressed it).
 * Reading stops there, so memory stays bounded. Not retried: the same body would come back.
 */
export class ResponseTooLargeError extends StoredCompletionsError {
  /** HTTP status code of the response. */
  readonly status: number;
  /** The limit that was exceeded, in bytes. */
  readonly maxBodyBytes: number;

  constructor(status: number, maxBodyBytes: number) {
    super(
      `The ${status} response body is larger than maxBodyBytes (${maxBodyBytes} bytes); reading stopped there. ` +
        'Raise `maxBodyBytes` if this server really sends pages that large',
      'response_too_large',
    );
    this.status = status;
    this.maxBodyBytes = maxBodyBytes;
  }
}

/**
 * A 2xx response whose body is not JSON (a proxy's HTML page, a truncated
 * body), or a body of any status compressed in a way that could not be undone.
 * Retried, except for a `content-encoding` the client does not know
 * (code `unsupported_encoding`), which would come back the same.
 */
export class InvalidResponseError extends StoredCompletionsError {
  /** HTTP status code of the response. */
  readonly status: number;
  /** The `x-request-id` header of the response, when present. */
  readonly requestId: string | undefined;

  constructor(
    status: number,
    requestId: string | undefined,
    options?: { cause?: unknown; problem?: string; code?: 'invalid_response' | 'unsupported_encoding' },
  ) {
    super(`The ${status} response body ${options?.problem ?? 'is not valid JSON'}`, options?.code ?? 'invalid_response', options);
    this.status = status;
    this.requestId = requestId;
  }
}

/**
 * A response did not match the schema: a structural violation such as an item
 * without `id`, or `data` that is not an array. Not retried: the same bytes
 * would come back. `paths` lists every failure, e.g. `data[3].id: expected string, got undefined`.
 */
export class DecodeError extends StoredCompletionsError {
  /** One line per failure, each starting with the path from the decoded root. */
  readonly paths: readonly string[];

  constructor(what: string, paths: readonly string[]) {
    super(`Invalid ${what}: ${paths.join('; ')}`, 'decode_error');
    this.paths = paths;
  }
}

/**
 * The cursor chain broke: a page that would loop forever (its cursor does not
 * advance), one that claims `has_more` yet holds no item to continue after,
 * one that repeats an item the walk has already emitted (`duplicate_item`),
 * or a server that ignores the `order` the walk asked for (`order_not_respected`,
 * checked on the first page that can tell, and on every page of both sides
 * of the bidirectional strategy). The official SDK loops, repeats or stops silently
 * in these cases; we fail loudly, before anything wrong is emitted.
 */
export class CursorError extends StoredCompletionsError {
  /** The `after` cursor of the request whose page broke the chain, if any. */
  readonly after: string | undefined;

  constructor(
    code: 'cursor_not_advancing' | 'empty_page_with_more' | 'duplicate_item' | 'order_not_respected',
    message: string,
    after: string | undefined,
  ) {
    super(message, code);
    this.after = after;
  }
}

/**
 * Asking `azure.tokenProvider` for a token failed, so the attempt sent nothing: the provider threw
 * or rejected (`token_provider_failed`, its error as `cause`), or gave no token within
 * `timeout.attemptMs`, which bounds the whole attempt, the token included
 * (`token_provider_timeout`). Retried like any failed attempt.
 */
export class TokenProviderError extends StoredCompletionsError {
  constructor(code: 'token_provider_failed' | 'token_provider_timeout', message: string, options?: { cause?: unknown }) {
    super(message, code, options);
  }
}

/**
 * The server contradicts itself: it answered 404 to the DELETE of a completion, as if it were
 * gone, yet a retrieve finds it (`contradictory_404`). Its DELETE route does not reach what it
 * stores, as behind a gateway that does not forward DELETE: reporting such completions as gone
 * would say a deletion happened when none did. Not retried.
 */
export class InconsistentServerError extends StoredCompletionsError {
  /** The completion the server both finds and cannot find. */
  readonly id: string;

  constructor(id: string) {
    super(
      `The server answered 404 to the DELETE of ${JSON.stringify(id)}, yet retrieves it: its DELETE route does not reach the ` +
        'completions it stores (a gateway or proxy that does not forward DELETE?), so nothing was deleted. Check the base URL',
      'contradictory_404',
    );
    this.id = id;
  }
}

/** A parameter or option was rejected before anything was sent. */
export class InvalidArgumentError extends StoredCompletionsError {
  constructor(message: string) {
    super(message, 'invalid_argument');
  }
}

/** The caller's `AbortSignal` fired. Carries the signal's reason as `cause`. */
export class AbortError extends StoredCompletionsError {
  constructor(reason: unknown) {
    super('The operation was aborted', 'aborted', { cause: reason });
  }
}
