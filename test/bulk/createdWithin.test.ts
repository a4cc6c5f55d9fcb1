import { EMPTY } from 'rxjs';
import { argumentErrorOf } from '../helpers/argumentErrorOf';
import { lastValueFrom, of, Subject, toArray } from 'rxjs';
import { createClient, createdWithin, CursorError, deleteEach, InvalidArgumentError, withMessages, type ChatCompletion, type Client } from '../../src';
import { startEmulator, type EmulatorHandle } from '../../src/testing';
import { isListRequest, startCountingProxy, type CountingProxy } from '../helpers/countingProxy';
import { failureOf } from '../helpers/failureOf';
import { completion, listIgnoringOrder, startScriptedServer, type ScriptedServer } from '../helpers/scriptedServer';
import { sdkIds } from '../helpers/bulkHelpers';
import { idsOf } from '../helpers/ids';

const PAGE = 10;

describe('createdWithin over a list() of the emulator', () => {
  let emulator: EmulatorHandle;
  let proxy: CountingProxy;
  let client: Client;
  let asc: ChatCompletion[];

  beforeEach(async () => {
    emulator = await startEmulator({ count: 200, seed: 23, strictCursor: true });
    proxy = await startCountingProxy(emulator.url);
    client = createClient({ baseURL: proxy.url });
    asc = await lastValueFrom(client.chat.completions.list().pipe(toArray()));
  });
  afterEach(async () => {
    await proxy.close();
    await emulator.close();
  });

  /** The list requests `run` sends. */
  const listRequestsOf = async <T>(run: () => Promise<T>): Promise<{ result: T; requests: number }> => {
    const before = proxy.requests.filter(isListRequest).length;
    const result = await run();
    return { result, requests: proxy.requests.filter(isListRequest).length - before };
  };
  const createdAt = (index: number): number => asc[index]!.created;
  it('desc: keeps [since, until) and stops at the first page holding a completion older than since', async () => {
    const since = createdAt(120);
    const until = createdAt(170);
    const expected = asc.filter((c) => c.created >= since && c.created < until).reverse();
    const { result, requests } = await listRequestsOf(() =>
      lastValueFrom(client.chat.completions.list({ order: 'desc', limit: PAGE }, { prefetch: 0 }).pipe(createdWithin({ since, until }, 'desc'), toArray())),
    );
    expect(idsOf(result)).toEqual(idsOf(expected));
    // In desc, the first completion older than `since` sits at this index.
    const firstOlder = [...asc].reverse().findIndex((c) => c.created < since);
    expect(requests).toBe(Math.floor(firstOlder / PAGE) + 1);
    expect(requests).toBeLessThan(200 / PAGE);
  });

  it('asc: keeps [since, until) and stops at the first page holding a completion at or after until', async () => {
    const since = new Date(createdAt(30) * 1000);
    const until = new Date(createdAt(75) * 1000 + 1);
    const expected = asc.filter((c) => c.created * 1000 >= since.getTime() && c.created * 1000 < until.getTime());
    const { result, requests } = await listRequestsOf(() =>
      lastValueFrom(client.chat.completions.list({ limit: PAGE }, { prefetch: 0 }).pipe(createdWithin({ since, until }, 'asc'), toArray())),
    );
    expect(idsOf(result)).toEqual(idsOf(expected));
    // A Date a millisecond past a second keeps that second: 75 and any tie with it are in.
    expect(idsOf(result)).toContain(asc[75]!.id);
    const firstAfter = asc.findIndex((c) => c.created * 1000 >= until.getTime());
    expect(requests).toBe(Math.floor(firstAfter / PAGE) + 1);
  });

  it('without an order, only filters: the walk goes to its end', async () => {
    const since = createdAt(50);
    const { result, requests } = await listRequestsOf(() =>
      lastValueFrom(client.chat.completions.list({ order: 'desc', limit: PAGE }).pipe(createdWithin({ since }), toArray())),
    );
    expect(idsOf(result)).toEqual(idsOf(asc.filter((c) => c.created >= since).reverse()));
    expect(requests).toBe(200 / PAGE);
  });

  it('before deleteEach: deletes exactly the window, paced, stops early, and never sends a deleted cursor', async () => {
    const since = createdAt(100);
    const until = createdAt(140);
    const window = asc.filter((c) => c.created >= since && c.created < until);
    const { result, requests } = await listRequestsOf(() =>
      lastValueFrom(
        client.chat.completions.list({ order: 'desc', limit: 7 }).pipe(createdWithin({ since, until }, 'desc'), deleteEach(client, { concurrency: 5 }), toArray()),
      ),
    );
    expect(result.map((outcome) => outcome.status)).toEqual(window.map(() => 'done'));
    expect(new Set(await sdkIds(emulator.url))).toEqual(new Set(idsOf(asc.filter((c) => !window.includes(c)))));
    const firstOlder = [...asc].reverse().findIndex((c) => c.created < since);
    // The page holding the first older one, and perhaps the one prefetched after it.
    expect(requests).toBeGreaterThanOrEqual(Math.floor(firstOlder / 7) + 1);
    expect(requests).toBeLessThanOrEqual(Math.floor(firstOlder / 7) + 2);
  });

  it('before withMessages: joins the window in order, and stops early', async () => {
    const until = createdAt(35);
    const { result, requests } = await listRequestsOf(() =>
      lastValueFrom(client.chat.completions.list({ limit: PAGE }).pipe(createdWithin({ until }, 'asc'), withMessages(client), toArray())),
    );
    expect(result.map((joined) => joined.completion.id)).toEqual(idsOf(asc.filter((c) => c.created < until)));
    expect(result.every((joined) => joined.messages !== null && joined.messages.length > 0)).toBe(true);
    expect(requests).toBeLessThanOrEqual(Math.floor(35 / PAGE) + 2);
  });
});

describe('createdWithin as an operator', () => {
  const at = (created: number) => ({ created, id: String(created) });

  it('takes Unix seconds and Dates alike, since included, until excluded', async () => {
    const items = [at(10), at(19), at(20), at(29), at(30), at(31)];
    const bySeconds = await lastValueFrom(of(...items).pipe(createdWithin({ since: 19, until: 30 }), toArray()));
    const byDates = await lastValueFrom(of(...items).pipe(createdWithin({ since: new Date(19_000), until: new Date(30_000) }), toArray()));
    expect(bySeconds.map((item) => item.created)).toEqual([19, 20, 29]);
    expect(byDates).toEqual(bySeconds);
  });

  it('completes at the first item beyond the window, and unsubscribes its source', async () => {
    const source = new Subject<{ created: number; id: string }>();
    const kept: number[] = [];
    let completed = false;
    source.pipe(createdWithin({ until: 30 }, 'asc')).subscribe({ next: (item) => kept.push(item.created), complete: () => (completed = true) });
    source.next(at(10));
    source.next(at(29));
    expect(completed).toBe(false);
    source.next(at(30));
    expect(completed).toBe(true);
    expect(source.observed).toBe(false);
    expect(kept).toEqual([10, 29]);
  });

  it('lets errors through, and unsubscribing stops the source', async () => {
    const source = new Subject<{ created: number; id: string }>();
    const failure = lastValueFrom(source.pipe(createdWithin({ since: 1 }, 'desc'))).catch((error: unknown) => error);
    source.error(new Error('upstream'));
    expect(await failure).toEqual(new Error('upstream'));
    const other = new Subject<{ created: number; id: string }>();
    other.pipe(createdWithin({ since: 1 }, 'desc')).subscribe().unsubscribe();
    expect(other.observed).toBe(false);
  });

  it.each([
    [{ since: new Date(Number.NaN) }, undefined, 'Expected `since` to be a valid Date or a finite number of Unix seconds, got Invalid Date'],
    [{ until: Number.POSITIVE_INFINITY }, undefined, 'Expected `until` to be a valid Date or a finite number of Unix seconds, got Infinity'],
    [{ since: '2024-01-01' as unknown as number }, undefined, 'Expected `since` to be a valid Date or a finite number of Unix seconds, got 2024-01-01'],
    [{ since: 20, until: 10 }, undefined, 'Expected `since` to be at or before `until`, got 20 and 10'],
    [{ since: 1 }, 'newest' as 'asc', "Expected `order` to be 'asc' or 'desc', got \"newest\""],
  ])('refuses %j, order %s, on subscribe: %s', (window, order, message) => {
    expect(argumentErrorOf(() => EMPTY.pipe(createdWithin(window, order)))).toEqual(new InvalidArgumentError(message));
  });
});

describe('createdWithin over a list() of a server that ignores order', () => {
  /** Six completions created a minute apart, always listed oldest first, three to a page. */
  const stored = ['a', 'b', 'c', 'd', 'e', 'f'].map((id, index) => completion(id, { created: 1_700_000_000 + 60 * index }));
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await startScriptedServer(listIgnoringOrder(stored, 3));
  });
  afterEach(() => server.close());

  it("fails with order_not_respected rather than stopping at the first completion, in 'desc'", async () => {
    const client = createClient({ apiKey: 'unused', baseURL: server.url });
    const since = 1_700_000_000 + 60 * 3;
    const error = await failureOf(client.chat.completions.list({ order: 'desc' }).pipe(createdWithin({ since }, 'desc')));
    expect(error).toBeInstanceOf(CursorError);
    expect(error).toMatchObject({ code: 'order_not_respected' });
    expect((error as Error).message).toMatch(/^The server ignores `order: 'desc'`: the page after the start lists "a" \(created 1700000000\) before "b"/);
  });

  it('walks in the order it asked for when the server answers in it', async () => {
    const client = createClient({ apiKey: 'unused', baseURL: server.url });
    const since = 1_700_000_000 + 60 * 3;
    const kept = await lastValueFrom(client.chat.completions.list({ order: 'asc' }).pipe(createdWithin({ since }, 'asc'), toArray()));
    expect(kept.map((item) => item.id)).toEqual(['d', 'e', 'f']);
  });
});
