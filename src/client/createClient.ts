import type { Dispatcher } from 'undici';
import { RequestCore } from '../internal/core/RequestCore';
import { InvalidArgumentError } from '../errors';
import { Redactor } from '../internal/redact/Redactor';
import { needsApiKey, parseBaseURL } from '../internal/client/baseURL';
import type { Transport } from '../internal/fetch/httpRequest';
import type { TimeoutOptions } from './TimeoutOptions';
import { proxyFromEnv } from '../internal/fetch/proxyFromEnv';
import { PROXY_URL_VARIABLES } from '../internal/fetch/proxyUrlVariables';
import { RateLimitGate } from './RateLimitGate';
import type { RetryEvent } from './RetryOptions';
import type { RetryOptions } from './RetryOptions';
import { createCompletions, type ChatCompletions } from '../resources/chat/completions/completions';
import { DEFAULTS } from '../defaults';
import { resolveAzure } from '../internal/client/resolveAzure';
import type { AzureClientOptions } from './AzureClientOptions';

/** Options of {@link createClient}. Every one is optional. */
export interface ClientOptions {
  /**
   * Sent as `Authorization: Bearer …`.
   *
   * @default `process.env.OPENAI_API_KEY`
   */
  readonly apiKey?: string | undefined;
  /**
   * Where requests go: the API's root, to which paths such as `/chat/completions` are appended.
   *
   * @default `process.env.OPENAI_BASE_URL`, else DEFAULTS.baseURL
   */
  readonly baseURL?: string | undefined;
  /**
   * Sent as `OpenAI-Organization`.
   *
   * @default `process.env.OPENAI_ORG_ID`
   */
  readonly organization?: string | undefined;
  /**
   * Sent as `OpenAI-Project`.
   *
   * @default `process.env.OPENAI_PROJECT_ID`
   */
  readonly project?: string | undefined;
  /**
   * Extra headers for every request.
   *
   * @default none
   */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Per-attempt timeouts. A number bounds a whole attempt, headers and body together, like the
   * official SDK's `timeout` (it sets `attemptMs` and `headersMs`; `bodyMs`, the longest silence
   * between two chunks, keeps its default). An object sets each bound.
   *
   * @default DEFAULTS.timeout
   */
  readonly timeout?: number | Partial<TimeoutOptions> | undefined;
  /**
   * The largest response body read, in bytes, after decompression: a larger one fails with a
   * `ResponseTooLargeError`, not retried.
   *
   * @default DEFAULTS.maxBodyBytes (32 MiB)
   */
  readonly maxBodyBytes?: number | undefined;
  /**
   * The official SDK's option, with its meaning: how many times a request is retried after a
   * transient failure (a connection error, a timeout, a 408, 409 or 5xx, a 429 that states no
   * wait). The same as `retry.maxRetries`; give one of the two, or both equal. 429s that state
   * their wait do not spend it (see `docs/retries.md`).
   *
   * @default DEFAULTS.retry.maxRetries
   */
  readonly maxRetries?: number | undefined;
  /**
   * Retry options, merged over `DEFAULTS.retry`.
   *
   * @default DEFAULTS.retry
   */
  readonly retry?: Partial<RetryOptions> | undefined;
  /**
   * Any undici Dispatcher: a proxy, a custom Agent.
   *
   * @default undici's global dispatcher
   */
  readonly dispatcher?: Dispatcher | undefined;
  /**
   * `'env'`: through the proxy of `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (or their lower-case
   * forms), read once, now; Excludes `dispatcher`.
   *
   * @default none, whatever the environment says
   */
  readonly proxy?: 'env' | undefined;
  /**
   * An Azure OpenAI resource instead of OpenAI's API: its endpoint, `api-key` or Entra ID token,
   * and API version, each with a fallback on the environment (see {@link AzureClientOptions}).
   * Excludes `apiKey` and `baseURL`; `OPENAI_API_KEY` and `OPENAI_BASE_URL` are then ignored.
   *
   * @default none: OpenAI's API
   */
  readonly azure?: AzureClientOptions | undefined;
  /**
   * Told of every retry of every request of this client, before its wait.
   *
   * @default none
   */
  readonly onRetry?: ((event: RetryEvent) => void) | undefined;
  /**
   * The rate-limit gate of the client's requests. Pass one `new RateLimitGate()` to several clients
   * that share a rate limit (those of one organisation, in one process), so that they pace as one.
   *
   * @default a gate of the client's own
   */
  readonly rateLimitGate?: RateLimitGate | undefined;
}

/** A client of the stored Chat Completions API. Holds no connection until a stream is subscribed. */
export interface Client {
  readonly chat: { readonly completions: ChatCompletions };
}

/**
 * Creates a client. Options fall back on the environment, like the official
 * SDK: `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`;
 * with `azure`, `AZURE_OPENAI_ENDPOINT`, `AZURE_OPENAI_API_KEY` and `OPENAI_API_VERSION`.
 *
 * The API key is held in a closure, never on an enumerable property, so
 * logging the client cannot print it, and every credential the client is
 * given (the key, a caller's `Authorization` or `api-key` header, the user
 * info of the base URL) is masked in every error it emits. All the streams of
 * one client share one rate-limit gate (or the `rateLimitGate` given): a 429
 * slows them all down.
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
 * @throws {InvalidArgumentError} for a malformed `baseURL`, timeout or
 *   `maxBodyBytes`, a missing key when the base URL is OpenAI's own, a
 *   malformed proxy variable with `proxy: 'env'`, or options that exclude each other.
 */
export function createClient(options: ClientOptions = {}): Client {
  checkOptionNames(options);
  const env = process.env;
  if (options.azure !== undefined && (options.apiKey !== undefined || options.baseURL !== undefined)) {
    throw new InvalidArgumentError('`azure` excludes `apiKey` and `baseURL`: pass `azure.apiKey` and `azure.endpoint` instead');
  }
  const azure = options.azure === undefined ? undefined : resolveAzure(options.azure, env, parseBaseURL);
  const apiKey = azure === undefined ? (options.apiKey ?? env['OPENAI_API_KEY']) : azure.apiKey;
  const baseURL = azure?.baseURL ?? parseBaseURL(options.baseURL ?? env['OPENAI_BASE_URL'] ?? DEFAULTS.baseURL);
  const keyName = azure === undefined ? 'apiKey' : 'azure.apiKey';
  if (apiKey) checkHeaderValue(keyName, apiKey, 'a key that does (it may have been read with its trailing newline)');
  if (!apiKey && azure === undefined && needsApiKey(baseURL)) {
    throw new InvalidArgumentError('Missing API key: pass `apiKey` to createClient or set OPENAI_API_KEY');
  }
  if (options.proxy !== undefined && options.proxy !== 'env') {
    // Not quoted: a proxy URL passed here by mistake may hold credentials.
    const got = typeof options.proxy === 'string' ? 'another string' : typeof options.proxy;
    throw new InvalidArgumentError(`Expected \`proxy\` to be 'env' (for a proxy of your own, pass \`dispatcher: new ProxyAgent(url)\`), got ${got}`);
  }
  if (options.proxy !== undefined && options.dispatcher !== undefined) {
    throw new InvalidArgumentError('`proxy` and `dispatcher` exclude each other: pass one');
  }
  const organization = options.organization ?? env['OPENAI_ORG_ID'];
  const project = options.project ?? env['OPENAI_PROJECT_ID'];
  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': 'rx-stored-completions',
    ...(apiKey ? (azure === undefined ? { authorization: `Bearer ${apiKey}` } : { 'api-key': apiKey }) : {}),
    ...(organization ? { 'openai-organization': organization } : {}),
    ...(project ? { 'openai-project': project } : {}),
    // Lower-cased, so that a caller's `Authorization` replaces ours instead of going out beside it.
    ...Object.fromEntries(
      Object.entries(options.headers ?? {}).map(([name, value]) => {
        // Not shown: the value may be a credential.
        checkHeaderValue(`headers.${name}`, value, 'a value that does');
        return [name.toLowerCase(), value];
      }),
    ),
  };
  const proxies = options.proxy === 'env' ? PROXY_URL_VARIABLES.map((name) => env[name]) : [];
  const redactor = Redactor.of({ keys: [apiKey], headers, urls: [baseURL, ...proxies] });
  const transport: Transport = {
    dispatcher: options.proxy === 'env' ? proxyFromEnv(env) : options.dispatcher,
    timeout: resolveTimeout(options.timeout),
    maxBodyBytes: positiveInteger('maxBodyBytes', options.maxBodyBytes ?? DEFAULTS.maxBodyBytes),
    headers,
    redactor,
  };
  const retry = resolveRetry(options.retry, options.maxRetries);
  if (options.rateLimitGate !== undefined && !(options.rateLimitGate instanceof RateLimitGate)) {
    throw new InvalidArgumentError(`Expected \`rateLimitGate\` to be a RateLimitGate, got ${String(options.rateLimitGate)}`);
  }
  const core = new RequestCore({
    baseURL,
    transport,
    gate: options.rateLimitGate ?? new RateLimitGate({ maxRetryAfterMs: retry.maxRetryAfterMs }),
    retry,
    redactor,
    query: azure?.query,
    tokenProvider: azure?.tokenProvider,
    onRetry: (event: RetryEvent) => options.onRetry?.(event),
  });
  return { chat: { completions: createCompletions(core) } };
}

/** Header values travel as they are: a line break would end the header early, and undici refuses it. */
function checkHeaderValue(name: string, value: string, shown: string): void {
  if (/[\r\n\0]/.test(value)) {
    throw new InvalidArgumentError(`Expected \`${name}\` to hold no line break or NUL, got ${shown}`);
  }
}

function positiveInteger(name: string, value: number): number {
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new InvalidArgumentError(`Expected \`${name}\` to be a positive integer, got ${String(value)}`);
  }
  return value;
}

function resolveTimeout(timeout: ClientOptions['timeout']): TimeoutOptions {
  const resolved: TimeoutOptions =
    typeof timeout === 'number'
      ? { ...DEFAULTS.timeout, attemptMs: timeout, headersMs: timeout }
      : { ...DEFAULTS.timeout, ...timeout };
  for (const [name, value] of Object.entries(resolved)) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new InvalidArgumentError(`Expected \`timeout.${name}\` to be a positive number of milliseconds, got ${String(value)}`);
    }
  }
  return resolved;
}

/** Every option of {@link ClientOptions}: a JavaScript caller gets no excess-property check. */
const OPTION_NAMES: ReadonlySet<string> = new Set<keyof ClientOptions>([
  'apiKey',
  'baseURL',
  'organization',
  'project',
  'headers',
  'timeout',
  'maxBodyBytes',
  'maxRetries',
  'retry',
  'dispatcher',
  'proxy',
  'azure',
  'onRetry',
  'rateLimitGate',
]);

/** Options of the official SDK, or near misses, spelled otherwise here. */
const SPELLED_OTHERWISE: Readonly<Record<string, string>> = {
  baseUrl: '`baseURL`',
  defaultHeaders: '`headers`',
  httpAgent: '`dispatcher` (an undici Dispatcher)',
  fetchOptions: '`dispatcher` (an undici Dispatcher) or `headers`',
  endpoint: '`azure: { endpoint }`',
  apiVersion: '`azure: { apiVersion }`',
  azureADTokenProvider: '`azure: { tokenProvider }`',
};

/** Refuses an option createClient does not know, rather than ignore it, as TypeScript would. */
function checkOptionNames(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError(`Expected the options to be an object, got ${Array.isArray(options) ? 'an array' : String(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (OPTION_NAMES.has(name)) continue;
    const instead = SPELLED_OTHERWISE[name];
    throw new InvalidArgumentError(
      `Unknown option \`${name}\` of createClient${instead === undefined ? '' : `: use ${instead}`}; the options are ${[...OPTION_NAMES].join(', ')}`,
    );
  }
}

function resolveRetry(retry: ClientOptions['retry'], maxRetries: number | undefined): RetryOptions {
  if (maxRetries !== undefined && retry?.maxRetries !== undefined && retry.maxRetries !== maxRetries) {
    throw new InvalidArgumentError(`\`maxRetries\` (${String(maxRetries)}) and \`retry.maxRetries\` (${String(retry.maxRetries)}) differ: give one`);
  }
  const resolved: RetryOptions = { ...DEFAULTS.retry, ...retry, ...(maxRetries === undefined ? {} : { maxRetries }) };
  if (!(Number.isInteger(resolved.maxRetries) && resolved.maxRetries >= 0)) {
    const name = maxRetries === undefined ? 'retry.maxRetries' : 'maxRetries';
    throw new InvalidArgumentError(`Expected \`${name}\` to be a non-negative integer, got ${String(resolved.maxRetries)}`);
  }
  if (!(resolved.jitterRatio >= 0 && resolved.jitterRatio <= 1)) {
    throw new InvalidArgumentError(`Expected \`retry.jitterRatio\` to be a number from 0 to 1, got ${String(resolved.jitterRatio)}`);
  }
  for (const name of ['initialDelayMs', 'maxDelayMs', 'maxRetryAfterMs', 'maxWaitPerPageMs'] as const) {
    if (!(Number.isFinite(resolved[name]) && resolved[name] >= 0)) {
      throw new InvalidArgumentError(`Expected \`retry.${name}\` to be a non-negative number of milliseconds, got ${String(resolved[name])}`);
    }
  }
  return resolved;
}
