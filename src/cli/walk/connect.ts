import type { Dispatcher } from 'undici';
import { createClient, type Client } from '../../client/createClient';
import type { EmulatorOptions } from '../../emulator/options';
import { startEmulator } from '../../emulator/startEmulator';
import type { RetryEvent } from '../../client/RetryOptions';
import { proxyFromEnv, type ProxyEnv } from '../../internal/fetch/proxyFromEnv';
import type { ConnectionSettings } from '../args/connectionOptions';
import type { EmulatorSettings } from '../args/emulatorOptions';
import { CLI_DEFAULTS } from '../cliDefaults';
import { closeWithin } from './closeWithin';

/** A client ready to walk, and what to release afterwards. */
export interface Connection {
  readonly client: Client;
  /** Where requests go, for messages. */
  readonly baseURL: string;
  /** An Azure OpenAI resource: messages name the Azure flags and variables. */
  readonly azure: boolean;
  /**
   * Stops the in-process emulator, or releases the proxy's connections in
   * bounded time: what is still in flight gets `CLI_DEFAULTS.closeGraceMs`.
   */
  close(): Promise<void>;
}

/**
 * Creates the client of a walk, first starting the in-process emulator when
 * the settings ask for one. Requests to a remote API go through the proxy
 * that HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or their lower-case forms) of
 * `env` name, if any (see `proxyFromEnv`).
 *
 * @param settings Target, retries and timeout.
 * @param env The environment, for the proxy.
 * @param onRetry Told of every retry of every request.
 * @returns The connection.
 * @throws {InvalidArgumentError} for a proxy variable that is not an http(s) URL.
 */
export async function connect(settings: ConnectionSettings, env: ProxyEnv, onRetry: (event: RetryEvent) => void): Promise<Connection> {
  const retry = {
    ...(settings.maxRetries === undefined ? {} : { maxRetries: settings.maxRetries }),
    ...(settings.maxWaitPerPageMs === undefined ? {} : { maxWaitPerPageMs: settings.maxWaitPerPageMs }),
  };
  const { target } = settings;
  if (target.kind === 'remote') {
    const { baseURL, apiKey } = target;
    const dispatcher = proxyFromEnv(env);
    const client = createClient({ baseURL, apiKey, dispatcher, retry, onRetry, timeout: settings.timeoutMs });
    return { client, baseURL, azure: false, close: () => closeDispatcher(dispatcher) };
  }
  if (target.kind === 'azure') {
    const { endpoint, apiKey, apiVersion } = target;
    const dispatcher = proxyFromEnv(env);
    const client = createClient({ azure: { endpoint, apiKey, apiVersion }, dispatcher, retry, onRetry, timeout: settings.timeoutMs });
    return { client, baseURL: endpoint, azure: true, close: () => closeDispatcher(dispatcher) };
  }
  const emulator = await startEmulator(emulatorOptions(target.emulator));
  return {
    client: createClient({ baseURL: emulator.url, retry, onRetry, timeout: settings.timeoutMs }),
    baseURL: emulator.url,
    azure: false,
    close: () => emulator.close(),
  };
}

async function closeDispatcher(dispatcher: Dispatcher | undefined): Promise<void> {
  if (dispatcher !== undefined) await closeWithin(dispatcher, CLI_DEFAULTS.closeGraceMs);
}

/**
 * The `startEmulator` options for the CLI's emulator settings.
 *
 * @param settings The settings read from the flags.
 * @param extra Options only the `emulator` command sets: port, API key, Azure mode.
 * @returns The options.
 */
export function emulatorOptions(settings: EmulatorSettings, extra: Pick<EmulatorOptions, 'port' | 'apiKey' | 'azure'> = {}): EmulatorOptions {
  return {
    ...extra,
    count: settings.count,
    seed: settings.seed,
    rateLimit: settings.rateLimit,
    faults: { rate: settings.faultRate },
    // Writes fail as often, some after the server acted, and a deleted id is no cursor, as the API
    // is assumed to answer: `delete` and `tag` meet what makes a bulk write hard.
    writeFaults: { rate: settings.faultRate },
    strictCursor: true,
    latencyMs: settings.latencyMs,
    arrivalsPerSecond: settings.arrivalsPerSecond,
  };
}
