import { createClient, type Client } from '../../client/createClient';
import type { EmulatorOptions } from '../../emulator/options';
import { startEmulator } from '../../emulator/startEmulator';
import type { RetryEvent } from '../../client/RetryOptions';
import type { ConnectionSettings } from '../args/connectionOptions';
import type { EmulatorSettings } from '../args/emulatorOptions';

/** A client ready to walk, and what to release afterwards. */
export interface Connection {
  readonly client: Client;
  /** Where requests go, for messages. */
  readonly baseURL: string;
  /** Stops the in-process emulator, if one was started. */
  close(): Promise<void>;
}

/**
 * Creates the client of a walk, first starting the in-process emulator when
 * the settings ask for one.
 *
 * @param settings Target, retries and timeout.
 * @param onRetry Told of every retry of every request.
 * @returns The connection.
 */
export async function connect(settings: ConnectionSettings, onRetry: (event: RetryEvent) => void): Promise<Connection> {
  const retry = settings.maxRetries === undefined ? undefined : { maxRetries: settings.maxRetries };
  const { target } = settings;
  if (target.kind === 'remote') {
    const { baseURL, apiKey, dispatcher } = target;
    const client = createClient({ baseURL, apiKey, dispatcher, retry, onRetry, timeout: settings.timeoutMs });
    return { client, baseURL, close: async () => dispatcher?.close() };
  }
  if (target.kind === 'azure') {
    const { endpoint, apiKey, apiVersion, dispatcher } = target;
    const client = createClient({ azure: { endpoint, apiKey, apiVersion }, dispatcher, retry, onRetry, timeout: settings.timeoutMs });
    return { client, baseURL: endpoint, close: async () => dispatcher?.close() };
  }
  const emulator = await startEmulator(emulatorOptions(target.emulator));
  return {
    client: createClient({ baseURL: emulator.url, retry, onRetry, timeout: settings.timeoutMs }),
    baseURL: emulator.url,
    close: () => emulator.close(),
  };
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
  };
}
