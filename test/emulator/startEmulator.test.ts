import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import { EMULATOR_DEFAULTS, startEmulator, type EmulatorOptions } from '../../src/testing';
import { InvalidArgumentError } from '../../src';
import { ManualClock } from '../helpers/ManualClock';
import { rawRequest, send } from '../helpers/rawHttp';

describe('startEmulator: options', () => {
  it.each<[string, EmulatorOptions, typeof InvalidArgumentError, string]>([
    ['a negative count', { count: -1 }, InvalidArgumentError, 'Expected `count` to be a non-negative integer, got -1'],
    ['a fractional count', { count: 1.5 }, InvalidArgumentError, 'Expected `count` to be a non-negative integer, got 1.5'],
    ['a huge count', { count: 1e9 }, InvalidArgumentError, 'Expected `count` to be a non-negative integer, got 1000000000'],
    ['a string count', { count: '10' as unknown as number }, InvalidArgumentError, 'Expected `count` to be a non-negative integer, got "10"'],
    ['a negative seed', { seed: -3 }, InvalidArgumentError, 'Expected `seed` to be an integer from 0 to 4294967295, got -3'],
    ['a port out of range', { port: 70_000 }, InvalidArgumentError, 'Expected `port` to be an integer from 0 to 65535, got 70000'],
    ['an empty apiKey', { apiKey: '' }, InvalidArgumentError, 'Expected `apiKey` to be a non-empty string, got ""'],
    ['a negative latency', { latencyMs: -1 }, InvalidArgumentError, 'Expected `latencyMs` to be a non-negative number, got -1'],
    ['a zero rate limit', { rateLimit: { requestsPerSecond: 0, burst: 1 } }, InvalidArgumentError, 'Expected `rateLimit.requestsPerSecond` to be a positive number, got 0'],
    ['a zero burst', { rateLimit: { requestsPerSecond: 1, burst: 0 } }, InvalidArgumentError, 'Expected `rateLimit.burst` to be a positive integer, got 0'],
    ['an unknown header mode', { rateLimit: { requestsPerSecond: 1, burst: 1, headers: 'some' as 'none' } }, InvalidArgumentError, "Expected `rateLimit.headers` to be one of 'exact', 'quantized', 'none', got \"some\""],
    ['a clock without sleep', { clock: { now: () => 0 } as unknown as EmulatorOptions['clock'] }, InvalidArgumentError, 'Expected `clock` to be an object with `now` and `sleep` functions'],
    ['a fault rate above 1', { faults: { rate: 1.5 } }, InvalidArgumentError, 'Expected `faults.rate` to be a number from 0 to 1, got 1.5'],
    ['an unknown fault kind', { faults: { rate: 1, kinds: ['http-418' as 'http-500'] } }, InvalidArgumentError, 'Expected `faults.kinds` to be a non-empty array of'],
    ['no fault kinds', { faults: { rate: 1, kinds: [] } }, InvalidArgumentError, 'Expected `faults.kinds` to be a non-empty array of'],
    ['a zero maxConsecutive', { faults: { rate: 1, maxConsecutive: 0 } }, InvalidArgumentError, 'Expected `faults.maxConsecutive` to be a positive integer, got 0'],
    ['an unknown option', { latency: 5 } as EmulatorOptions, InvalidArgumentError, 'Unknown option `latency`'],
    ['an unknown fault option', { faults: { rate: 1, odds: 2 } } as EmulatorOptions, InvalidArgumentError, 'Unknown option `faults.odds`'],
  ])('rejects %s before starting', async (_, options, type, message) => {
    const started = startEmulator(options);
    await expect(started).rejects.toThrow(type);
    await expect(started).rejects.toThrow(message);
  });

  it('documents every default in one object', () => {
    expect(EMULATOR_DEFAULTS).toEqual({
      port: 0,
      count: 1000,
      seed: 1,
      apiKey: null,
      rateLimit: null,
      rateLimitHeaders: 'quantized',
      latencyMs: 0,
      clock: 'system',
      faults: {
        rate: 0,
        kinds: ['http-429', 'http-429-no-wait', 'http-500', 'http-502', 'http-503', 'connection-reset', 'truncated-body', 'html-body', 'latency'],
        seed: 1,
        maxConsecutive: 3,
        retryAfterMs: 20,
        latencyMs: 50,
      },
      writeFaults: {
        rate: 0,
        kinds: ['http-429', 'http-429-no-wait', 'http-503', 'connection-reset', 'reset-after-acting', 'http-500-after-acting', 'truncated-after-acting', 'latency'],
        seed: 1,
        maxConsecutive: 3,
        retryAfterMs: 20,
        latencyMs: 50,
      },
      strictCursor: false,
      arrivalsPerSecond: 0,
      azure: null,
      azureDefaults: { apiKey: null, tokens: [], apiVersion: null },
    });
  });

  it('listens on 127.0.0.1 and a free port, with a base URL ending in /v1', async () => {
    const emulator = await startEmulator({ count: 0 });
    try {
      expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      expect(emulator.url).not.toMatch(/:0\/v1$/);
      expect((await send(`${emulator.url}/chat/completions`)).text).toBe('{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}');
    } finally {
      await emulator.close();
    }
  });
});

describe('startEmulator: stats', () => {
  it('counts requests, responses by status and faults', async () => {
    const emulator = await startEmulator({ count: 10 });
    try {
      await send(`${emulator.url}/chat/completions`);
      await send(`${emulator.url}/chat/completions?limit=0`);
      await send(`${emulator.url}/chat/completions?limit=0`);
      expect(emulator.stats()).toEqual({
        requests: 3,
        byStatus: { 200: 1, 400: 2 },
        byEndpoint: { list: 3, create: 0, retrieve: 0, update: 0, delete: 0, messages: 0 },
        faults: 0,
        stored: 10,
      });
    } finally {
      await emulator.close();
    }
  });

  it('hands out snapshots, not live counters', async () => {
    const emulator = await startEmulator({ count: 1 });
    try {
      const before = emulator.stats();
      await send(`${emulator.url}/chat/completions`);
      expect(before).toEqual({
        requests: 0,
        byStatus: {},
        byEndpoint: { list: 0, create: 0, retrieve: 0, update: 0, delete: 0, messages: 0 },
        faults: 0,
        stored: 1,
      });
    } finally {
      await emulator.close();
    }
  });
});

describe('startEmulator: close', () => {
  it('ends with a keep-alive connection still open, closing it from the server side', async () => {
    const emulator = await startEmulator({ count: 5 });
    const agent = new Agent({ keepAlive: true });
    const req = request(`${emulator.url}/chat/completions`, { agent });
    const socket = await new Promise<Socket>((resolve) => req.once('socket', resolve));
    await new Promise<void>((resolve) => req.once('response', (res) => res.resume().on('end', resolve)).end());
    const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    expect(socket.destroyed).toBe(false);
    await emulator.close();
    await socketClosed;
    agent.destroy();
  });

  it('is idempotent', async () => {
    const emulator = await startEmulator({ count: 1 });
    const first = emulator.close();
    expect(emulator.close()).toBe(first);
    await first;
    await emulator.close();
  });

  it('cancels the latency of requests in flight: the client sees the connection end', async () => {
    const emulator = await startEmulator({ count: 1, latencyMs: 60_000 });
    const pending = rawRequest(`${emulator.url}/chat/completions`);
    while (emulator.stats().requests === 0) await delay(5);
    await emulator.close();
    expect(await pending).toMatchObject({ kind: 'error', status: undefined });
  });

  it('answers after latencyMs, as the injected clock measures it', async () => {
    const clock = new ManualClock();
    const emulator = await startEmulator({ count: 2, latencyMs: 20, clock });
    try {
      const before = clock.now();
      expect((await send(`${emulator.url}/chat/completions`)).status).toBe(200);
      expect(clock.now() - before).toBe(20);
      expect(clock.slept).toEqual([20]);
    } finally {
      await emulator.close();
    }
  });
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
