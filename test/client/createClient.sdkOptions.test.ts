import OpenAI from 'openai';
import { firstValueFrom } from 'rxjs';
import { createClient, InvalidArgumentError } from '../../src';
import { completion, json, startScriptedServer, type ScriptedServer } from '../helpers/scriptedServer';

// `maxRetries` and `timeout` as the official SDK means them, with the SDK as the second opinion:
// the same options against the same server send the same requests.

/** A server whose first `failures` answers fail (n counts from 0) (a 500, or none within `silentMs`), then a completion. */
async function flaky(failures: number, failure: 'http-500' | 'silence'): Promise<ScriptedServer> {
  return startScriptedServer((_req, res, n) => {
    if (n >= failures) return json(res, 200, completion('chatcmpl-1'));
    if (failure === 'http-500') return json(res, 500, { error: { message: 'boom' } });
    // Silence: no answer at all; the client's timeout ends the attempt.
  });
}

const ours = (baseURL: string, options: { maxRetries?: number; timeout?: number }) =>
  firstValueFrom(createClient({ baseURL, apiKey: 'sk-test', retry: { initialDelayMs: 1, maxDelayMs: 1 }, ...options }).chat.completions.retrieve('chatcmpl-1'));
const sdks = (baseURL: string, options: { maxRetries?: number; timeout?: number }) =>
  new OpenAI({ baseURL, apiKey: 'sk-test', ...options }).chat.completions.retrieve('chatcmpl-1');

describe("createClient takes the official SDK's maxRetries and timeout", () => {
  let servers: ScriptedServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    servers = [];
  });
  const server = async (failures: number, failure: 'http-500' | 'silence'): Promise<ScriptedServer> => {
    const started = await flaky(failures, failure);
    servers.push(started);
    return started;
  };

  it.each([0, 1])('maxRetries: %i retries a 500 as often as the SDK does', async (maxRetries) => {
    const [a, b] = [await server(1, 'http-500'), await server(1, 'http-500')];
    const outcomes = await Promise.all([
      ours(a.url, { maxRetries }).then(() => 'ok', (error: unknown) => (error as { status?: number }).status),
      sdks(b.url, { maxRetries }).then(() => 'ok', (error: unknown) => (error as { status?: number }).status),
    ]);
    expect(outcomes).toEqual(maxRetries === 0 ? [500, 500] : ['ok', 'ok']);
    expect([a.requests.length, b.requests.length]).toEqual([maxRetries + 1, maxRetries + 1]);
  });

  it('timeout bounds each attempt, not the request: a silent first attempt is retried, as by the SDK', async () => {
    const [a, b] = [await server(1, 'silence'), await server(1, 'silence')];
    await expect(ours(a.url, { maxRetries: 1, timeout: 300 })).resolves.toMatchObject({ id: 'chatcmpl-1' });
    await expect(sdks(b.url, { maxRetries: 1, timeout: 300 })).resolves.toMatchObject({ id: 'chatcmpl-1' });
    expect([a.requests.length, b.requests.length]).toEqual([2, 2]);
  });
});

describe('createClient refuses options it does not know, for JavaScript callers', () => {
  it.each([
    [{ baseUrl: 'http://127.0.0.1:9/v1' }, 'Unknown option `baseUrl` of createClient: use `baseURL`; the options are '],
    [{ defaultHeaders: { a: 'b' } }, 'Unknown option `defaultHeaders` of createClient: use `headers`; the options are '],
    [{ maxRetry: 0 }, 'Unknown option `maxRetry` of createClient; the options are '],
    [{ maxRetries: 1, retry: { maxRetries: 2 } }, '`maxRetries` (1) and `retry.maxRetries` (2) differ: give one'],
    [{ maxRetries: -1 }, 'Expected `maxRetries` to be a non-negative integer, got -1'],
  ])('%j', (options, message) => {
    const call = (): unknown => createClient({ baseURL: 'http://127.0.0.1:9/v1', ...(options as object) });
    expect(call).toThrow(InvalidArgumentError);
    expect(call).toThrow(message);
  });
});
