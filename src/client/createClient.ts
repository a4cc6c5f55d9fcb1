import {
  BehaviorSubject,
  concat,
  concatMap,
  defer,
  EMPTY,
  filter,
  finalize,
  from,
  identity,
  map,
  materialize,
  mergeMap,
  of,
  switchMap,
  take,
  throwError,
  type Observable,
  type MonoTypeOperatorFunction,
  type ObservableInput,
} from 'rxjs';
import type { Dispatcher } from 'undici';
import { ChatCompletion, ChatCompletionList } from '../codecs';
import { decodePage } from '../decode/decodePage';
import { InvalidArgumentError } from '../errors';
import { httpGet, type HttpResponse, type TimeoutOptions, type Transport } from '../fetch/httpGet';
import { encodeQuery, validateListParams, type ListParams } from '../fetch/ListParams';
import { readJson } from '../fetch/readJson';
import { RateLimitGate } from '../retry/RateLimitGate';
import { retryBackoff, type RetryEvent } from '../retry/retryBackoff';
import type { RetryOptions } from '../retry/RetryOptions';
import { meetInTheMiddle } from '../walk/meetInTheMiddle';
import { Speculation } from '../walk/Speculation';
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
  /**
   * How many pages may be requested ahead of the last page the consumer has
   * finished with. Default for `list()` and `pages()`: `DEFAULTS.prefetch.stream`
   * (0), so that `take(n)` sends only the requests it needs; 1 sends the next
   * request as soon as its cursor is known, before the current page is decoded,
   * which is faster for full walks. Default for `process()`: `DEFAULTS.prefetch.process` (1).
   */
  readonly prefetch?: number | undefined;
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

/** Options of {@link ChatCompletions.process}; `prefetch` counts the pages whose items `work` has all finished. */
export interface ProcessOptions extends RequestOptions {
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
  /**
   * {@link ChatCompletions.process} a page at a time: `work` gets each decoded
   * page, and the walk waits for it the same way. For consumers that work in
   * pages: a batch insert, or a file write that must wait for the disk.
   */
  processPages<R>(
    params: ListParams | undefined,
    work: (page: ChatCompletionList) => ObservableInput<R>,
    options?: RequestOptions,
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
  if (apiKey) checkHeaderValue('apiKey', apiKey, 'a key that does (it may have been read with its trailing newline)');
  if (!apiKey && needsApiKey(baseURL)) {
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
      // Lower-cased, so that a caller's `Authorization` replaces ours instead of going out beside it.
      ...Object.fromEntries(
        Object.entries(options.headers ?? {}).map(([name, value]) => {
          checkHeaderValue(`headers.${name}`, value, JSON.stringify(value));
          return [name.toLowerCase(), value];
        }),
      ),
    },
  };
  const gate = new RateLimitGate();
  const retry = { ...resolveRetry(options.retry), gate };
  const reportRetry = (event: RetryEvent): void => options.onRetry?.(event);

  const fetchJson = (
    url: string,
    beforeParse: MonoTypeOperatorFunction<HttpResponse>,
    onRetry: (event: RetryEvent) => void,
  ): Observable<unknown> =>
    gate.through(httpGet(url, transport)).pipe(
      beforeParse,
      map((response) => readJson(response, apiKey)),
      retryBackoff({ ...retry, onRetry }),
    );

  const walk = (
    params: ListParams,
    ready: (pageIndex: number) => Observable<unknown>,
    speculate: boolean,
  ): Observable<unknown> =>
    defer(() => {
      const query = { ...params, limit: params.limit ?? DEFAULTS.pageLimit };
      const fetchPage = (
        after: string | undefined,
        pageIndex: number,
        onRetry: (event: RetryEvent) => void,
      ): Observable<unknown> =>
        ready(pageIndex).pipe(
          take(1),
          switchMap(() =>
            fetchJson(
              `${baseURL}/chat/completions?${encodeQuery({ ...query, after })}`,
              speculate ? speculation.afterResponse(pageIndex) : identity,
              onRetry,
            ),
          ),
        );
      const speculation = new Speculation(fetchPage, reportRetry);
      return walkCursor(
        (after, pageIndex) => speculation.claim(after, pageIndex) ?? fetchPage(after, pageIndex, reportRetry),
        params.after,
      ).pipe(finalize(() => speculation.cancel()));
    });

  /**
   * The walk, paced by its consumer: page k is requested once `consume` has
   * finished with all pages but `prefetch` of those before it. With 0, the
   * next request waits until the consumer is done with the current page, so
   * a consumer that stops (`take`) never causes a request it does not need;
   * with 1, it travels while the current page is decoded and consumed.
   */
  const paced = <R>(
    params: ListParams,
    prefetch: number,
    consume: (page: ChatCompletionList) => ObservableInput<R>,
  ): Observable<R> =>
    defer(() => {
      const finishedPages = new BehaviorSubject(0);
      const ready = (pageIndex: number) => finishedPages.pipe(filter((finished) => finished >= pageIndex - prefetch));
      return walk(params, ready, prefetch > 0).pipe(
        decodePage(ChatCompletionList),
        // A prefetched page can fail while the consumer still works on the one
        // before: its error waits in line, so that work is finished, not cut short.
        materialize(),
        concatMap((notification) => {
          if (notification.kind === 'E') return throwError(() => notification.error);
          if (notification.kind === 'C') return EMPTY;
          return concat(
            consume(notification.value),
            defer(() => {
              finishedPages.next(finishedPages.value + 1);
              return EMPTY;
            }),
          );
        }),
      );
    });

  const pages = (params: ListParams = {}, options: RequestOptions = {}): Observable<ChatCompletionList> => {
    validateListParams(params);
    return paced(params, prefetchOf(options, DEFAULTS.prefetch.stream), (page) => of(page)).pipe(untilAborted(options.signal));
  };

  const list = (params: ListParams = {}, options: ListOptions = {}): Observable<ChatCompletion> => {
    validateListParams(params);
    const prefetch = prefetchOf(options, DEFAULTS.prefetch.stream);
    const strategy = options.strategy ?? 'ordered';
    if (strategy === 'ordered') return paced(params, prefetch, (page) => page.data).pipe(untilAborted(options.signal));
    if (strategy !== 'bidirectional') {
      throw new InvalidArgumentError(`Expected \`strategy\` to be 'ordered' or 'bidirectional', got ${JSON.stringify(strategy)}`);
    }
    if (params.after !== undefined || params.order !== undefined) {
      throw new InvalidArgumentError('The bidirectional strategy walks the whole list from both ends: it takes no `after` and no `order`');
    }
    const side = (order: 'asc' | 'desc') => paced({ ...params, order }, prefetch, (page) => of(page));
    return meetInTheMiddle(side('asc'), side('desc')).pipe(untilAborted(options.signal));
  };

  const processPages = <R>(
    params: ListParams = {},
    work: (page: ChatCompletionList) => ObservableInput<R>,
    options: RequestOptions = {},
  ): Observable<R> => {
    validateListParams(params);
    return paced(params, prefetchOf(options, DEFAULTS.prefetch.process), work).pipe(untilAborted(options.signal));
  };

  const processEach = <R>(
    params: ListParams = {},
    work: (item: ChatCompletion) => ObservableInput<R>,
    options: ProcessOptions = {},
  ): Observable<R> => {
    const concurrency = positiveInteger('concurrency', options.concurrency ?? 1, 1);
    return processPages(params, (page) => from(page.data).pipe(mergeMap(work, concurrency)), options);
  };

  return { chat: { completions: { list, pages, process: processEach, processPages } } };
}

function prefetchOf(options: RequestOptions, fallback: number): number {
  return positiveInteger('prefetch', options.prefetch ?? fallback, 0);
}

function positiveInteger(name: string, value: number, min: number): number {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new InvalidArgumentError(`Expected \`${name}\` to be an integer of at least ${min}, got ${String(value)}`);
  }
  return value;
}

/**
 * Whether requests to `baseURL` need an API key: those to OpenAI's own host,
 * however its URL is spelled. Other servers (the emulator, a proxy) may take none.
 *
 * @param baseURL An absolute URL.
 * @returns `true` for OpenAI's host.
 */
export function needsApiKey(baseURL: string): boolean {
  return new URL(baseURL).hostname === new URL(DEFAULTS.baseURL).hostname;
}

/**
 * Checks a base URL and gives it in the form requests are built from, with
 * no trailing slash. The CLI checks its `--base-url` with it too.
 *
 * @param text The URL.
 * @param name What the caller calls it, for the message (`baseURL`, `--base-url`).
 * @returns The URL without trailing slashes.
 * @throws {InvalidArgumentError} for a URL that is not absolute http(s), or has a query or fragment.
 */
export function parseBaseURL(text: string, name = 'baseURL'): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError(`Expected \`${name}\` to be an absolute http(s) URL, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`Expected \`${name}\` to be an http(s) URL, got ${JSON.stringify(text)}`);
  }
  // Paths are appended to it as text: a query or fragment would swallow them.
  if (url.search !== '' || url.hash !== '') {
    throw new InvalidArgumentError(`Expected \`${name}\` to have no query and no fragment, got ${JSON.stringify(text)}`);
  }
  return text.replace(/\/+$/, '');
}

/** Header values travel as they are: a line break would end the header early, and undici refuses it. */
function checkHeaderValue(name: string, value: string, shown: string): void {
  if (/[\r\n\0]/.test(value)) {
    throw new InvalidArgumentError(`Expected \`${name}\` to hold no line break or NUL, got ${shown}`);
  }
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
