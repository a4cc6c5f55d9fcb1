/**
 * The one error hierarchy of the library. Every error a stream can emit is a
 * {@link StoredCompletionsError}; HTTP failures are {@link APIError}s with one
 * subclass per status family, so that callers can branch with `instanceof`.
 *
 * None of these classes ever holds the API key: messages are built from the
 * response body, from which `readJson` masks the key before any error is built.
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
    const detail = error?.message ?? 'no error message in the response body';
    super(`${status} ${detail}${requestId ? ` (request id ${requestId})` : ''}`, error?.code ?? `http_${status}`);
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
   * 5xx {@link InternalServerError}, anything else a plain {@link APIError}.
   */
  static from(
    status: number,
    error: APIErrorDetails | undefined,
    requestId: string | undefined,
    headers: Readonly<Record<string, string>>,
  ): APIError {
    const Subclass = STATUS_CLASSES[status] ?? (status >= 500 ? InternalServerError : APIError);
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
/** 5xx: the server failed. Retried. */
export class InternalServerError extends APIError {}

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

/** No headers, or no body bytes, arrived within the per-attempt timeout. Retried. */
export class APITimeoutError extends APIConnectionError {
  /** Which phase stalled. */
  readonly phase: 'headers' | 'body';

  constructor(phase: 'headers' | 'body', timeoutMs: number, options?: { cause?: unknown }) {
    super(`No response ${phase} within ${timeoutMs} ms`, options);
    this.phase = phase;
  }
}

/** A 2xx response whose body is not JSON (a proxy's HTML page, a truncated body). Retried. */
export class InvalidResponseError extends StoredCompletionsError {
  /** HTTP status code of the response. */
  readonly status: number;
  /** The `x-request-id` header of the response, when present. */
  readonly requestId: string | undefined;

  constructor(status: number, requestId: string | undefined, options?: { cause?: unknown }) {
    super(`The ${status} response body is not valid JSON`, 'invalid_response', options);
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
 * advance) or one that claims `has_more` yet holds no item to continue after.
 * The official SDK loops or stops silently in these cases; we fail loudly.
 */
export class CursorError extends StoredCompletionsError {
  /** The `after` cursor of the request whose page broke the chain, if any. */
  readonly after: string | undefined;

  constructor(
    code: 'cursor_not_advancing' | 'empty_page_with_more',
    message: string,
    after: string | undefined,
  ) {
    super(message, code);
    this.after = after;
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
