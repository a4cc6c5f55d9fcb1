import { AsyncResource } from 'node:async_hooks';
import { Observable } from 'rxjs';
import { errors, getGlobalDispatcher, type Dispatcher } from 'undici';
import {
  APIConnectionError,
  APITimeoutError,
  InvalidArgumentError,
  ResponseTooLargeError,
  StoredCompletionsError,
} from '../../errors';
import { Redactor } from '../redact/Redactor';
import { decodeContentEncoding } from './decodeContentEncoding';
import type { TimeoutOptions } from '../../client/TimeoutOptions';

/** How requests leave the process: the connection pool, fixed headers, timeouts and the body limit. */
export interface Transport {
  /** Any undici Dispatcher (an Agent, a ProxyAgent, a MockAgent); the global one when absent. */
  readonly dispatcher?: Dispatcher | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeout: TimeoutOptions;
  /** The largest response body read, in bytes, after decompression; reading stops past it. */
  readonly maxBodyBytes: number;
  /**
   * Masks credentials in the errors of a request. Default: one built from the
   * credential headers of `headers` and the user info of the URL.
   */
  readonly redactor?: Redactor | undefined;
}

/** One request: its method, absolute URL and, for a POST, its JSON body. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Absolute http(s) URL. */
  readonly url: string;
  /** Sent as `application/json`; only a POST carries one. */
  readonly body?: string | undefined;
  /**
   * When the attempt this request belongs to began (`Date.now()`), if before the request: an
   * attempt that first asked for a token. `timeout.attemptMs` counts from there. Default: now.
   */
  readonly attemptStartMs?: number | undefined;
}

/** A response read in full: status, lower-cased headers and the body's bytes. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Left undecoded, so that a glance at it (`peekNextCursor`) can come before the cost of decoding. */
  readonly body: Buffer;
}

/**
 * One HTTP request as a cold Observable: each subscription sends it once, and
 * unsubscribing aborts it, whether it is waiting for headers or reading the body.
 *
 * Network failures become {@link APIConnectionError}s, stalls and attempts
 * longer than `timeout.attemptMs` {@link APITimeoutError}s, a body larger than
 * `maxBodyBytes` a {@link ResponseTooLargeError} (reading stops there, so memory
 * stays bounded), and a URL that is not absolute http(s) or a request undici
 * refuses to send (an invalid header) {@link InvalidArgumentError}s. A body the
 * server compressed anyway (gzip, deflate, br) is decompressed. Any HTTP
 * status is a successful emission, for the caller to judge. No error holds a
 * credential of the request (see {@link Redactor}).
 *
 * ## Example
 * ```ts
 * import { httpRequest } from 'rx-stored-completions';
 * httpRequest({ method: 'GET', url: 'http://127.0.0.1:8080/v1/chat/completions' }, transport);
 * ```
 *
 * @param request Method, absolute http(s) URL and optional JSON body.
 * @param transport Dispatcher, headers, timeouts and body limit.
 * @returns An Observable that emits one {@link HttpResponse} and completes.
 */
export function httpRequest(request: HttpRequest, transport: Transport): Observable<HttpResponse> {
  const { method, url, body } = request;
  return new Observable<HttpResponse>((subscriber) => {
    const redactor = transport.redactor ?? Redactor.of({ headers: transport.headers, urls: [url] });
    const target = httpURL(url);
    if (target === undefined) {
      subscriber.error(new InvalidArgumentError(`Expected an absolute http(s) URL, got ${redactor.text(JSON.stringify(url))}`));
      return undefined;
    }
    // undici calls the handler from its socket's callbacks, in the async context of whichever
    // request opened the socket: the response is passed on in the subscriber's own, as
    // `request()` did, so that AsyncLocalStorage (a logger's, a tracer's) sees the right request.
    const scope = new AsyncResource('rx-stored-completions:httpRequest');
    const { maxBodyBytes } = transport;
    // Set once undici starts the request; an unsubscribe that comes earlier aborts it then.
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let status = 0;
    let headers: Record<string, string> = {};
    let receivedBytes = 0;
    const chunks: Buffer[] = [];
    const stop = (): void => {
      settled = true;
      clearTimeout(deadline);
      chunks.length = 0;
      controller?.abort(new errors.RequestAbortedError());
    };
    const emitError = (error: StoredCompletionsError): void => {
      // undici starts a request (`onRequestStart`) just before it writes it to a connection: an
      // attempt that fails before, with no answer either, never reached the server.
      if (controller === undefined && status === 0) NEVER_SENT.add(error);
      scope.runInAsyncScope(() => subscriber.error(redactor.error(error)));
    };
    const fail = (error: StoredCompletionsError): void => {
      if (settled) return;
      stop();
      emitError(error);
    };
    const { attemptMs } = transport.timeout;
    const spentMs = request.attemptStartMs === undefined ? 0 : Math.max(0, Date.now() - request.attemptStartMs);
    const deadline =
      attemptMs === undefined || attemptMs > MAX_TIMER_MS
        ? undefined
        : setTimeout(() => fail(new APITimeoutError('attempt', attemptMs)), Math.max(0, attemptMs - spentMs));
    const finish = (): void => {
      clearTimeout(deadline);
      const whole = Buffer.concat(chunks);
      chunks.length = 0;
      const contentEncoding = headers['content-encoding'];
      if (contentEncoding === undefined) return void emit(whole);
      decodeContentEncoding({ status, requestId: headers['x-request-id'], contentEncoding, body: whole }, maxBodyBytes).then(
        emit,
        emitError,
      );
    };
    const emit = (bytes: Buffer): void => {
      scope.runInAsyncScope(() => {
        subscriber.next({ status, headers, body: bytes });
        subscriber.complete();
      });
    };
    try {
      // `dispatch` rather than `request`: the body is wanted whole, and `request` would
      // stream it through a Readable, with its buffering and events, only to gather it again.
      (transport.dispatcher ?? getGlobalDispatcher()).dispatch(
        {
          origin: target.origin,
          path: `${target.pathname}${target.search}`,
          method,
          headers: body === undefined ? transport.headers : { ...transport.headers, 'content-type': 'application/json' },
          body: body ?? null,
          headersTimeout: transport.timeout.headersMs,
          bodyTimeout: transport.timeout.bodyMs,
        },
        {
          onRequestStart(started) {
            controller = started;
            if (settled) started.abort(new errors.RequestAbortedError());
          },
          onResponseStart(_, statusCode, responseHeaders) {
            status = statusCode;
            headers = flattenHeaders(responseHeaders);
            // Refused before a byte of it is read, when the server says how large it is.
            if (Number(headers['content-length']) > maxBodyBytes) fail(new ResponseTooLargeError(status, maxBodyBytes));
          },
          onResponseData(_, chunk) {
            if (settled) return;
            receivedBytes += chunk.length;
            if (receivedBytes > maxBodyBytes) return fail(new ResponseTooLargeError(status, maxBodyBytes));
            chunks.push(chunk);
          },
          onResponseEnd() {
            if (settled) return;
            settled = true;
            finish();
          },
          onResponseError(_, error) {
            fail(toConnectionError(error, transport.timeout));
          },
        },
      );
    } catch (error) {
      // undici's own dispatchers report through `onResponseError`; a custom one, or an interceptor, may throw.
      fail(toConnectionError(error, transport.timeout));
    }
    return () => {
      if (settled) return;
      stop();
    };
  });
}

/** The errors of attempts that failed before undici began to write their request. */
const NEVER_SENT = new WeakSet<StoredCompletionsError>();

/**
 * Whether an error of {@link httpRequest} came before undici began to write the request: no
 * connection made (refused, no address, a connect timeout), a proxy that refused the tunnel
 * (`CONNECT` answered 503, 407), a timeout while the connection or the tunnel was still being
 * made. Such a request never reached the server, so the server did nothing.
 *
 * @param error Any error.
 * @returns `true` only for an error of an attempt whose request never left.
 */
export function neverSent(error: unknown): boolean {
  return error instanceof StoredCompletionsError && NEVER_SENT.has(error);
}

/**
 * The longest delay `setTimeout` keeps: beyond it, Node fires after 1 ms, which would
 * time every attempt out at once. A longer `attemptMs` (about 24.8 days) is no bound.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The URL, when it is an absolute http(s) one: parsed once, since this runs for every request. */
function httpURL(url: string): URL | undefined {
  try {
    const target = new URL(url);
    return target.protocol === 'http:' || target.protocol === 'https:' ? target : undefined;
  } catch {
    return undefined;
  }
}

function flattenHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
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
