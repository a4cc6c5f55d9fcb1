import type { Dispatcher } from 'undici';
import { needsApiKey, parseBaseURL } from '../../client/createClient';
import { azureEndpoint, checkApiVersion } from '../../client/resolveAzure';
import { InvalidArgumentError } from '../../errors';
import { DEFAULTS } from '../../defaults';
import type { ListParams } from '../../fetch/ListParams';
import { proxyFromEnv } from '../../fetch/proxyFromEnv';
import { CLI_DEFAULTS } from '../cliDefaults';
import { UsageError } from '../UsageError';
import type { OptionSpecs, ParsedOptions } from './parseOptions';
import { parseTime, TIME_FORMS } from './parseTime';

/** `--help`, which every command takes. */
export const HELP_OPTION: OptionSpecs = {
  help: { type: 'boolean', help: 'Show this help and exit' },
};

/** The list parameters of the API, and `--max`. */
export const LIST_OPTIONS: OptionSpecs = {
  model: { type: 'string', value: 'MODEL', help: 'Only completions of this model' },
  metadata: {
    type: 'string',
    multiple: true,
    value: 'KEY=VALUE',
    help: 'Only completions whose metadata has KEY=VALUE; repeatable, all must match',
  },
  order: { type: 'string', value: 'asc|desc', help: 'Oldest first (asc, the default) or newest first (desc), by created' },
  limit: { type: 'string', value: 'N', help: `Page size, 1 to 100 (default ${DEFAULTS.pageLimit})` },
  after: { type: 'string', value: 'ID', help: 'Start after the completion with this id' },
  max: { type: 'string', value: 'N', help: 'Stop after N completions (default: all)' },
};

/** Where the API is, and how hard to try. */
export const CONNECTION_OPTIONS: OptionSpecs = {
  'base-url': { type: 'string', value: 'URL', help: `API base URL (default $OPENAI_BASE_URL, else ${DEFAULTS.baseURL})` },
  'api-key': {
    type: 'string',
    value: 'KEY',
    help: 'API key (default $OPENAI_API_KEY, for Azure $AZURE_OPENAI_API_KEY); required for OpenAI’s own URL only',
  },
  'azure-endpoint': {
    type: 'string',
    value: 'URL',
    help: 'An Azure OpenAI resource instead (default $AZURE_OPENAI_ENDPOINT when no base URL is set); the key goes as api-key',
  },
  'api-version': {
    type: 'string',
    value: 'V',
    help: 'Azure API version (default $OPENAI_API_VERSION): /openai/…?api-version=V instead of the v1 API',
  },
  'max-retries': { type: 'string', value: 'N', help: `Retries per page after a transient failure (default ${DEFAULTS.retry.maxRetries})` },
  timeout: {
    type: 'string',
    value: 'MS',
    help: `Longest one attempt of a request may take, headers and body (default ${CLI_DEFAULTS.timeoutMs})`,
  },
};

const EMULATOR = CLI_DEFAULTS.emulator;

/** An in-process emulator instead of `--base-url`. */
export const EMULATOR_OPTIONS: OptionSpecs = {
  emulator: { type: 'boolean', help: 'Run against an in-process emulator instead of --base-url' },
  'emulator-count': { type: 'string', value: 'N', help: `Completions it holds (default ${EMULATOR.count})` },
  'emulator-seed': { type: 'string', value: 'N', help: `Seed of its history (default ${EMULATOR.seed})` },
  'emulator-rate-limit': {
    type: 'string',
    value: 'RPS[:BURST]|off',
    help: `Its rate limit (default ${EMULATOR.rateLimit.requestsPerSecond}:${EMULATOR.rateLimit.burst})`,
  },
  'emulator-fault-rate': { type: 'string', value: 'R', help: `Share of requests it fails, 0 to 1 (default ${EMULATOR.faultRate})` },
  'emulator-latency-ms': { type: 'string', value: 'MS', help: `Delay it adds to every response (default ${EMULATOR.latencyMs})` },
};

/** The list parameters and the item cap of a walk. */
export interface WalkParams {
  readonly params: ListParams;
  /** Stop after this many items; `undefined` for all. */
  readonly max: number | undefined;
}

/**
 * Reads {@link LIST_OPTIONS}, checking each value with a message that names the flag.
 *
 * @param options The parsed command line.
 * @returns The list parameters and `--max`.
 * @throws {UsageError} for a bad value.
 */
export function readWalkParams(options: ParsedOptions): WalkParams {
  // Without a prototype, so that any key is an own pair, `__proto__` included.
  const metadata = Object.create(null) as Record<string, string>;
  for (const pair of options.strings('metadata')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) options.fail('metadata', 'KEY=VALUE with a non-empty KEY', pair);
    const key = pair.slice(0, equals);
    if (Object.prototype.hasOwnProperty.call(metadata, key)) {
      throw new UsageError(`\`--metadata\` gives the key ${JSON.stringify(key)} twice; a completion has one value per key`);
    }
    metadata[key] = pair.slice(equals + 1);
  }
  const params: ListParams = {
    model: options.string('model'),
    order: options.choice('order', ['asc', 'desc'] as const),
    limit: options.integer('limit', 1, 100),
    after: options.string('after'),
    metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
  };
  return { params, max: options.integer('max', 1) };
}

/** The emulator to start in-process. */
export interface EmulatorSettings {
  readonly count: number;
  readonly seed: number;
  /** `undefined` when rate limiting is off. */
  readonly rateLimit: { readonly requestsPerSecond: number; readonly burst: number } | undefined;
  readonly faultRate: number;
  readonly latencyMs: number;
}

/** Where a walk's requests go. */
export type Target =
  | {
      readonly kind: 'remote';
      readonly baseURL: string;
      readonly apiKey: string | undefined;
      /** The proxy that HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or their lower-case forms) name, if any. */
      readonly dispatcher: Dispatcher | undefined;
    }
  | {
      readonly kind: 'azure';
      /** Without a trailing slash nor Azure's `/openai` path. */
      readonly endpoint: string;
      /** `undefined` for the v1 API. */
      readonly apiVersion: string | undefined;
      /** Sent as `api-key`. */
      readonly apiKey: string | undefined;
      readonly dispatcher: Dispatcher | undefined;
    }
  | { readonly kind: 'emulator'; readonly emulator: EmulatorSettings };

/** A target, how many retries each page gets, and how long each attempt may take. */
export interface ConnectionSettings {
  readonly target: Target;
  /** `undefined` for the client's default. */
  readonly maxRetries: number | undefined;
  /** The client's `timeout`: the longest one attempt may take, headers and body. */
  readonly timeoutMs: number;
}

/**
 * Reads {@link CONNECTION_OPTIONS} and {@link EMULATOR_OPTIONS}, falling back
 * on `OPENAI_BASE_URL` and `OPENAI_API_KEY`. An Azure resource is the target
 * with `--azure-endpoint`, or with `AZURE_OPENAI_ENDPOINT` when neither
 * `--base-url` nor `OPENAI_BASE_URL` is set; its key comes from `--api-key` or
 * `AZURE_OPENAI_API_KEY`, its version from `--api-version` or
 * `OPENAI_API_VERSION`. Requests to a remote API go
 * through the proxy of the environment (see `proxyFromEnv`); the in-process
 * emulator is reached directly.
 *
 * The key is required only when requests would go to OpenAI's own URL, as in
 * the client: an emulator or a proxy may need none.
 *
 * @param options The parsed command line.
 * @param env The environment.
 * @returns The connection settings.
 * @throws {UsageError} for a bad value, `--base-url` with `--emulator`, or a missing key.
 * @throws {InvalidArgumentError} for a proxy variable that is not an http(s) URL.
 */
export function readConnection(options: ParsedOptions, env: Readonly<Record<string, string | undefined>>): ConnectionSettings {
  const maxRetries = options.integer('max-retries', 0);
  const timeoutMs = options.integer('timeout', 1) ?? CLI_DEFAULTS.timeoutMs;
  if (options.flag('emulator')) {
    for (const name of ['base-url', 'azure-endpoint']) {
      if (options.has(name)) throw new UsageError(`\`--emulator\` runs its own server: it cannot be combined with \`--${name}\``);
    }
    return { target: { kind: 'emulator', emulator: readEmulatorSettings(options, 'emulator-') }, maxRetries, timeoutMs };
  }
  for (const name of Object.keys(EMULATOR_OPTIONS)) {
    if (name !== 'emulator' && options.has(name)) throw new UsageError(`\`--${name}\` applies only with \`--emulator\``);
  }
  const azure = readAzure(options, env);
  if (azure !== undefined) return { target: azure, maxRetries, timeoutMs };
  if (options.has('api-version')) throw new UsageError('`--api-version` applies only to Azure: with `--azure-endpoint` or AZURE_OPENAI_ENDPOINT');
  const baseURL = readBaseURL(options, env);
  const apiKey = options.string('api-key') ?? (env['OPENAI_API_KEY'] || undefined);
  if (apiKey === undefined && needsApiKey(baseURL)) {
    throw new UsageError(`Missing API key for ${baseURL}: pass --api-key or set OPENAI_API_KEY`);
  }
  return { target: { kind: 'remote', baseURL, apiKey, dispatcher: proxyFromEnv(env) }, maxRetries, timeoutMs };
}

function readAzure(options: ParsedOptions, env: Readonly<Record<string, string | undefined>>): Target | undefined {
  const fromFlag = options.string('azure-endpoint');
  if (fromFlag !== undefined && options.has('base-url')) throw new UsageError('`--azure-endpoint` and `--base-url` exclude each other');
  const fromEnv = options.has('base-url') || env['OPENAI_BASE_URL'] ? undefined : env['AZURE_OPENAI_ENDPOINT'] || undefined;
  const text = fromFlag ?? fromEnv;
  if (text === undefined) return undefined;
  const versionFlag = options.string('api-version');
  const apiVersion = versionFlag ?? (env['OPENAI_API_VERSION'] || undefined);
  let endpoint: string;
  try {
    endpoint = azureEndpoint(parseBaseURL(text, fromFlag === undefined ? 'AZURE_OPENAI_ENDPOINT' : '--azure-endpoint'));
    if (apiVersion !== undefined) checkApiVersion(apiVersion, versionFlag === undefined ? 'OPENAI_API_VERSION' : '--api-version');
  } catch (error) {
    throw error instanceof InvalidArgumentError ? new UsageError(error.message) : error;
  }
  const apiKey = options.string('api-key') ?? (env['AZURE_OPENAI_API_KEY'] || undefined);
  return { kind: 'azure', endpoint, apiVersion, apiKey, dispatcher: proxyFromEnv(env) };
}

function readBaseURL(options: ParsedOptions, env: Readonly<Record<string, string | undefined>>): string {
  const fromFlag = options.string('base-url');
  const text = fromFlag ?? (env['OPENAI_BASE_URL'] || DEFAULTS.baseURL);
  try {
    return parseBaseURL(text, fromFlag === undefined ? 'OPENAI_BASE_URL' : '--base-url');
  } catch (error) {
    throw error instanceof InvalidArgumentError ? new UsageError(error.message) : error;
  }
}

/**
 * Reads the emulator flags, under a prefix: `emulator-` on `export` and
 * `stats`, none on the `emulator` command.
 *
 * @param options The parsed command line.
 * @param prefix The flags' prefix.
 * @returns The settings, defaults filled in.
 * @throws {UsageError} for a bad value.
 */
export function readEmulatorSettings(options: ParsedOptions, prefix: string): EmulatorSettings {
  return {
    count: options.integer(`${prefix}count`, 0) ?? EMULATOR.count,
    seed: options.integer(`${prefix}seed`, 0, 0xffff_ffff) ?? EMULATOR.seed,
    rateLimit: readRateLimit(options, `${prefix}rate-limit`),
    faultRate: options.number(`${prefix}fault-rate`, 0, 1) ?? EMULATOR.faultRate,
    latencyMs: options.integer(`${prefix}latency-ms`, 0) ?? EMULATOR.latencyMs,
  };
}

function readRateLimit(options: ParsedOptions, name: string): EmulatorSettings['rateLimit'] {
  const text = options.string(name);
  if (text === undefined) return EMULATOR.rateLimit;
  if (text === 'off') return undefined;
  const match = /^(\d+(?:\.\d+)?)(?::(\d+))?$/.exec(text);
  const requestsPerSecond = Number(match?.[1]);
  const burst = match?.[2] === undefined ? Math.max(1, Math.ceil(requestsPerSecond / 10)) : Number(match[2]);
  if (match === null || !(requestsPerSecond > 0) || !(burst >= 1)) {
    options.fail(name, 'RPS[:BURST] with RPS > 0 and BURST ≥ 1, or off', text);
  }
  return { requestsPerSecond, burst };
}

/** `--since` and `--until`: the window of `created` a command keeps. */
export const WINDOW_OPTIONS: OptionSpecs = {
  since: { type: 'string', value: 'T', help: 'Only completions created at or after T: ISO date or date-time, unix seconds, or 90m/24h/7d ago' },
  until: { type: 'string', value: 'T', help: 'Only completions created before T (same forms as --since)' },
};

/** One end of a {@link TimeWindow}: the flag's text, and the time it stood for when read. */
export interface TimeBound {
  readonly given: string;
  /** Unix seconds. */
  readonly seconds: number;
}

/** The window `[since, until)` of `created`; an end left `undefined` is open. */
export interface TimeWindow {
  readonly since: TimeBound | undefined;
  readonly until: TimeBound | undefined;
}

/**
 * Reads {@link WINDOW_OPTIONS}: each value in one of the forms of
 * {@link parseTime}, spans counted back from `nowMs`.
 *
 * @param options The parsed command line.
 * @param nowMs The clock, in milliseconds.
 * @returns The window.
 * @throws {UsageError} for a value in none of the forms, or an empty window.
 */
export function readWindow(options: ParsedOptions, nowMs: number): TimeWindow {
  const bound = (name: string): TimeBound | undefined => {
    const given = options.string(name);
    if (given === undefined) return undefined;
    const seconds = parseTime(given, nowMs);
    if (seconds === undefined) options.fail(name, TIME_FORMS, given);
    return { given, seconds };
  };
  const since = bound('since');
  const until = bound('until');
  if (since !== undefined && until !== undefined && since.seconds >= until.seconds) {
    throw new UsageError(`\`--since ${since.given}\` is not before \`--until ${until.given}\`: no completion can match`);
  }
  return { since, until };
}

/**
 * The window as `createdWithin` takes it, in Unix seconds.
 *
 * @param window The flags' window.
 * @returns `{ since, until }`, an open end `undefined`.
 */
export function windowSeconds(window: TimeWindow): { readonly since: number | undefined; readonly until: number | undefined } {
  return { since: window.since?.seconds, until: window.until?.seconds };
}

/** The flags of every command that walks the stored completions: what to walk, the window, where, and `--help`. */
export const WALK_COMMAND_OPTIONS: OptionSpecs = {
  ...LIST_OPTIONS,
  ...WINDOW_OPTIONS,
  ...CONNECTION_OPTIONS,
  ...EMULATOR_OPTIONS,
  ...HELP_OPTION,
};
