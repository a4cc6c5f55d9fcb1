import { lastValueFrom, map, merge, toArray } from 'rxjs';
import { createClient, RateLimitError, RateLimitGate, type Client } from '../../src';
import { startEmulator, type EmulatorHandle, type RateLimitHeaderMode } from '../../src/testing';
import { json, startScriptedServer } from '../helpers/scriptedServer';

const COUNT = 600;
const PAGE = 20;

/** `walks` full walks merged, each as its sorted ids; fails if any walk fails. */
const mergedWalks = (clients: readonly Client[], walks: number, limit = PAGE): Promise<string[][]> =>
  lastValueFrom(
    merge(
      ...Array.from({ length: walks }, (_, i) =>
        (clients[i % clients.length] as Client).chat.completions.list({ limit }).pipe(
          map((c) => c.id),
          toArray(),
          map((ids) => ids.sort()),
        ),
      ),
    ).pipe(toArray()),
  );

describe.each<RateLimitHeaderMode>(['exact', 'quantized', 'none'])('merged walks against a rate-limited server, headers %s', (headers) => {
  let emulator: EmulatorHandle;
  let expected: string[];

  beforeAll(async () => {
    emulator = await startEmulator({ count: COUNT, seed: 9, rateLimit: { requestsPerSecond: 100, burst: 4, headers } });
    const clean = await startEmulator({ count: COUNT, seed: 9 });
    expected = (await lastValueFrom(createClient({ baseURL: clean.url }).chat.completions.list().pipe(map((c) => c.id), toArray()))).sort();
    await clean.close();
  });
  afterAll(() => emulator.close());

  it('four walks on one client: every item exactly once, no failure, and the 429s few, as one gate learns the limit for all', async () => {
    const before = emulator.stats();
    const results = await mergedWalks([createClient({ baseURL: emulator.url })], 4);
    expect(results).toEqual([expected, expected, expected, expected]);
    const requests = emulator.stats().requests - before.requests;
    const limited = (emulator.stats().byStatus[429] ?? 0) - (before.byStatus[429] ?? 0);
    // 4 × 30 pages. Here about 3% of requests are answered 429; with a gate per request, 35% to 45%.
    expect(requests - limited).toBe(4 * (COUNT / PAGE));
    expect(limited / requests).toBeLessThan(0.2);
  });

  it('sixteen walks on two clients sharing one gate: every item exactly once, no failure', async () => {
    const rateLimitGate = new RateLimitGate();
    const clients = [createClient({ baseURL: emulator.url, rateLimitGate }), createClient({ baseURL: emulator.url, rateLimitGate })];
    const results = await mergedWalks(clients, 16, 100);
    expect(results).toEqual(Array.from({ length: 16 }, () => expected));
  });
});

describe('a server that asks for too long a wait', () => {
  it('fails the walk at once, the message saying how long it asked and what the limit is', async () => {
    const server = await startScriptedServer((_req, res) => json(res, 429, { error: { message: 'Slow down' } }, { 'retry-after': '120' }));
    try {
      const client = createClient({ baseURL: server.url });
      const failure = lastValueFrom(client.chat.completions.list());
      await expect(failure).rejects.toThrow(RateLimitError);
      await expect(failure).rejects.toThrow('429 Slow down (request id req_scripted); the server asked to wait 120 s, more than maxRetryAfterMs (60 s)');
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

describe('createClient({ rateLimitGate })', () => {
  it('rejects what is not a RateLimitGate', () => {
    expect(() => createClient({ baseURL: 'http://127.0.0.1:9/v1', rateLimitGate: {} as RateLimitGate })).toThrow(
      'Expected `rateLimitGate` to be a RateLimitGate, got [object Object]',
    );
  });
});
