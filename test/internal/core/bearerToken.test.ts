import { firstValueFrom, from, lastValueFrom, toArray } from 'rxjs';
import { createClient, deleteEach, RateLimitGate, StoredCompletionsError, TokenProviderError, type ClientOptions } from '../../../src';
import { until } from '../../helpers/until';
import { failureOf } from '../../helpers/failureOf';
import { completion, json, listPage, startScriptedServer, type Script, type ScriptedServer } from '../../helpers/scriptedServer';

const TOKEN = 'entra-token-fedcba9876543210';
const quickRetries = { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 1 };
const deleted = (req: { url?: string | undefined }) => ({ id: (req.url ?? '').split(/[/?]/)[5], object: 'chat.completion.deleted', deleted: true });

let server: ScriptedServer | undefined;
afterEach(async () => {
  jest.useRealTimers();
  await server?.close();
  server = undefined;
});

async function azureClient(script: Script, tokenProvider: () => string | Promise<string>, options: ClientOptions = {}) {
  server = await startScriptedServer(script);
  return createClient({ azure: { endpoint: server.url.replace(/\/v1$/, ''), tokenProvider }, retry: quickRetries, ...options });
}

describe('a token provider that fails', () => {
  it('throwing, fails the request with a TokenProviderError whose cause is its error, after the retries', async () => {
    const refusal = new Error('CredentialUnavailableError: no managed identity');
    let calls = 0;
    const client = await azureClient(
      (_req, res) => json(res, 200, completion('chatcmpl-1')),
      () => {
        calls++;
        throw refusal;
      },
    );
    const error = await failureOf(client.chat.completions.retrieve('chatcmpl-1'));
    expect(error).toBeInstanceOf(TokenProviderError);
    expect(error).toBeInstanceOf(StoredCompletionsError);
    expect(error).toMatchObject({ code: 'token_provider_failed', cause: refusal });
    expect((error as Error).message).toContain('CredentialUnavailableError: no managed identity');
    expect(calls).toBe(3);
    expect(server!.requests).toEqual([]);
  });

  it('rejecting once, is retried like any failed attempt', async () => {
    let calls = 0;
    const client = await azureClient(
      (_req, res) => json(res, 200, listPage(['chatcmpl-1', 'chatcmpl-2'], false)),
      () => (calls++ === 0 ? Promise.reject(new Error('token endpoint busy')) : Promise.resolve(TOKEN)),
    );
    const items = await lastValueFrom(client.chat.completions.list().pipe(toArray()));
    expect(items.map((item) => item.id)).toEqual(['chatcmpl-1', 'chatcmpl-2']);
    expect(server!.requests.map((request) => request.headers.authorization)).toEqual([`Bearer ${TOKEN}`]);
  });

  it('once inside deleteEach, costs one retry: every completion is deleted', async () => {
    let calls = 0;
    const client = await azureClient(
      (req, res) => json(res, 200, deleted(req)),
      () => {
        if (calls++ === 1) throw new Error('token endpoint busy');
        return TOKEN;
      },
    );
    const outcomes = await lastValueFrom(from(['a', 'b', 'c', 'd'].map((id) => ({ id }))).pipe(deleteEach(client, { concurrency: 1 }), toArray()));
    expect(outcomes.map((outcome) => `${outcome.id}:${outcome.status}`)).toEqual(['a:done', 'b:done', 'c:done', 'd:done']);
  });

  it('for good on one completion inside deleteEach, makes that one failed, and the others are still deleted', async () => {
    let calls = 0;
    const client = await azureClient(
      (req, res) => json(res, 200, deleted(req)),
      () => {
        calls++;
        // Calls 2, 3 and 4 are the three attempts of the second completion.
        if (calls >= 2 && calls <= 4) throw new Error('token endpoint down');
        return TOKEN;
      },
    );
    const outcomes = await lastValueFrom(from(['a', 'b', 'c', 'd'].map((id) => ({ id }))).pipe(deleteEach(client, { concurrency: 1 }), toArray()));
    expect(outcomes.map((outcome) => `${outcome.id}:${outcome.status}`)).toEqual(['a:done', 'b:failed', 'c:done', 'd:done']);
    expect(outcomes[1]).toMatchObject({ error: { code: 'token_provider_failed' } });
    expect(server!.requests.map((request) => request.url.split('/')[5])).toEqual(['a', 'c', 'd']);
  });
});

describe('a token provider that never resolves', () => {
  /** Whether the promise has settled, as of now. */
  const settledNow = async (promise: Promise<unknown>): Promise<boolean> => {
    let settled = false;
    void promise.then(() => (settled = true));
    await Promise.resolve();
    return settled;
  };

  it('is bounded by the attempt timeout, and retried like any failed attempt', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    let calls = 0;
    const client = await azureClient(
      (_req, res) => json(res, 200, completion('chatcmpl-1')),
      () => {
        calls++;
        return new Promise<string>(() => undefined);
      },
      { timeout: 1500, retry: { maxRetries: 1, initialDelayMs: 100, maxDelayMs: 100, jitterRatio: 0 } },
    );
    const failure = failureOf(client.chat.completions.retrieve('chatcmpl-1'));
    await jest.advanceTimersByTimeAsync(1499);
    expect(calls).toBe(1);
    await jest.advanceTimersByTimeAsync(1 + 100);
    expect(calls).toBe(2);
    expect(await settledNow(failure)).toBe(false);
    await jest.advanceTimersByTimeAsync(1500);
    expect(await settledNow(failure)).toBe(true);
    const error = await failure;
    expect(error).toBeInstanceOf(TokenProviderError);
    expect(error).toMatchObject({ code: 'token_provider_timeout' });
    expect((error as Error).message).toMatch(/^`tokenProvider` gave no token within 1500 ms/);
    expect(server!.requests).toEqual([]);
  });

  it('leaves the request what remains of the attempt timeout', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const client = await azureClient(
      () => undefined, // never answers
      () => new Promise<string>((resolve) => setTimeout(() => resolve(TOKEN), 1000)),
      { timeout: 1500, retry: { maxRetries: 0 } },
    );
    const failure = failureOf(client.chat.completions.retrieve('chatcmpl-1'));
    await jest.advanceTimersByTimeAsync(1000);
    await until(() => server!.requests.length === 1);
    await jest.advanceTimersByTimeAsync(499);
    expect(await settledNow(failure)).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(await settledNow(failure)).toBe(true);
    const error = await failure;
    expect(error).toMatchObject({ name: 'APITimeoutError', phase: 'attempt' });
    expect((error as Error).message).toContain('within 1500 ms');
  });

  it('starts the attempt timeout when the rate-limit gate lets the attempt go, not before', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const rateLimitGate = new RateLimitGate({ random: () => 0 });
    let respond = (): void => undefined;
    const client = await azureClient((_req, res) => (respond = () => json(res, 200, completion('chatcmpl-1'))), () => TOKEN, {
      timeout: 1500,
      retry: { maxRetries: 0 },
      rateLimitGate,
    });
    rateLimitGate.pause(5000);
    const answer = firstValueFrom(client.chat.completions.retrieve('chatcmpl-1'));
    await jest.advanceTimersByTimeAsync(5000);
    await until(() => server!.requests.length === 1);
    await jest.advanceTimersByTimeAsync(1000);
    respond();
    await expect(answer).resolves.toMatchObject({ id: 'chatcmpl-1' });
  });
});
