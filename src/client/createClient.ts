import {
  BehaviorSubject,
  concat,
  concatMap,
  defer,
  EMPTY,
  filter,
  from,
  map,
  mergeMap,
  switchMap,
  take,
  type Observable,
  type ObservableInput,
} from 'rxjs';
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
import { meetInTheMiddle } from '../walk/meetInTheMiddle';
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

/** Options of {@link ChatCompletions.list}. */
export interface ListOptions extends RequestOptions {
  /**
   * `ordered` (default): one walk in `params.order`. `bidirectional`: for full
   * exports that do not need an order, an ascending and a descending walk at
   * once, meeting in the middle; every item exactly once, about twice as fast
   * when latency dominates. Takes no `after` and no `order`.
   */
  readonly strategy?: 'ordered' | 'bidirectional' | undefined;
}

/** Options of {@link ChatCompletions.process}. */
export interface ProcessOptions extends RequestOptions {
  /**
   * How many pages the walk may fetch ahead of the last page whose items
   * `work` has all finished. Default `DEFAULTS.prefetch` (1): the next page
   * downloads while the current one is processed, and memory holds about two pages.
   */
  readonly prefetch?: number | undefined;
  /** How many items of a page `work` processes at once. Default 1, in order. */
  readonly concurrency?: number | undefined;
}

/** The stored Chat Completions endpoints, as cold Observables. */
export interface ChatCompletions {
  /**
   * Every stored completion matching `params`, one at a time: in `params.order`
   * with the default `ordered` strategy, in no set order with `bidirectional`.
   * Cold: each subscription is a walk of its own.
   */
  list(params?: ListParams, options?: ListOptions): Observable<ChatCompletion>;
  /** The same walk, one decoded page at a time. */
  pages(params?: ListParams, options?: RequestOptions): Observable<ChatCompletionList>;
  /**
   * Runs `work` on every stored completion and emits its results, pacing the
   * walk to `work`: a page is requested only when the pages before it, but
   * `prefetch` of them, are fully processed. Memory stays at a few pages
   * however slow `work` is and however long the history, while a consumer
   * faster than the network never waits for anything but the network.
   * (`list().pipe(concatMap(work))` would instead buffer every item the walk
   * brings in faster than `work` takes them.)
   */
  process<R>(
    params: ListParams | undefined,
    work: (item: ChatCompletion) => ObservableInput<R>,
    options?: ProcessOptions,
  ): Observable<R>;
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

  const walk = (params: ListParams, ready?: (pageIndex: number) => Observable<unknown>): Observable<ChatCompletionList> => {
    const query = { ...params, limit: params.limit ?? DEFAULTS.pageLimit };
    const fetchPage = (after: string | undefined): Observable<unknown> =>
      fetchJson(`${baseURL}/chat/completions?${encodeQuery({ ...query, after })}`);
    return walkCursor(
      ready ? (after, pageIndex) => ready(pageIndex).pipe(take(1), switchMap(() => fetchPage(after))) : fetchPage,
      params.after,
    ).pipe(decodePage(ChatCompletionList));
  };

  const pages = (params: ListParams = {}, requestOptions: RequestOptions = {}): Observable<ChatCompletionList> => {
    validateListParams(params);
    return walk(params).pipe(untilAborted(requestOptions.signal));
  };

  const list = (params: ListParams = {}, listOptions: ListOptions = {}): Observable<ChatCompletion> => {
    validateListParams(params);
    const strategy = listOptions.strategy ?? 'ordered';
    if (strategy === 'ordered') return walk(params).pipe(mergeMap((page) => page.data), untilAborted(listOptions.signal));
    if (strategy !== 'bidirectional') {
      throw new InvalidArgumentError(`Expected \`strategy\` to be 'ordered' or 'bidirectional', got ${JSON.stringify(strategy)}`);
    }
    if (params.after !== undefined || params.order !== undefined) {
      throw new InvalidArgumentError('The bidirectional strategy walks the whole list from both ends: it takes no `after` and no `order`');
    }
    return meetInTheMiddle(walk({ ...params, order: 'asc' }), walk({ ...params, order: 'desc' })).pipe(
      untilAborted(listOptions.signal),
    );
  };

  const processEach = <R>(
    params: ListParams = {},
    work: (item: ChatCompletion) => ObservableInput<R>,
    processOptions: ProcessOptions = {},
  ): Observable<R> => {
    validateListParams(params);
    const prefetch = positiveInteger('prefetch', processOptions.prefetch ?? DEFAULTS.prefetch, 0);
    const concurrency = positiveInteger('concurrency', processOptions.concurrency ?? 1, 1);
    return defer(() => {
      const finishedPages = new BehaviorSubject(0);
      const ready = (pageIndex: number) => finishedPages.pipe(filter((finished) => finished >= pageIndex - prefetch));
      return walk(params, ready).pipe(
        concatMap((page) =>
          concat(
            from(page.data).pipe(mergeMap(work, concurrency)),
            defer(() => {
              finishedPages.next(finishedPages.value + 1);
              return EMPTY;
            }),
          ),
        ),
        untilAborted(processOptions.signal),
      );
    });
  };

  return { chat: { completions: { list, pages, process: processEach } } };
}

function positiveInteger(name: string, value: number, min: number): number {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new InvalidArgumentError(`Expected \`${name}\` to be an integer of at least ${min}, got ${String(value)}`);
  }
  return value;
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
