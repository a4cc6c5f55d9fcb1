import { filter, lastValueFrom, map, take, toArray, type Observable, type OperatorFunction } from 'rxjs';
import { turns, until } from '../helpers/until';
import { createClient, createdWithin, deleteEach, filterMetadata, updateEach, withMessages, type ChatCompletion, type Client } from '../../src';
import { startEmulator, type EmulatorHandle } from '../../src/testing';
import {
  isDeleteRequest,
  isListRequest,
  isMessagesRequest,
  isUpdateRequest,
  startCountingProxy,
  type CountingProxy,
  type ProxiedRequest,
} from '../helpers/countingProxy';

const COUNT = 30;
const PAGE = 4;

/**
 * Each operator over a list() of pages of 4, with a proxy that lets its requests through only in
 * groups of `concurrency`: the walk completes only if the operator keeps `concurrency` requests in
 * flight across page boundaries (a group mixes items of two pages), and it never has more.
 * deleteEach deletes the last completion only after the others (once the source has completed).
 */
describe.each([
  ['withMessages', isMessagesRequest, 0, (client: Client, concurrency: number) => withMessages(client, { concurrency })],
  ['deleteEach', isDeleteRequest, 1, (client: Client, concurrency: number) => deleteEach<ChatCompletion>(client, { concurrency })],
  ['updateEach', isUpdateRequest, 0, (client: Client, concurrency: number) => updateEach<ChatCompletion>(client, { set: { seen: 'yes' } }, { concurrency })],
] as const)('%s: concurrency', (_name, matches: (request: ProxiedRequest) => boolean, last: number, operator: (client: Client, concurrency: number) => OperatorFunction<ChatCompletion, unknown>) => {
  let emulator: EmulatorHandle;
  let proxy: CountingProxy | undefined;
  beforeEach(async () => {
    emulator = await startEmulator({ count: COUNT, seed: 31, strictCursor: true });
  });
  afterEach(async () => {
    await proxy?.close();
    await emulator.close();
  });

  it.each([1, 3, PAGE])('keeps %i requests in flight across page boundaries, and never more', async (concurrency) => {
    proxy = await startCountingProxy(emulator.url, { matches, size: concurrency, total: COUNT - last });
    const client = createClient({ baseURL: proxy.url });
    const results = await lastValueFrom(client.chat.completions.list({ limit: PAGE }).pipe(operator(client, concurrency), toArray()));
    expect(results).toHaveLength(COUNT);
    expect(proxy.maxInFlight(matches)).toBe(concurrency);
    expect(proxy.requests.filter(isListRequest)).toHaveLength(Math.ceil(COUNT / PAGE));
  });

  it.each([
    ['list()', (source: Observable<ChatCompletion>) => source],
    ['filterMetadata', (source: Observable<ChatCompletion>) => source.pipe(filterMetadata(() => true))],
    ['createdWithin', (source: Observable<ChatCompletion>) => source.pipe(createdWithin({ since: 0 }, 'asc'))],
  ])('paces a walk through %s: while its requests hang, no page beyond the prefetched one is requested', async (_through, through) => {
    proxy = await startCountingProxy(emulator.url, { matches, size: COUNT, total: COUNT });
    const client = createClient({ baseURL: proxy.url });
    const subscription = through(client.chat.completions.list({ limit: PAGE })).pipe(operator(client, 3)).subscribe();
    try {
      await until(() => proxy!.requests.filter(matches).length === 3);
      await turns(50);
      expect(proxy.requests.filter(matches)).toHaveLength(3);
      // The page at work and the one prefetched; without the pacing the walk would run to its end.
      expect(proxy.requests.filter(isListRequest)).toHaveLength(2);
    } finally {
      subscription.unsubscribe();
    }
  });

  it.each([
    ['take', (source: Observable<ChatCompletion>) => source.pipe(take(COUNT))],
    ['filter', (source: Observable<ChatCompletion>) => source.pipe(filter(() => true))],
    ['map', (source: Observable<ChatCompletion>) => source.pipe(map((completion) => completion))],
  ])('loses the pacing through %s: while its requests hang, the walk runs to its end', async (_through, through) => {
    proxy = await startCountingProxy(emulator.url, { matches, size: COUNT, total: COUNT });
    const client = createClient({ baseURL: proxy.url });
    const subscription = through(client.chat.completions.list({ limit: PAGE })).pipe(operator(client, 3)).subscribe();
    try {
      await until(() => proxy!.requests.filter(isListRequest).length === Math.ceil(COUNT / PAGE));
      expect(proxy.requests.filter(matches)).toHaveLength(3);
    } finally {
      subscription.unsubscribe();
    }
  });
});
