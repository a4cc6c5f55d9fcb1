import { map, mergeMap, type Observable } from 'rxjs';
import type { Dispatcher } from 'undici';
import { ChatCompletion, ChatCompletionList } from '../codecs';
import { decodePage } from '../decode/decodePage';
import { InvalidArgumentError } from '../errors';
import { httpGet, type TimeoutOptions, type Transport } from '../fetch/httpGet';
import { encodeQuery, validateListParams, type ListParams } from '../fetch/ListParams';
import { readJson } from '../fetch/readJson';
import { RateLimitGate } from '../retry/RateLimitGate';
import { retryBackoff, type RetryEvent } from '../retry/retryBackoff';
import type { RetryOptions } from '../retry/RetryOptions';
import { walkCursor } from '../walk/walkCursor';
import { DEFAULTS } from './defaults';
import { untilAborted } from './untilAborted';

/** Options of {@link createClient}. Every one is optional. */
export interface ClientOptions {
  /** Sent as `Authorization: Bearer …`. Default: `process.env.OPENAI_API_KEY`. */
  readonly apiKey?: string | undefined;
  /** Default: `process.env.OPENAI_BASE_URL`, else `https://api.openai.com/v1`. */
  readonly baseURL?: string | undefined;
  /** Sent as `OpenAI-Organization`. Default: `process.env.OPENAI_ORG_ID`. */
  readonly organization?: string | undefined;
  /** Sent as `OpenAI-Project`. Default: `process.env.OPENAI_PROJECT_ID`. */
  readonly project?: string | undefined;
  /** Extra headers for every request. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Per-attempt timeouts: one number for both phases, or each. Default: `DEFAULTS.timeout`. */
  readonly timeout?: number | Partial<TimeoutOptions> | undefined;
  /** Retry options, merged over `DEFAULTS.retry`. */
  readonly retry?: Partial<RetryOptions> | undefined;
  /** Any undici Dispatcher: a proxy, a custom Agent. Default: undici's global dispatcher. */
  readonly dispatcher?: Dispatcher | undefined;
  /** Told of every retry of every request of this client, before its wait. */
  readonly onRetry?: ((event: RetryEvent) => void) | undefined;
}

/** Options of a single stream. */
export interface RequestOptions {
  /** Aborts the stream with an `AbortError`, for callers outside RxJS. */
  readonly signal?: AbortSignal | undefined;
}

/** The stored Chat Completions endpoints, as cold Observables. */
export interface ChatCompletions {
  /**
   * Every stored completion matching `params`, one at a time, in `order`.
   * Cold: each subscription is a walk of its own.
   */
  list(params?: ListParams, options?: RequestOptions): Observable<ChatCompletion>;
  /** The same walk, one decoded page at a time. */
  pages(params?: ListParams, options?: RequestOptions): Observable<ChatCompletionList>;
}

/** A client of the stored Chat Completions API. Holds no connection until a stream is subscribed. */
export interface Client {
  readonly chat: { readonly completions: ChatCompletions };
}

/**
 * Creates a client. Options fall back on the environment, like the official
 * SDK: `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`.
 *
 * The API key is held in a closure, never on an enumerable property, so
 * logging the client cannot print it. All the streams of one client share one
 * rate-limit gate: a 429 pauses them all.
 *
 * ## Example
 * ```ts
 * import { createClient } from 'rx-stored-completions';
 * import { take } from 'rxjs';
 *
 * const client = createClient({ apiKey: process.env.OPENAI_API_KEY });
 * client.chat.completions.list({ order: 'desc' }).pipe(take(5)).subscribe((c) => console.log(c.id));
 * ```
 *
 * @param options Client options.
 * @returns The client.
 * @throws {InvalidArgumentError} for a malformed `baseURL` or timeout, or a
 *   missing key when the base URL is OpenAI's own.
 */
export function createClient(options: ClientOptions = {}): Client {
  const env = process.env;
  const apiKey = options.apiKey ?? env['OPENAI_API_KEY'];
  const baseURL = parseBaseURL(options.baseURL ?? env['OPENAI_BASE_URL'] ?? DEFAULTS.baseURL);
  if (!apiKey && baseURL === DEFAULTS.baseURL) {
    throw new InvalidArgumentError('Missing API key: pass `apiKey` to createClient or set OPENAI_API_KEY');
  }
  const organization = options.organization ?? env['OPENAI_ORG_ID'];
  const project = options.project ?? env['OPENAI_PROJECT_ID'];
  const transport: Transport = {
    dispatcher: options.dispatcher,
    timeout: resolveTimeout(options.timeout),
    headers: {
      accept: 'application/json',
      'user-agent': 'rx-stored-completions',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      ...(organization ? { 'openai-organization': organization } : {}),
      ...(project ? { 'openai-project': project } : {}),
      ...options.headers,
    },
  };
  const gate = new RateLimitGate();
  const retry = { ...resolveRetry(options.retry), gate, onRetry: options.onRetry };

  const fetchJson = (url: string): Observable<unknown> =>
    gate.through(httpGet(url, transport)).pipe(
      map((response) => readJson(response, apiKey)),
      retryBackoff(retry),
    );

  const pages = (params: ListParams = {}, requestOptions: RequestOptions = {}): Observable<ChatCompletionList> => {
    validateListParams(params);
    const query = { ...params, limit: params.limit ?? DEFAULTS.pageLimit };
    return walkCursor(
      (after) => fetchJson(`${baseURL}/chat/completions?${encodeQuery({ ...query, after })}`),
      params.after,
    ).pipe(decodePage(ChatCompletionList), untilAborted(requestOptions.signal));
  };

  return {
    chat: {
      completions: {
        pages,
        list: (params, requestOptions) => pages(params, requestOptions).pipe(mergeMap((page) => page.data)),
      },
    },
  };
}

function parseBaseURL(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError(`Expected \`baseURL\` to be an absolute http(s) URL, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`Expected \`baseURL\` to be an http(s) URL, got ${JSON.stringify(text)}`);
  }
  return text.replace(/\/+$/, '');
}

function resolveTimeout(timeout: ClientOptions['timeout']): TimeoutOptions {
  const resolved = typeof timeout === 'number' ? { headersMs: timeout, bodyMs: timeout } : { ...DEFAULTS.timeout, ...timeout };
  for (const [name, value] of Object.entries(resolved)) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new InvalidArgumentError(`Expected \`timeout.${name}\` to be a positive number of milliseconds, got ${String(value)}`);
    }
  }
  return resolved;
}

function resolveRetry(retry: ClientOptions['retry']): RetryOptions {
  const resolved: RetryOptions = { ...DEFAULTS.retry, ...retry };
  if (!(Number.isInteger(resolved.maxRetries) && resolved.maxRetries >= 0)) {
    throw new InvalidArgumentError(`Expected \`retry.maxRetries\` to be a non-negative integer, got ${String(resolved.maxRetries)}`);
  }
  if (!(resolved.jitterRatio >= 0 && resolved.jitterRatio <= 1)) {
    throw new InvalidArgumentError(`Expected \`retry.jitterRatio\` to be a number from 0 to 1, got ${String(resolved.jitterRatio)}`);
  }
  for (const name of ['initialDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    if (!(Number.isFinite(resolved[name]) && resolved[name] >= 0)) {
      throw new InvalidArgumentError(`Expected \`retry.${name}\` to be a non-negative number of milliseconds, got ${String(resolved[name])}`);
    }
  }
  return resolved;
}
