import fc from 'fast-check';
import { drawFault, FAULT_KINDS, FaultPlan, type FaultConfig, type FaultKind } from '../../../src/emulator/faults/faults';
import { startEmulator, type EmulatorHandle } from '../../../src/testing';
import { json, rawRequest, send, sendJson, type Completion, type ErrorEnvelope, type RawOutcome } from '../../helpers/rawHttp';

/** What a client could tell apart about an outcome. */
const signature = (outcome: RawOutcome): string =>
  outcome.kind === 'response' ? `${outcome.status} ${String(outcome.headers['content-type'])}` : `error ${outcome.code ?? ''} after ${outcome.status ?? '-'}`;

describe('drawFault and FaultPlan', () => {
  const config = (overrides: Partial<FaultConfig> = {}): FaultConfig => ({
    rate: 0.5,
    kinds: FAULT_KINDS,
    seed: 1,
    maxConsecutive: 3,
    ...overrides,
  });

  it('is a pure function of seed, key and attempt', () => {
    const draws = (seed: number) => Array.from({ length: 50 }, (_, attempt) => drawFault(config({ seed }), 'GET /v1/x', attempt));
    expect(draws(1)).toEqual(draws(1));
    expect(draws(2)).not.toEqual(draws(1));
  });

  it('faults at about the configured rate, with every kind', () => {
    const faults = Array.from({ length: 4000 }, (_, i) => drawFault(config({ rate: 0.25 }), `GET /v1/chat/completions?after=${i}`, 0));
    const faulted = faults.filter((fault) => fault !== undefined);
    expect(faulted.length / faults.length).toBeGreaterThan(0.2);
    expect(faulted.length / faults.length).toBeLessThan(0.3);
    expect(new Set(faulted.map((fault) => fault?.kind))).toEqual(new Set(FAULT_KINDS));
  });

  it('never fails more than maxConsecutive attempts in a row for a key, and resets after a success', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.constantFrom('GET /a', 'GET /b', 'GET /c'), { maxLength: 120 }),
        (seed, rate, maxConsecutive, keys) => {
          const plan = new FaultPlan(config({ seed, rate, maxConsecutive }));
          const runs = new Map<string, number>();
          for (const key of keys) {
            const fault = plan.next(key);
            const failed = fault !== undefined && fault.kind !== 'latency';
            const run = failed ? (runs.get(key) ?? 0) + 1 : 0;
            expect(run).toBeLessThanOrEqual(maxConsecutive);
            runs.set(key, run);
          }
        },
      ),
    );
  });

  it('decides each key the same whatever the interleaving with other keys', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.array(fc.constantFrom('GET /a', 'GET /b'), { maxLength: 60 }), (seed, keys) => {
        const interleaved = new FaultPlan(config({ seed }));
        const alone = new FaultPlan(config({ seed }));
        const decisions = keys.map((key) => [key, interleaved.next(key)] as const);
        const onlyA = decisions.filter(([key]) => key === 'GET /a').map(([, fault]) => fault);
        expect(onlyA).toEqual(onlyA.map(() => alone.next('GET /a')));
      }),
    );
  });
});

describe('emulator: each fault kind', () => {
  const servers: EmulatorHandle[] = [];
  afterAll(() => Promise.all(servers.map((server) => server.close())));

  /** An emulator faulting the first attempt at every request with `kind`, and never the second. */
  const faulting = async (kind: FaultKind): Promise<EmulatorHandle> => {
    const emulator = await startEmulator({ count: 30, seed: 4, faults: { rate: 1, kinds: [kind], maxConsecutive: 1, retryAfterMs: 7 } });
    servers.push(emulator);
    return emulator;
  };

  it('http-429: the API envelope, retry-after in seconds and the configured retry-after-ms', async () => {
    const emulator = await faulting('http-429');
    const outcome = await send(`${emulator.url}/chat/completions`);
    expect(outcome.status).toBe(429);
    expect(outcome.headers['retry-after']).toBe('1');
    expect(outcome.headers['retry-after-ms']).toBe('7');
    expect(outcome.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
    expect(json<ErrorEnvelope>(outcome).error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
    expect((await send(`${emulator.url}/chat/completions`)).status).toBe(200);
  });

  it('http-429-no-wait: the API envelope, and no stated wait at all', async () => {
    const emulator = await faulting('http-429-no-wait');
    const outcome = await send(`${emulator.url}/chat/completions`);
    expect(outcome.status).toBe(429);
    expect(outcome.headers['retry-after']).toBeUndefined();
    expect(outcome.headers['retry-after-ms']).toBeUndefined();
    expect(json<ErrorEnvelope>(outcome).error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
    expect((await send(`${emulator.url}/chat/completions`)).status).toBe(200);
  });

  it('http-429 with a range of retry-after-ms: each fault picks a whole number of milliseconds in it', async () => {
    const emulator = await startEmulator({ count: 30, seed: 4, faults: { rate: 1, kinds: ['http-429'], maxConsecutive: 1, retryAfterMs: [5, 25] } });
    servers.push(emulator);
    const waits = new Set<unknown>();
    for (let i = 0; i < 20; i++) waits.add((await send(`${emulator.url}/chat/completions?limit=${i + 1}`)).headers['retry-after-ms']);
    const ms = [...waits].map(Number);
    expect(ms.every((n) => Number.isInteger(n) && n >= 5 && n <= 25)).toBe(true);
    expect(waits.size).toBeGreaterThan(5);
  });

  it.each([
    ['http-500', 500],
    ['http-502', 502],
    ['http-503', 503],
  ] as const)('%s: the status with a server_error envelope', async (kind, status) => {
    const emulator = await faulting(kind);
    const outcome = await send(`${emulator.url}/chat/completions?limit=3`);
    expect(outcome.status).toBe(status);
    expect(outcome.headers['content-type']).toBe('application/json');
    expect(json<ErrorEnvelope>(outcome).error.type).toBe('server_error');
    expect((await send(`${emulator.url}/chat/completions?limit=3`)).status).toBe(200);
  });

  it('connection-reset: the socket is reset before any response', async () => {
    const emulator = await faulting('connection-reset');
    const outcome = await rawRequest(`${emulator.url}/chat/completions`);
    expect(outcome).toMatchObject({ kind: 'error', code: 'ECONNRESET', status: undefined, received: 0 });
    expect((await send(`${emulator.url}/chat/completions`)).status).toBe(200);
  });

  it('truncated-body: the full content-length, half the body, then the socket is destroyed', async () => {
    const emulator = await faulting('truncated-body');
    const outcome = await rawRequest(`${emulator.url}/chat/completions?limit=10`);
    const full = await send(`${emulator.url}/chat/completions?limit=10`);
    const length = Buffer.byteLength(full.text);
    expect(outcome).toMatchObject({ kind: 'error', status: 200, received: Math.floor(length / 2) });
    expect(outcome.headers?.['content-length']).toBe(String(length));
  });

  it('html-body: a proxy page that is not JSON, with status 200 or 502', async () => {
    const emulator = await faulting('html-body');
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => send(`${emulator.url}/chat/completions?limit=${i + 1}`)));
    expect(new Set(outcomes.map((outcome) => outcome.status))).toEqual(new Set([200, 502]));
    for (const outcome of outcomes) {
      expect(outcome.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(outcome.text).toMatch(/^<(!DOCTYPE )?html/);
      expect(() => JSON.parse(outcome.text)).toThrow(SyntaxError);
    }
  });

  it('latency: the normal response, counted as a fault', async () => {
    const emulator = await faulting('latency');
    const clean = await startEmulator({ count: 30, seed: 4 });
    servers.push(clean);
    const [late, normal] = await Promise.all([send(`${emulator.url}/chat/completions`), send(`${clean.url}/chat/completions`)]);
    expect(late.status).toBe(200);
    expect(late.text).toBe(normal.text);
    expect(emulator.stats().faults).toBe(1);
  });

  it('faults retrieve and messages too, but never create, update or delete', async () => {
    const emulator = await startEmulator({ count: 30, seed: 4, faults: { rate: 1, kinds: ['http-500'], maxConsecutive: 1 } });
    servers.push(emulator);
    const created = await sendJson(`${emulator.url}/chat/completions`, 'POST', { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], store: true });
    expect(created.status).toBe(200);
    const { id } = json<Completion>(created);
    expect((await send(`${emulator.url}/chat/completions/${id}`)).status).toBe(500);
    expect((await send(`${emulator.url}/chat/completions/${id}/messages`)).status).toBe(500);
    expect((await sendJson(`${emulator.url}/chat/completions/${id}`, 'POST', { metadata: { a: 'b' } })).status).toBe(200);
    expect((await send(`${emulator.url}/chat/completions/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect(emulator.stats()).toMatchObject({ requests: 5, faults: 2, byStatus: { 200: 3, 500: 2 } });
  });
});

describe('emulator: fault schedule', () => {
  it('fails at most maxConsecutive attempts in a row per request, counting each request key apart', async () => {
    const emulator = await startEmulator({ count: 30, faults: { rate: 1, kinds: ['http-503'], maxConsecutive: 3 } });
    try {
      const statuses = async (path: string, times: number) => {
        const out = [];
        for (let i = 0; i < times; i++) out.push((await send(emulator.url + path)).status);
        return out;
      };
      expect(await statuses('/chat/completions?limit=1', 2)).toEqual([503, 503]);
      expect(await statuses('/chat/completions?limit=2', 4)).toEqual([503, 503, 503, 200]);
      expect(await statuses('/chat/completions?limit=1', 6)).toEqual([503, 200, 503, 503, 503, 200]);
    } finally {
      await emulator.close();
    }
  });

  it('is deterministic for a fault seed, whether requests run one by one or all at once', async () => {
    const options = { count: 200, seed: 3, faults: { rate: 0.5, seed: 42 } };
    const [a, b] = await Promise.all([startEmulator(options), startEmulator(options)]);
    try {
      const paths = Array.from({ length: 8 }, (_, i) => `/chat/completions?limit=${i + 5}`);
      const sequential: string[] = [];
      for (const path of paths) for (let attempt = 0; attempt < 4; attempt++) sequential.push(signature(await rawRequest(a.url + path)));
      const concurrent = await Promise.all(
        paths.map(async (path) => {
          const out: string[] = [];
          for (let attempt = 0; attempt < 4; attempt++) out.push(signature(await rawRequest(b.url + path)));
          return out;
        }),
      );
      expect(concurrent.flat()).toEqual(sequential);
      expect(new Set(sequential).size).toBeGreaterThan(3);
      expect(a.stats().faults).toBe(b.stats().faults);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
