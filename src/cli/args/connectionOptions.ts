import { needsApiKey, parseBaseURL } from '../../internal/client/baseURL';
import { azureEndpoint, checkApiVersion } from '../../internal/client/resolveAzure';
import { InvalidArgumentError } from '../../errors';
import { DEFAULTS } from '../../defaults';
import { CLI_DEFAULTS } from '../cliDefaults';
import { UsageError } from '../UsageError';
import type { OptionSpecs, ParsedOptions } from './parseOptions';
import { EMULATOR_OPTIONS, type EmulatorSettings, readEmulatorSettings } from './emulatorOptions';

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
  'max-wait': {
    type: 'string',
    value: 'DURATION',
    help: `Most one page (or one delete, update) may spend on rate limiting and retries, e.g. 5s (default ${DEFAULTS.retry.maxWaitPerPageMs / 60_000}m)`,
  },
  timeout: {
    type: 'string',
    value: 'MS',
    help: `Longest one attempt of a request may take, headers and body (default ${CLI_DEFAULTS.timeoutMs})`,
  },
};

/** Where a walk's requests go. */
export type Target =
  | {
      readonly kind: 'remote';
      readonly baseURL: string;
      readonly apiKey: string | undefined;
    }
  | {
      readonly kind: 'azure';
      /** Without a trailing slash nor Azure's `/openai` path. */
      readonly endpoint: string;
      /** `undefined` for the v1 API. */
      readonly apiVersion: string | undefined;
      /** Sent as `api-key`. */
      readonly apiKey: string | undefined;
    }
  | { readonly kind: 'emulator'; readonly emulator: EmulatorSettings };

/** A target, how many retries each page gets and how long it may wait, and how long each attempt may take. */
export interface ConnectionSettings {
  readonly target: Target;
  /** `undefined` for the client's default. */
  readonly maxRetries: number | undefined;
  /** The client's `retry.maxWaitPerPageMs`; `undefined` for its default. */
  readonly maxWaitPerPageMs: number | undefined;
  /** The client's `timeout`: the longest one attempt may take, headers and body. */
  readonly timeoutMs: number;
}

/**
 * Reads {@link CONNECTION_OPTIONS} and {@link EMULATOR_OPTIONS}, falling back
 * on `OPENAI_BASE_URL` and `OPENAI_API_KEY`. An Azure resource is the target
 * with `--azure-endpoint`, or with `AZURE_OPENAI_ENDPOINT` when neither
 * `--base-url` nor `OPENAI_BASE_URL` is set; its key comes from `--api-key` or
 * `AZURE_OPENAI_API_KEY`, its version from `--api-version` or
 * `OPENAI_API_VERSION`. (`connect` sends the requests to a remote API
 * through the proxy of the environment; the in-process emulator is reached directly.)
 *
 * The key is required only when requests would go to OpenAI's own URL, as in
 * the client: an emulator or a proxy may need none.
 *
 * @param options The parsed command line.
 * @param env The environment.
 * @returns The connection settings.
 * @throws {UsageError} for a bad value, `--base-url` with `--emulator`, or a missing key.
 */
export function readConnection(options: ParsedOptions, env: Readonly<Record<string, string | undefined>>): ConnectionSettings {
  const maxRetries = options.integer('max-retries', 0);
  const maxWaitPerPageMs = options.durationMs('max-wait');
  const timeoutMs = options.integer('timeout', 1) ?? CLI_DEFAULTS.timeoutMs;
  if (options.flag('emulator')) {
    for (const name of ['base-url', 'azure-endpoint']) {
      if (options.has(name)) throw new UsageError(`\`--emulator\` runs its own server: it cannot be combined with \`--${name}\``);
    }
    return { target: { kind: 'emulator', emulator: readEmulatorSettings(options, 'emulator-') }, maxRetries, maxWaitPerPageMs, timeoutMs };
  }
  for (const name of Object.keys(EMULATOR_OPTIONS)) {
    if (name !== 'emulator' && options.has(name)) throw new UsageError(`\`--${name}\` applies only with \`--emulator\``);
  }
  const azure = readAzure(options, env);
  if (azure !== undefined) return { target: azure, maxRetries, maxWaitPerPageMs, timeoutMs };
  if (options.has('api-version')) throw new UsageError('`--api-version` applies only to Azure: with `--azure-endpoint` or AZURE_OPENAI_ENDPOINT');
  const baseURL = readBaseURL(options, env);
  const apiKey = options.string('api-key') ?? (env['OPENAI_API_KEY'] || undefined);
  if (apiKey === undefined && needsApiKey(baseURL)) {
    throw new UsageError(`Missing API key for ${baseURL}: pass --api-key or set OPENAI_API_KEY`);
  }
  return { target: { kind: 'remote', baseURL, apiKey, }, maxRetries, maxWaitPerPageMs, timeoutMs };
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
  return { kind: 'azure', endpoint, apiVersion, apiKey };
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
