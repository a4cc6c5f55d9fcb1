import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError } from '../errors';
import { FAULT_KINDS, type FaultConfig, type FaultKind } from './faults/faults';
import type { RateLimitConfig, RateLimitHeaderMode } from './limits/rateLimit';
import { WRITE_FAULT_KINDS, type WriteFaultKind } from './faults/writeFaults';

/** The emulator's optional rate limit: a token bucket over all requests. */
export interface RateLimitOptions {
  /** Sustained rate: tokens added per second. */
  readonly requestsPerSecond: number;
  /** Bucket size: requests allowed at once. */
  readonly burst: number;
  /**
   * What the `x-ratelimit-*` headers describe: `exact` the bucket above, `quantized` a budget per
   * minute while the bucket above enforces per second (OpenAI's documented behaviour), `none`
   * nothing: no such header is sent. Default: `EMULATOR_DEFAULTS.rateLimitHeaders`.
   */
  readonly headers?: RateLimitHeaderMode | undefined;
}

/** The emulator's time: rate limiting reads `now`, latency waits with `sleep`. */
export interface EmulatorClock {
  /** Milliseconds from any fixed origin, never decreasing. */
  now(): number;
  /** Resolves after `ms`; rejects once `signal` aborts (the emulator closing). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** Fault injection on the GET endpoints (list, retrieve, messages), or with write kinds on update and delete. */
export interface FaultOptions<K extends string = FaultKind> {
  /** Probability that a request is faulted, 0 to 1. */
  readonly rate: number;
  /** Which faults to draw from, uniformly. Default: all of them. */
  readonly kinds?: readonly K[] | undefined;
  /** Seed of the fault decisions. Default: 1. */
  readonly seed?: number | undefined;
  /** At most this many failed attempts in a row for one request key. Default: 3. */
  readonly maxConsecutive?: number | undefined;
  /**
   * `retry-after-ms` of an injected `http-429`: a number of milliseconds, or a range `[min, max]`
   * each such fault picks from (deterministically, as the faults themselves). Default: 20.
   */
  readonly retryAfterMs?: RetryAfterMs | undefined;
  /** Delay added by a `latency` fault. Default: 50. */
  readonly latencyMs?: number | undefined;
}

/** The wait an injected 429 states: milliseconds, or a range `[min, max]` of them. */
export type RetryAfterMs = number | readonly [number, number];

/** Fault injection on the write endpoints (update and delete), some after the write took effect. */
export type WriteFaultOptions = FaultOptions<WriteFaultKind>;

/**
 * Azure OpenAI's flavour of the API: its paths, its authentication and its error envelope.
 *
 * The emulator then serves `/openai/v1/chat/completions…` (Azure's v1 API) and
 * `/openai/chat/completions…?api-version=V`, and no longer OpenAI's `/v1/…`.
 */
export interface AzureOptions {
  /**
   * When set (or when `tokens` is), requests must authenticate: this key in an `api-key` header,
   * or, on the v1 paths only, as `Authorization: Bearer <apiKey>` (Azure's v1 API takes both).
   */
  readonly apiKey?: string | undefined;
  /** Microsoft Entra ID access tokens accepted as `Authorization: Bearer <token>`, on every path. */
  readonly tokens?: readonly string[] | undefined;
  /** When set, the `api-version` paths accept only this version (400 otherwise); by default, any. */
  readonly apiVersion?: string | undefined;
}

/** Options of `startEmulator`; every one is optional, see {@link EMULATOR_DEFAULTS}. */
export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  readonly port?: number | undefined;
  /** How many completions the seeded history holds. */
  readonly count?: number | undefined;
  /** Seed of the history: the same seed gives byte-identical responses. */
  readonly seed?: number | undefined;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  readonly apiKey?: string | undefined;
  /** When set, a token bucket limits requests and every response carries rate-limit headers. */
  readonly rateLimit?: RateLimitOptions | undefined;
  /** When set with a `rate` above 0, GET requests fail now and then. */
  readonly faults?: FaultOptions | undefined;
  /** When set with a `rate` above 0, updates and deletes fail now and then, some after acting. */
  readonly writeFaults?: WriteFaultOptions | undefined;
  /** When true, a list `after` that names a deleted completion is a 404, like one never stored. */
  readonly strictCursor?: boolean | undefined;
  /** Delay before every response. */
  readonly latencyMs?: number | undefined;
  /** When set, the emulator acts as Azure OpenAI: see {@link AzureOptions}. Takes no top-level `apiKey`. */
  readonly azure?: AzureOptions | undefined;
  /** The clock and timer of rate limiting and latency; a test's virtual clock, say. */
  readonly clock?: EmulatorClock | undefined;
  /**
   * Completions stored per second, on the emulator's clock, as an application using the API
   * with `store: true` would store them: a history that grows, for `watch()`, `rxsc tail` and demos.
   */
  readonly arrivalsPerSecond?: number | undefined;
}

/** The system's monotonic clock and real timers. */
export const SYSTEM_CLOCK: EmulatorClock = {
  now: () => performance.now(),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }),
};

/**
 * Every default of the emulator, in one place.
 *
 * `apiKey: null` means no authentication check, `rateLimit: null` no rate limit, and a fault
 * `rate` of 0 no faults; `faults` holds the defaults of the other fault options. `azure: null`
 * means OpenAI's paths; `azureDefaults` holds the defaults of the `azure` options (no key, no
 * token: no authentication check; `apiVersion: null`: any version).
 * `rateLimitHeaders` is the `headers` of a `rateLimit` that gives none: quantized, as OpenAI's
 * own limits are. `clock: 'system'` means {@link SYSTEM_CLOCK}.
 */
export const EMULATOR_DEFAULTS = {
  port: 0,
  count: 1000,
  seed: 1,
  apiKey: null,
  rateLimit: null,
  rateLimitHeaders: 'quantized',
  latencyMs: 0,
  clock: 'system',
  faults: {
    rate: 0,
    kinds: FAULT_KINDS,
    seed: 1,
    maxConsecutive: 3,
    retryAfterMs: 20,
    latencyMs: 50,
  },
  writeFaults: {
    rate: 0,
    kinds: WRITE_FAULT_KINDS,
    seed: 1,
    maxConsecutive: 3,
    retryAfterMs: 20,
    latencyMs: 50,
  },
  strictCursor: false,
  arrivalsPerSecond: 0,
  azure: null,
  azureDefaults: {
    apiKey: null,
    tokens: [],
    apiVersion: null,
  },
} as const;

/** Enough for any test, and the arrays stay well under a hundred megabytes. */
const MAX_COUNT = 10_000_000;

/** Options with every default applied, as the server uses them. */
export interface ResolvedOptions {
  readonly port: number;
  readonly count: number;
  readonly seed: number;
  readonly apiKey: string | null;
  readonly rateLimit: RateLimitConfig | null;
  readonly latencyMs: number;
  readonly clock: EmulatorClock;
  readonly faults: ResolvedFaults<FaultKind>;
  readonly writeFaults: ResolvedFaults<WriteFaultKind>;
  readonly strictCursor: boolean;
  readonly azure: ResolvedAzureOptions | null;
  readonly arrivalsPerSecond: number;
}

/** {@link AzureOptions} with every default applied. */
export interface ResolvedAzureOptions {
  readonly apiKey: string | null;
  readonly tokens: readonly string[];
  readonly apiVersion: string | null;
}

/** Fault options with every default applied. */
export type ResolvedFaults<K extends string> = FaultConfig<K> & { readonly retryAfterMs: RetryAfterMs; readonly latencyMs: number };

const OPTION_NAMES = ['port', 'count', 'seed', 'apiKey', 'rateLimit', 'faults', 'latencyMs', 'writeFaults', 'strictCursor', 'azure', 'clock', 'arrivalsPerSecond'];
const AZURE_OPTION_NAMES = ['apiKey', 'tokens', 'apiVersion'];
const FAULT_OPTION_NAMES = ['rate', 'kinds', 'seed', 'maxConsecutive', 'retryAfterMs', 'latencyMs'];
const RATE_LIMIT_OPTION_NAMES = ['requestsPerSecond', 'burst', 'headers'];
const HEADER_MODES: readonly RateLimitHeaderMode[] = ['exact', 'quantized', 'none'];

/**
 * Applies the defaults and validates every option, before anything is started.
 *
 * @param options the caller's options.
 * @returns the resolved options.
 * @throws {InvalidArgumentError} for an unknown option, a value of the wrong type or a number
 *   out of range. Messages name the option and the value, e.g.
 *   ``Expected `count` to be a non-negative integer, got -1``.
 */
export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  knownKeys(options, OPTION_NAMES, '');
  const defaults = EMULATOR_DEFAULTS;
  const strictCursor = options.strictCursor ?? defaults.strictCursor;
  if (typeof strictCursor !== 'boolean') throw new InvalidArgumentError(`Expected \`strictCursor\` to be a boolean, got ${show(strictCursor)}`);
  const apiKey = nonEmptyString('apiKey', options.apiKey ?? defaults.apiKey);
  return {
    port: integer('port', options.port ?? defaults.port, 0, 65_535),
    count: integer('count', options.count ?? defaults.count, 0, MAX_COUNT, 'a non-negative integer'),
    seed: integer('seed', options.seed ?? defaults.seed, 0, 0xffffffff),
    apiKey,
    rateLimit: options.rateLimit === undefined ? defaults.rateLimit : rateLimit(options.rateLimit),
    latencyMs: number('latencyMs', options.latencyMs ?? defaults.latencyMs),
    clock: clock(options.clock),
    faults: resolveFaults('faults', options.faults, defaults.faults),
    writeFaults: resolveFaults('writeFaults', options.writeFaults, defaults.writeFaults),
    strictCursor,
    azure: options.azure === undefined ? defaults.azure : azure(options.azure, apiKey),
    arrivalsPerSecond: number('arrivalsPerSecond', options.arrivalsPerSecond ?? defaults.arrivalsPerSecond),
  };
}

function resolveFaults<K extends string>(
  name: string,
  options: FaultOptions<K> | undefined,
  defaults: Omit<ResolvedFaults<K>, 'rate'> & { readonly rate: number },
): ResolvedFaults<K> {
  const faults = options ?? { rate: defaults.rate };
  knownKeys(faults, FAULT_OPTION_NAMES, `${name}.`);
  const kinds = faults.kinds ?? defaults.kinds;
  if (!Array.isArray(kinds) || kinds.length === 0 || !kinds.every((kind) => defaults.kinds.includes(kind))) {
    throw new InvalidArgumentError(`Expected \`${name}.kinds\` to be a non-empty array of ${defaults.kinds.map((k) => `'${k}'`).join(', ')}, got ${show(kinds)}`);
  }
  return {
    rate: number(`${name}.rate`, faults.rate, 1),
    kinds,
    seed: integer(`${name}.seed`, faults.seed ?? defaults.seed, 0, 0xffffffff),
    maxConsecutive: integer(`${name}.maxConsecutive`, faults.maxConsecutive ?? defaults.maxConsecutive, 1, Number.MAX_SAFE_INTEGER, 'a positive integer'),
    retryAfterMs: retryAfter(`${name}.retryAfterMs`, faults.retryAfterMs ?? defaults.retryAfterMs),
    latencyMs: number(`${name}.latencyMs`, faults.latencyMs ?? defaults.latencyMs),
  };
}

function retryAfter(name: string, value: unknown): RetryAfterMs {
  if (!Array.isArray(value)) return number(name, value);
  const [min, max] = value as unknown[];
  if (value.length !== 2 || typeof min !== 'number' || typeof max !== 'number' || !(min >= 0 && max >= min && Number.isFinite(max))) {
    throw new TypeError(`Expected \`${name}\` to be a non-negative number or a range [min, max] of them, got ${show(value)}`);
  }
  return [min, max];
}

function azure(options: AzureOptions, topLevelApiKey: string | null): ResolvedAzureOptions {
  knownKeys(options, AZURE_OPTION_NAMES, 'azure.');
  if (topLevelApiKey !== null) {
    throw new InvalidArgumentError('Expected no `apiKey` with `azure`: an Azure key goes in `azure.apiKey`, sent as an `api-key` header');
  }
  const defaults = EMULATOR_DEFAULTS.azureDefaults;
  const tokens = options.tokens ?? defaults.tokens;
  if (!Array.isArray(tokens) || !tokens.every((token) => typeof token === 'string' && token !== '')) {
    // The tokens are secrets: the message describes what is wrong without quoting any of them.
    const got = Array.isArray(tokens) ? 'an array holding something else' : typeof tokens;
    throw new InvalidArgumentError(`Expected \`azure.tokens\` to be an array of non-empty strings, got ${got}`);
  }
  return {
    apiKey: nonEmptyString('azure.apiKey', options.apiKey ?? defaults.apiKey),
    tokens,
    apiVersion: nonEmptyString('azure.apiVersion', options.apiVersion ?? defaults.apiVersion),
  };
}

function nonEmptyString(name: string, value: unknown): string | null {
  if (value !== null && (typeof value !== 'string' || value === '')) {
    throw new InvalidArgumentError(`Expected \`${name}\` to be a non-empty string, got ${show(value)}`);
  }
  return value;
}

function rateLimit(options: RateLimitOptions): RateLimitConfig {
  knownKeys(options, RATE_LIMIT_OPTION_NAMES, 'rateLimit.');
  const requestsPerSecond = number('rateLimit.requestsPerSecond', options.requestsPerSecond);
  if (requestsPerSecond === 0) {
    throw new InvalidArgumentError('Expected `rateLimit.requestsPerSecond` to be a positive number, got 0');
  }
  const headers = options.headers ?? EMULATOR_DEFAULTS.rateLimitHeaders;
  if (!HEADER_MODES.includes(headers)) {
    throw new InvalidArgumentError(`Expected \`rateLimit.headers\` to be one of ${HEADER_MODES.map((m) => `'${m}'`).join(', ')}, got ${show(headers)}`);
  }
  return { requestsPerSecond, burst: integer('rateLimit.burst', options.burst, 1, Number.MAX_SAFE_INTEGER, 'a positive integer'), headers };
}

function clock(value: EmulatorClock | undefined): EmulatorClock {
  if (value === undefined) return SYSTEM_CLOCK;
  if (typeof value !== 'object' || value === null || typeof value.now !== 'function' || typeof value.sleep !== 'function') {
    throw new InvalidArgumentError(`Expected \`clock\` to be an object with \`now\` and \`sleep\` functions, got ${show(value)}`);
  }
  return value;
}

function knownKeys(value: unknown, names: readonly string[], prefix: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(`Expected ${prefix === '' ? 'options' : `\`${prefix.slice(0, -1)}\``} to be an object, got ${show(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!names.includes(key)) {
      throw new InvalidArgumentError(`Unknown option \`${prefix}${key}\`; expected one of ${names.map((name) => `\`${prefix}${name}\``).join(', ')}`);
    }
  }
}

function integer(name: string, value: unknown, min: number, max: number, expected = `an integer from ${min} to ${max}`): number {
  if (typeof value !== 'number') throw new InvalidArgumentError(`Expected \`${name}\` to be ${expected}, got ${show(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`Expected \`${name}\` to be ${expected}, got ${show(value)}`);
  }
  return value;
}

/** A finite number from 0 to `max`. */
function number(name: string, value: unknown, max = Number.MAX_VALUE): number {
  const expected = max === Number.MAX_VALUE ? 'a non-negative number' : `a number from 0 to ${max}`;
  if (typeof value !== 'number') throw new InvalidArgumentError(`Expected \`${name}\` to be ${expected}, got ${show(value)}`);
  if (!(value >= 0 && value <= max)) throw new InvalidArgumentError(`Expected \`${name}\` to be ${expected}, got ${show(value)}`);
  return value;
}

function show(value: unknown): string {
  return typeof value === 'string' || Array.isArray(value) ? JSON.stringify(value) : String(value);
}
