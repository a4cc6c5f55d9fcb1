import { createClient, type Client, type ClientOptions } from '../../src';
import { startScriptedServer, type Script, type ScriptedServer } from './scriptedServer';

/** The API key of {@link clientFor}'s clients: the tests of leaks look for it in every output. */
export const TEST_API_KEY = 'sk-test-0123456789abcdefSECRET';

/** The servers started by the current test, closed after it. */
const started: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

/**
 * Starts a scripted server for the current test; it is closed after the test.
 *
 * @param script How it answers.
 * @returns The server.
 */
export async function serve(script: Script): Promise<ScriptedServer> {
  const server = await startScriptedServer(script);
  started.push(server);
  return server;
}

/** The server the current test started last, if any: what it saw. */
export function served(): ScriptedServer | undefined {
  return started.at(-1);
}

/**
 * A client of a scripted server started for the current test: {@link TEST_API_KEY}, no retries,
 * unless `options` say otherwise.
 *
 * @param script How the server answers.
 * @param options Client options over those.
 * @returns The client.
 */
export async function clientFor(script: Script, options: ClientOptions = {}): Promise<Client> {
  const { url } = await serve(script);
  return createClient({ apiKey: TEST_API_KEY, baseURL: url, retry: { maxRetries: 0 }, ...options });
}
