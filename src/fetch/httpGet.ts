import { Observable } from 'rxjs';
import { request, type Dispatcher } from 'undici';
import { APIConnectionError, APITimeoutError, InvalidArgumentError, type StoredCompletionsError } from '../errors';

/** Per-attempt timeouts, in milliseconds. */
export interface TimeoutOptions {
  /** How long to wait for the response headers. */
  readonly headersMs: number;
  /** The longest silence allowed between two chunks of the body. */
  readonly bodyMs: number;
}

/** How requests leave the process: the connection pool, fixed headers and timeouts. */
export interface Transport {
  /** Any undici Dispatcher (an Agent, a ProxyAgent, a MockAgent); the global one when absent. */
  readonly dispatcher?: Dispatcher | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeout: TimeoutOptions;
}

/** A response read in full: status, lower-cased headers and the body's bytes. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Left undecoded, so that a glance at it (`peekNextCursor`) can come before the cost of decoding. */
  readonly body: Buffer;
}

/**
 * One HTTP GET as a cold Observable: each subscription sends one request, and
 * unsubscribing aborts it, whether it is waiting for headers or reading the body.
 *
 * Network failures become {@link APIConnectionError}s, stalls
 * {@link APITimeoutError}s, and requests undici refuses to send (an invalid
 * header) {@link InvalidArgumentError}s; any HTTP status is a successful emission, for the
 * caller to judge.
 *
 * @param url Absolute URL to fetch.
 * @param transport Dispatcher, headers and timeouts.
 * @returns An Observable that emits one {@link HttpResponse} and completes.
 */
export function httpGet(url: string, transport: Transport): Observable<HttpResponse> {
  return new Observable<HttpResponse>((subscriber) => {
    const controller = new AbortController();
    let settled = false;
    request(url, {
      method: 'GET',
      headers: transport.headers,
      signal: controller.signal,
      headersTimeout: transport.timeout.headersMs,
      bodyTimeout: transport.timeout.bodyMs,
      ...(transport.dispatcher ? { dispatcher: transport.dispatcher } : {}),
    })
      .then(async (response) => ({
        status: response.statusCode,
        headers: flattenHeaders(response.headers),
        body: Buffer.from(await response.body.arrayBuffer()),
      }))
      .then(
        (response) => {
          settled = true;
          subscriber.next(response);
          subscriber.complete();
        },
        (error: unknown) => {
          settled = true;
          subscriber.error(toConnectionError(error, transport.timeout));
        },
      );
    // Aborting a settled request would do nothing but build a DOMException, with its stack.
    return () => {
      if (!settled) controller.abort();
    };
  });
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/**
 * undici's codes for a request refused before it left (a header value with a
 * line break, a dispatcher the caller closed): nothing a retry can mend.
 */
const LOCAL_ERRORS = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_DESTROYED', 'UND_ERR_CLOSED']);

function toConnectionError(error: unknown, timeout: TimeoutOptions): StoredCompletionsError {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && LOCAL_ERRORS.has(code)) {
    return new InvalidArgumentError(`The request could not be sent: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return new APITimeoutError('headers', timeout.headersMs, { cause: error });
  if (code === 'UND_ERR_BODY_TIMEOUT') return new APITimeoutError('body', timeout.bodyMs, { cause: error });
  const reason = error instanceof Error ? error.message : String(error);
  return new APIConnectionError(`Connection failed: ${reason}`, { cause: error });
}
