import { argumentErrorOf } from '../helpers/argumentErrorOf';
import { bufferCount, firstValueFrom, lastValueFrom, map, merge, of, take, toArray } from 'rxjs';
import { type ChatCompletion, type Client, createClient, filterMetadata } from '../../src';
import { startEmulator, type EmulatorHandle } from '../../src/testing';
import { idsOf } from '../helpers/ids';
import { until } from '../helpers/until';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe('list() against the emulator', () => {
  let emulator: Emulator;
  let client: Client;
  let all: ChatCompletion[];

  beforeAll(async () => {
    emulator = await startEmulator({ count: 250, seed: 7 });
    client = createClient({ baseURL: emulator.url });
    all = await lastValueFrom(client.chat.completions.list().pipe(toArray()));
  });
  afterAll(() => emulator.close());

  const requestsDuring = async <T>(run: () => Promise<T>): Promise<{ result: T; requests: number }> => {
    const before = emulator.stats().requests;
    const result = await run();
    return { result, requests: emulator.stats().requests - before };
  };

  it('walks every item once, in ascending order, with pages of 100', async () => {
    const { result, requests } = await requestsDuring(() => lastValueFrom(client.chat.completions.list().pipe(toArray())));
    expect(result).toHaveLength(250);
    expect(new Set(idsOf(result)).size).toBe(250);
    const created = result.map((c) => c.created);
    expect(created).toEqual([...created].sort((a, b) => a - b));
    expect(requests).toBe(3);
  });

  it('walks in descending order as the exact reverse', async () => {
    const desc = await lastValueFrom(client.chat.completions.list({ order: 'desc', limit: 33 }).pipe(toArray()));
    expect(idsOf(desc)).toEqual(idsOf(all).reverse());
  });

  it('is cold: nothing is sent before subscribe', async () => {
    const before = emulator.stats().requests;
    const list$ = client.chat.completions.list();
    // A round trip of the same client: a request list() had sent at once would have arrived by its end.
    await firstValueFrom(client.chat.completions.pages({ limit: 1 }));
    expect(emulator.stats().requests - before).toBe(1);
    await firstValueFrom(list$);
    expect(emulator.stats().requests - before).toBe(2);
  });

  it('take(5) on pages of 100 sends exactly one request', async () => {
    const { result, requests } = await requestsDuring(() => lastValueFrom(client.chat.completions.list().pipe(take(5), toArray())));
    expect(idsOf(result)).toEqual(idsOf(all).slice(0, 5));
    expect(requests).toBe(1);
  });

  it('take(150) sends exactly two requests', async () => {
    const { result, requests } = await requestsDuring(() => lastValueFrom(client.chat.completions.list().pipe(take(150), toArray())));
    expect(idsOf(result)).toEqual(idsOf(all).slice(0, 150));
    expect(requests).toBe(2);
  });

  it('take(100) sends exactly one request: the walk never asks past what the consumer took', async () => {
    const { requests } = await requestsDuring(() => lastValueFrom(client.chat.completions.list().pipe(take(100), toArray())));
    expect(requests).toBe(1);
  });

  it('first() sends one request', async () => {
    const { result, requests } = await requestsDuring(() => firstValueFrom(client.chat.completions.list()));
    expect(result.id).toBe(all[0]?.id);
    expect(requests).toBe(1);
  });

  it('starts after a cursor', async () => {
    const rest = await lastValueFrom(client.chat.completions.list({ after: all[99]?.id }).pipe(toArray()));
    expect(idsOf(rest)).toEqual(idsOf(all).slice(100));
  });

  it('filters by model and by metadata on the server', async () => {
    const model = all[0]?.model ?? '';
    const byModel = await lastValueFrom(client.chat.completions.list({ model }).pipe(toArray()));
    expect(idsOf(byModel)).toEqual(idsOf(all.filter((c) => c.model === model)));
    const [key, value] = Object.entries(all.find((c) => Object.keys(c.metadata ?? {}).length > 0)?.metadata ?? {})[0] ?? [];
    expect(key).toBeDefined();
    const byMetadata = await lastValueFrom(client.chat.completions.list({ metadata: { [key ?? '']: value ?? '' } }).pipe(toArray()));
    expect(byMetadata.length).toBeGreaterThan(0);
    expect(idsOf(byMetadata)).toEqual(idsOf(all.filter((c) => c.metadata?.[key ?? ''] === value)));
  });

  it('composes with filterMetadata, bufferCount and merge', async () => {
    const models = [...new Set(all.map((c) => c.model))].slice(0, 2);
    const batches = await lastValueFrom(
      merge(...models.map((model) => client.chat.completions.list({ model }))).pipe(
        filterMetadata({ user: true }),
        bufferCount(10),
        map((batch) => batch.length),
        toArray(),
      ),
    );
    const expected = all.filter((c) => models.includes(c.model) && c.metadata?.['user'] !== undefined).length;
    expect(batches.reduce((a, b) => a + b, 0)).toBe(expected);
  });

  it('pages() emits decoded pages of 100', async () => {
    const pages = await lastValueFrom(client.chat.completions.pages().pipe(toArray()));
    expect(pages.map((p) => [p.data.length, p.has_more])).toEqual([
      [100, true],
      [100, true],
      [50, false],
    ]);
  });

  it('the bidirectional strategy yields every item exactly once', async () => {
    const items = await lastValueFrom(client.chat.completions.list({ limit: 30 }, { strategy: 'bidirectional' }).pipe(toArray()));
    expect(idsOf(items).sort()).toEqual(idsOf(all).sort());
  });

  it('process() paces the walk: at most prefetch pages ahead of what work has finished', async () => {
    const requestsSeen: number[] = [];
    const before = emulator.stats().requests;
    const processed = await lastValueFrom(
      client.chat.completions
        .process({ limit: 25 }, (item) => {
          requestsSeen.push(emulator.stats().requests - before);
          return of(item.id);
        }, { prefetch: 1 })
        .pipe(toArray()),
    );
    expect(processed).toEqual(idsOf(all));
    // While item i (page ⌊i/25⌋) is processed, at most that page and the one after have been requested.
    requestsSeen.forEach((requests, i) => expect(requests).toBeLessThanOrEqual(Math.floor(i / 25) + 2));
  });

  it('pages() with the default prefetch sends one request for first()', async () => {
    const { requests } = await requestsDuring(() => firstValueFrom(client.chat.completions.pages()));
    expect(requests).toBe(1);
  });

  it('rejects bad parameters on subscribe, before any request, with precise messages', () => {
    expect(argumentErrorOf(() => client.chat.completions.list({}, { prefetch: -1 }))).toEqual(expect.objectContaining({ message: expect.stringContaining('Expected `prefetch` to be an integer of at least 0, got -1') }));
    expect(argumentErrorOf(() => client.chat.completions.list({ limit: 0 }))).toEqual(expect.objectContaining({ message: expect.stringContaining('Expected `limit` to be an integer from 1 to 100, got 0') }));
    expect(argumentErrorOf(() => client.chat.completions.list({ order: 'up' as 'asc' }))).toEqual(expect.objectContaining({ message: "Expected `order` to be 'asc' or 'desc', got \"up\"" }));
    expect(argumentErrorOf(() => client.chat.completions.list({ after: 'x' }, { strategy: 'bidirectional' }))).toEqual(expect.objectContaining({ message: expect.stringContaining('takes no `after`') }));
  });
});

describe('list() with its defaults: a slow start, then a page ahead', () => {
  // An emulator per test: a request left in flight by a walk cut short must not count in another test.
  const withEmulator = async (test: (emulator: EmulatorHandle, client: Client) => Promise<void>): Promise<void> => {
    const emulator = await startEmulator({ count: 250, seed: 7 });
    try {
      await test(emulator, createClient({ baseURL: emulator.url }));
    } finally {
      await emulator.close();
    }
  };

  it('take(200) sends two requests: nothing is asked ahead until the consumer has had two pages whole', () =>
    withEmulator(async (emulator, client) => {
      const items = await lastValueFrom(client.chat.completions.list().pipe(take(200), toArray()));
      expect(items).toHaveLength(200);
      expect(emulator.stats().requests).toBe(2);
    }));

  it('after two pages, the next page is asked for before the current one reaches the consumer', () =>
    withEmulator(async (emulator, client) => {
      // Pages 0 and 1 are consumed whole; page 3 is asked for when page 2 arrives, before take(3) ends the walk.
      const pages = await lastValueFrom(client.chat.completions.pages({ limit: 25 }).pipe(take(3), toArray()));
      expect(pages).toHaveLength(3);
      await until(() => emulator.stats().requests >= 4);
      expect(emulator.stats().requests).toBe(4);
    }));

  it('a full walk sends one request per page, no more', () =>
    withEmulator(async (emulator, client) => {
      expect(await lastValueFrom(client.chat.completions.list({ limit: 25 }).pipe(toArray()))).toHaveLength(250);
      expect(emulator.stats().requests).toBe(10);
    }));
});

describe('list() through faults', () => {
  it('a full walk of 3,000 items through 429s, 5xx, resets, truncated and non-JSON bodies yields every item exactly once, in order', async () => {
    const clean = await startEmulator({ count: 3000, seed: 11 });
    const faulty = await startEmulator({ count: 3000, seed: 11, faults: { rate: 0.4, seed: 3, maxConsecutive: 3 } });
    try {
      const retries: unknown[] = [];
      const expected = await lastValueFrom(createClient({ baseURL: clean.url }).chat.completions.list().pipe(toArray()));
      const faultyClient = createClient({
        baseURL: faulty.url,
        retry: { initialDelayMs: 1, maxDelayMs: 5, maxRetries: 4 },
        onRetry: (event) => retries.push(event.error),
      });
      const items = await lastValueFrom(faultyClient.chat.completions.list().pipe(toArray()));
      expect(idsOf(items)).toEqual(idsOf(expected));
      expect(faulty.stats().faults).toBeGreaterThan(5);
      const kinds = new Set(retries.map((e) => (e as Error).constructor.name));
      expect([...kinds].sort()).toEqual(
        expect.arrayContaining(['APIConnectionError', 'InternalServerError', 'InvalidResponseError', 'RateLimitError']),
      );
    } finally {
      await Promise.all([clean.close(), faulty.close()]);
    }
  });
});
