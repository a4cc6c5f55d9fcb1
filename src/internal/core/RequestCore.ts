import type * as t from 'io-ts';
import { catchError, defer, identity, map, of, switchMap, tap, throwError, type MonoTypeOperatorFunction, type Observable } from 'rxjs';
import { bearerToken } from './bearerToken';
import { untilAborted } from './untilAborted';
import { decodeOrThrow } from '../../codecs/decodeOrThrow';
import { APIConnectionError, APIError, InvalidResponseError, NotFoundError } from '../../errors';
import { httpRequest, neverSent, type HttpResponse, type Transport } from '../fetch/httpRequest';
import { readJson } from '../fetch/readJson';
import type { Redactor } from '../redact/Redactor';
import type { RateLimitGate } from '../../client/RateLimitGate';
import type { RetryEvent } from '../../client/RetryOptions';
import type { RetryOptions } from '../../client/RetryOptions';
import { retryWithin } from '../retry/retryWithin';
import { WaitBudget } from '../retry/WaitBudget';
import { checkRequestOptions } from './checkRequestOptions';
import type { RequestOptions } from '../../client/RequestOptions';

/** What a client resolves from its options: where requests go and how they travel. */
export interface CoreConfig {
  /** Absolute http(s) URL without a trailing slash; paths are appended to it. */
  readonly baseURL: string;
  readonly transport: Transport;
  /** Shared by every request of the client. */
  readonly gate: RateLimitGate;
  readonly retry: RetryOptions;
  /** Masks the client's credentials (key, credential headers, user info of the base URL) in errors. */
  readonly redactor: Redactor;
  /** An encoded query added to every request's, without the `?`: Azure's `api-version=V`. */
  readonly query?: string | undefined;
  /**
   * Called before every attempt, retries included, for a bearer token sent as
   * `Authorization: Bearer <token>` and masked in that attempt's errors (Azure's Entra ID).
   */
  readonly tokenProvider?: (() => string | Promise<string>) | undefined;
  /** Told of every retry of every request of the client. */
  readonly onRetry: (event: RetryEvent) => void;
}

/** One endpoint call: method, path, query, body, and the codec of the answer. */
export interface RequestSpec<C extends t.Mixed> {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** From the base URL on, starting with `/`, its parameters encoded by `encodePath`. */
  readonly path: string;
  /** An encoded query string without the `?`, or empty. */
  readonly query?: string | undefined;
  /** Serialised as JSON: the body of a POST. */
  readonly body?: unknown;
  /** Decodes the 2xx answer. */
  readonly codec: C;
  /**
   * What a 404 means when an earlier attempt of this same request may have
   * reached the server: for a DELETE, that the earlier attempt deleted it.
   * Without it, such a 404 is a {@link NotFoundError} like any other.
   */
  readonly notFoundAfterReach?: (() => t.TypeOf<C>) | undefined;
}

/**
 * The one request core of a client, which every endpoint goes through:
 * rate-limit gate → HTTP → JSON → retry with backoff → decode. Resources
 * describe their endpoints as a {@link RequestSpec} and leave the rest here;
 * the cursor lists build their pages from {@link RequestCore.attempt}.
 */
export class RequestCore {
  constructor(readonly config: CoreConfig) {}

  /**
   * One endpoint call as a cold Observable that emits the decoded answer
   * once. Each subscription sends the request anew; unsubscribing, or
   * `options.signal`, aborts the attempt in flight or the wait before a retry.
   *
   * Writes are retried like reads: a metadata update and a DELETE are
   * idempotent here. See {@link RequestSpec.notFoundAfterReach} for a retried
   * DELETE answered 404.
   *
   * @param spec The endpoint call.
   * @param options Its `signal`.
   * @returns The decoded answer.
   */
  request<C extends t.Mixed>(spec: RequestSpec<C>, options: RequestOptions = {}): Observable<t.TypeOf<C>> {
    checkRequestOptions(options);
    return defer(() => {
      let reached = false;
      const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
      const decode = (value: unknown): t.TypeOf<C> => decodeOrThrow(spec.codec, value);
      return this.attempt(spec.method, this.url(spec.path, spec.query), body, decode, identity, this.config.onRetry, (error) => {
        reached ||= mayHaveReachedServer(error);
      }).pipe(
        catchError((error: unknown) =>
          error instanceof NotFoundError && reached && spec.notFoundAfterReach
            ? of(spec.notFoundAfterReach())
            : throwError(() => error),
        ),
        catchError((error: unknown) => throwError(() => this.config.redactor.error(error))),
      );
    }).pipe(untilAborted(options.signal));
  }

  /**
   * One request with its retries, up to the decoded answer: the step each page
   * of a cursor list is made of.
   *
   * @param method The HTTP method.
   * @param url The absolute URL, from {@link RequestCore.url}.
   * @param body The serialised JSON body, if any.
   * @param decode Turns the parsed body of a 2xx answer into the answer, or throws (a
   *   {@link DecodeError}, not retried). It runs inside the attempt so that its error is masked
   *   with the attempt's credentials, the bearer token a server may have echoed included.
   * @param beforeParse Applied to each raw response before it is parsed (speculation peeks there).
   * @param onRetry Told of each retry.
   * @param onAttemptError Told of each failed attempt, the last included.
   * @returns The decoded answer.
   */
  attempt<T>(
    method: RequestSpec<t.Mixed>['method'],
    url: string,
    body: string | undefined,
    decode: (value: unknown) => T,
    beforeParse: MonoTypeOperatorFunction<HttpResponse>,
    onRetry: (event: RetryEvent) => void,
    onAttemptError?: (error: unknown) => void,
  ): Observable<T> {
    const { gate, transport, retry, redactor, tokenProvider } = this.config;
    const attempt = (budget: WaitBudget): Observable<T> => defer(() => {
      // With a token provider, each attempt (each retry too) asks it anew, and its token is masked in that attempt's errors.
      let attemptRedactor = redactor;
      const response =
        tokenProvider === undefined
          ? httpRequest({ method, url, body }, transport)
          : defer(() => {
              // Once the gate lets the attempt go: the token and the request share its timeout.
              const attemptStartMs = Date.now();
              return bearerToken(tokenProvider, transport.timeout.attemptMs).pipe(
                switchMap((token) => {
                  attemptRedactor = redactor.with([token]);
                  const headers = { ...transport.headers, authorization: `Bearer ${token}` };
                  return httpRequest({ method, url, body, attemptStartMs }, { ...transport, headers, redactor: attemptRedactor });
                }),
              );
            });
      return gate.through(response, budget).pipe(
        beforeParse,
        map((answer) => {
          try {
            return decode(readJson(answer, attemptRedactor));
          } catch (error) {
            throw attemptRedactor.error(error);
          }
        }),
      );
    });
    return defer(() => {
      // One budget for the request and its retries: what it spends in the gate counts as much as its waits to retry.
      const budget = new WaitBudget(retry.maxWaitPerPageMs);
      return attempt(budget).pipe(
        onAttemptError ? tap({ error: onAttemptError }) : identity,
        retryWithin({ ...retry, onRetry }, () => budget),
      );
    });
  }

  /**
   * @param path From the base URL on, starting with `/`.
   * @param query An encoded query without the `?`, or empty.
   * @returns The absolute URL.
   */
  url(path: string, query?: string): string {
    const queries = [query, this.config.query].filter(Boolean).join('&');
    return `${this.config.baseURL}${path}${queries ? `?${queries}` : ''}`;
  }
}

/**
 * Whether a failed attempt may have been carried out by the server before it
 * failed: a reset or a timeout after the request left, a 5xx, or a 2xx whose
 * body did not parse. A request that never left (see {@link neverSent}: no
 * connection, a tunnel the proxy refused), or a 4xx such as a 429, says the
 * server did nothing.
 */
function mayHaveReachedServer(error: unknown): boolean {
  if (error instanceof APIError) return error.status >= 500 && error.status <= 599;
  if (error instanceof InvalidResponseError) return true;
  return error instanceof APIConnectionError && !neverSent(error);
}
