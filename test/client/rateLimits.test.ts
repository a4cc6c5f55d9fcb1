import { from, lastValueFrom, map, merge, toArray } from 'rxjs';
import { createClient, deleteEach, RateLimitError, RateLimitGate, type Client } from '../../src';
import { startEmulator, type EmulatorHandle, type RateLimitHeaderMode } from '../../src/testing';
import { json, listPage, startScriptedServer, type ScriptedServer } from '../helpers/scriptedServer';

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

describe('every wait ends: a scripted server that answers every request 429 with retry-after: 0', () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedServer((_req, res) => json(res, 429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after': '0' }));
  });
  afterAll(() => server.close());

  it('fails a walk with the RateLimitError of its last attempt, naming how many 429s over how long', async () => {
    const client = createClient({ baseURL: server.url, apiKey: 'sk-test', retry: { maxWaitPerPageMs: 300 } });
    const error = await lastValueFrom(client.chat.completions.list()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as Error).message).toMatch(/^429 Rate limit reached \(request id req_scripted\); gave up after (?:one answer|\d+ answers) 429 over \d+ ms \(maxWaitPerPageMs: 300 ms\)$/);
  });

  it('fails each of sixteen deletes, eight at a time, as an outcome of its own: time in the gate counts', async () => {
    const client = createClient({ baseURL: server.url, apiKey: 'sk-test', retry: { maxWaitPerPageMs: 300 } });
    const ids = Array.from({ length: 16 }, (_, i) => ({ id: `chatcmpl-${i}` }));
    const outcomes = await lastValueFrom(from(ids).pipe(deleteEach(client, { concurrency: 8 }), toArray()));
    expect(outcomes).toHaveLength(16);
    expect(outcomes.every((outcome) => outcome.status === 'failed' && outcome.error instanceof RateLimitError)).toBe(true);
  });
});

describe('isolated 429s, a scripted server that answers every tenth request 429 without a stated wait', () => {
  it('the walk comes through whole, and the gate learns no limit from them', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `chatcmpl-${String(i).padStart(3, '0')}`);
    let answered = 0;
    const server = await startScriptedServer((req, res) => {
      answered += 1;
      if (answered % 10 === 0) return json(res, 429, { error: { message: 'Busy', type: 'requests', code: 'rate_limit_exceeded' } });
      const after = new URL(req.url ?? '', 'http://x').searchParams.get('after');
      const start = after === null ? 0 : ids.indexOf(after) + 1;
      json(res, 200, listPage(ids.slice(start, start + 10), start + 10 < ids.length));
    });
    try {
      const rateLimitGate = new RateLimitGate();
      const client = createClient({ baseURL: server.url, apiKey: 'sk-test', rateLimitGate });
      const seen = await lastValueFrom(client.chat.completions.list({ limit: 10 }).pipe(map((c) => c.id), toArray()));
      expect(seen).toEqual(ids);
      expect(server.requests.length).toBeGreaterThan(30);
      expect(rateLimitGate.requestsPerSecond).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
