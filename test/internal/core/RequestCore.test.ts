import { inspect } from 'node:util';
import { from, lastValueFrom, toArray } from 'rxjs';
import { ProxyAgent } from 'undici';
import { createClient, deleteEach } from '../../../src';
import { startForwardProxy, type ForwardProxy } from '../../helpers/forwardProxy';
import { turns, until } from '../../helpers/until';
import { failureOf } from '../../helpers/failureOf';
import { completion, json, notFound, startScriptedServer, type Script, type ScriptedServer } from '../../helpers/scriptedServer';

const quickRetries = { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 1 };

describe('a DELETE retried, then answered 404', () => {
  let server: ScriptedServer | undefined;
  let proxy: ForwardProxy | undefined;
  let agent: ProxyAgent | undefined;
  afterEach(async () => {
    jest.useRealTimers();
    await agent?.destroy();
    await proxy?.close();
    await server?.close();
    server = proxy = agent = undefined;
  });

  it('counts as deleted after a 2xx whose body was garbled: that attempt deleted it', async () => {
    server = await startScriptedServer((_req, res, n) =>
      n === 0 ? json(res, 200, '{"id":"chatcmpl-1","object":"chat.completion.del') : notFound(res),
    );
    const client = createClient({ apiKey: 'unused', baseURL: server.url, retry: quickRetries });
    const outcomes = await lastValueFrom(from([{ id: 'chatcmpl-1' }]).pipe(deleteEach(client), toArray()));
    expect(outcomes).toEqual([{ status: 'done', id: 'chatcmpl-1', value: { id: 'chatcmpl-1', object: 'chat.completion.deleted', deleted: true } }]);
    expect(server.requests.map((request) => request.method)).toEqual(['DELETE', 'DELETE']);
  });

  it.each([503, 407])('is gone after a proxy refused the tunnel (CONNECT answered %i): that attempt never reached the server', async (status) => {
    server = await startScriptedServer((_req, res) => notFound(res));
    let refused = 0;
    const refuseFirst = (tunnel: number): number | undefined => {
      if (tunnel !== 0) return undefined;
      refused++;
      return status;
    };
    proxy = await startForwardProxy(undefined, { refuseTunnel: refuseFirst });
    agent = new ProxyAgent(proxy.url);
    const client = createClient({ apiKey: 'unused', baseURL: server.url, dispatcher: agent, retry: quickRetries });
    const outcomes = await lastValueFrom(from([{ id: 'chatcmpl-1' }]).pipe(deleteEach(client), toArray()));
    expect(outcomes).toEqual([{ status: 'gone', id: 'chatcmpl-1' }]);
    expect(refused).toBe(1);
    expect(server.requests.filter((request) => request.method === 'DELETE')).toHaveLength(1);
  });

  it('is gone after an attempt timed out while the proxy kept the tunnel unanswered', async () => {
    server = await startScriptedServer((_req, res) => notFound(res));
    proxy = await startForwardProxy(undefined, { refuseTunnel: (tunnel) => (tunnel === 0 ? 'silent' : undefined) });
    agent = new ProxyAgent(proxy.url);
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const client = createClient({ apiKey: 'unused', baseURL: server.url, dispatcher: agent, timeout: 1500, retry: quickRetries });
    let outcomes: unknown;
    const run = lastValueFrom(from([{ id: 'chatcmpl-1' }]).pipe(deleteEach(client), toArray())).then((result) => (outcomes = result));
    await until(() => proxy!.requests.length === 1);
    await jest.advanceTimersByTimeAsync(1500);
    // The retry, after a backoff of 1 ms, goes through a second tunnel to the server's 404s.
    for (let turn = 0; turn < 200 && outcomes === undefined; turn++) {
      await jest.advanceTimersByTimeAsync(1);
      await turns(1);
    }
    expect(outcomes).toEqual([{ status: 'gone', id: 'chatcmpl-1' }]);
    await run;
    expect(proxy.requests.length).toBeGreaterThanOrEqual(2);
    expect(server.requests.filter((request) => request.method === 'DELETE')).toHaveLength(1);
  });
});

describe('a server that echoes the Entra token in a field that fails decoding', () => {
  const TOKEN = 'entra-token-fedcba9876543210';
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const azureClient = async (script: Script) => {
    server = await startScriptedServer(script);
    return createClient({ azure: { endpoint: server.url.replace(/\/v1$/, ''), tokenProvider: () => TOKEN }, retry: { maxRetries: 0 } });
  };
  const leaks = (error: unknown): boolean =>
    [(error as Error).message, (error as Error).stack, JSON.stringify(error), inspect(error, { depth: 8 })].some((text) => text?.includes(TOKEN));

  it('does not quote it in the DecodeError of retrieve()', async () => {
    const client = await azureClient((req, res) => json(res, 200, completion('chatcmpl-1', { created: req.headers.authorization })));
    const error = await failureOf(client.chat.completions.retrieve('chatcmpl-1'));
    expect(error).toMatchObject({ name: 'DecodeError' });
    expect((error as Error).message).toContain('created');
    expect(leaks(error)).toBe(false);
  });

  it('does not quote it in the DecodeError of list()', async () => {
    const client = await azureClient(
      (req, res) => json(res, 200, { object: 'list', data: [completion('chatcmpl-1', { created: req.headers.authorization })], has_more: false }),
    );
    const error = await failureOf(client.chat.completions.list());
    expect(error).toMatchObject({ name: 'DecodeError' });
    expect(leaks(error)).toBe(false);
  });
});
