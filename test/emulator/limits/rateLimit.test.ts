import { formatDuration } from '../../../src/emulator/limits/formatDuration';
import { fullBucket, takeToken, type TokenBucketConfig, type TokenBucketState } from '../../../src/emulator/limits/tokenBucket';
import { startEmulator, type EmulatorHandle, type RateLimitOptions } from '../../../src/testing';
import { ManualClock } from '../../helpers/ManualClock';
import { json, send, type ErrorEnvelope, type RawResponse } from '../../helpers/rawHttp';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [0.2, '1ms'],
    [20, '20ms'],
    [999, '999ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [1020, '1.02s'],
    [59_987, '59.987s'],
    [60_000, '1m0s'],
    [360_000, '6m0s'],
    [90_250, '1m30.25s'],
    [3_600_000, '1h0m0s'],
    [3_723_000, '1h2m3s'],
  ])('formats %p ms as %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('takeToken', () => {
  const config: TokenBucketConfig = { requestsPerSecond: 2, burst: 3 };

  /** Takes one token at each of the given instants, threading the state. */
  const takeAt = (instants: readonly number[], start: TokenBucketState = fullBucket(config, 0)) => {
    let state = start;
    return instants.map((nowMs) => {
      const decision = takeToken(config, state, nowMs);
      state = decision.state;
      return decision;
    });
  };

  it('allows a burst, then refuses, saying how long until one token and until full', () => {
    const decisions = takeAt([0, 0, 0, 0]);
    expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect(decisions[0]?.resetMs).toBe(500);
    expect(decisions[2]?.resetMs).toBe(1500);
    expect(decisions[3]).toMatchObject({ retryAfterMs: 500, resetMs: 1500 });
  });

  it('refills at requestsPerSecond, never beyond burst', () => {
    const [, , , refused, afterHalfToken, afterRefill] = takeAt([0, 0, 0, 250, 250, 10_000]);
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 250 });
    expect(afterHalfToken?.allowed).toBe(false);
    expect(afterRefill).toMatchObject({ allowed: true, remaining: 2, resetMs: 500 });
  });

  it('allows again exactly when retryAfterMs has passed', () => {
    const [, , , refused] = takeAt([0, 0, 0, 100]);
    const retry = takeAt([100 + (refused?.retryAfterMs ?? 0)], refused?.state);
    expect(retry[0]?.allowed).toBe(true);
  });

  it('treats a clock going backwards as no time elapsed', () => {
    const [, second] = takeAt([1000, 500]);
    expect(second).toMatchObject({ allowed: true, remaining: 1 });
    expect(second?.state.atMs).toBe(1000);
  });
});

describe('emulator: rate limit', () => {
  const limited = async (headers: RateLimitOptions['headers'], clock = new ManualClock()): Promise<EmulatorHandle> =>
    startEmulator({ count: 10, clock, rateLimit: { requestsPerSecond: 2, burst: 3, ...(headers === undefined ? {} : { headers }) } });

  const burstThenRefusal = async (emulator: EmulatorHandle): Promise<Array<Awaited<ReturnType<typeof send>>>> => {
    const responses = [];
    for (let i = 0; i < 4; i++) responses.push(await send(`${emulator.url}/chat/completions?limit=1`));
    return responses;
  };

  it('exact: the headers describe the enforcing bucket, then a 429 with retry-after and retry-after-ms', async () => {
    const emulator = await limited('exact');
    try {
      const responses = await burstThenRefusal(emulator);
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(responses.map((r) => r.headers['x-ratelimit-limit-requests'])).toEqual(['3', '3', '3', '3']);
      expect(responses.map((r) => r.headers['x-ratelimit-remaining-requests'])).toEqual(['2', '1', '0', '0']);
      expect(responses.map((r) => r.headers['x-ratelimit-reset-requests'])).toEqual(['500ms', '1s', '1.5s', '1.5s']);
      for (const response of responses.slice(0, 3)) expect(response.headers['retry-after']).toBeUndefined();
      const refused = responses[3];
      expect(refused?.headers).toMatchObject({ 'retry-after': '1', 'retry-after-ms': '500' });
      expect(json<ErrorEnvelope>(refused as RawResponse).error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded', param: null });
      expect(emulator.stats().byStatus[429]).toBe(1);
    } finally {
      await emulator.close();
    }
  });

  it('quantized (the default): the headers describe a budget per minute while the bucket refuses per second', async () => {
    const emulator = await limited(undefined);
    try {
      const responses = await burstThenRefusal(emulator);
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(responses.map((r) => r.headers['x-ratelimit-limit-requests'])).toEqual(['120', '120', '120', '120']);
      expect(responses.map((r) => r.headers['x-ratelimit-remaining-requests'])).toEqual(['119', '118', '117', '117']);
      expect(responses[3]?.headers).toMatchObject({ 'retry-after': '1', 'retry-after-ms': '500' });
      expect(json<ErrorEnvelope>(responses[3] as RawResponse).error.message).toContain('limit 120');
    } finally {
      await emulator.close();
    }
  });

  it('none: no x-ratelimit-* header, and a 429 with retry-after-ms alone to go by', async () => {
    const emulator = await limited('none');
    try {
      const responses = await burstThenRefusal(emulator);
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      for (const response of responses) expect(Object.keys(response.headers).filter((name) => name.startsWith('x-ratelimit'))).toEqual([]);
      expect(responses[3]?.headers).toMatchObject({ 'retry-after': '1', 'retry-after-ms': '500' });
    } finally {
      await emulator.close();
    }
  });

  it('refills on the injected clock: a token half a second later, none before', async () => {
    const clock = new ManualClock();
    const emulator = await limited('exact', clock);
    try {
      await burstThenRefusal(emulator);
      clock.advance(499);
      expect((await send(`${emulator.url}/chat/completions?limit=1`)).status).toBe(429);
      clock.advance(1);
      expect((await send(`${emulator.url}/chat/completions?limit=1`)).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });
});

describe('emulator: without a rate limit', () => {
  it('sends no rate-limit headers', async () => {
    const emulator = await startEmulator({ count: 1 });
    try {
      const response = await send(`${emulator.url}/chat/completions`);
      expect(response.headers['x-ratelimit-limit-requests']).toBeUndefined();
    } finally {
      await emulator.close();
    }
  });
});
