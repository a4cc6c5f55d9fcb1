import OpenAI from 'openai';
import { from, lastValueFrom, Subject, take, tap, toArray } from 'rxjs';
import type { ServerResponse } from 'node:http';
import {
  AbortError,
  createClient,
  InternalServerError,
  NotFoundError,
  withMessages,
  type ChatCompletion,
  type Client,
  type CompletionWithMessages,
} from '../../src';
import { startEmulator, type EmulatorHandle } from '../../src/testing';
import { isMessagesRequest, startCountingProxy, type CountingProxy } from '../helpers/countingProxy';
import { completion, json, listPage, startScriptedServer } from '../helpers/scriptedServer';
import { turns, until } from '../helpers/until';

describe('withMessages against the emulator, the official SDK as a second opinion', () => {
  let emulator: EmulatorHandle;
  let proxy: CountingProxy;
  let client: Client;
  let sdk: OpenAI;
  let long: string;

  beforeAll(async () => {
    emulator = await startEmulator({ count: 40, seed: 17 });
    proxy = await startCountingProxy(emulator.url);
    client = createClient({ baseURL: proxy.url });
    sdk = new OpenAI({ apiKey: 'sk-x', baseURL: emulator.url, maxRetries: 0 });
    // 230 input messages: three pages of the messages list.
    const messages = Array.from({ length: 230 }, (_, i) => ({ role: 'user' as const, content: `message ${i}` }));
    long = (await sdk.chat.completions.create({ model: 'gpt-4o-mini', store: true, messages })).id;
  });
  afterAll(async () => {
    await proxy.close();
    await emulator.close();
  });

  const sdkMessages = async (id: string): Promise<unknown[]> => {
    const messages: unknown[] = [];
    for await (const message of sdk.chat.completions.messages.list(id)) messages.push(message);
    return JSON.parse(JSON.stringify(messages)) as unknown[];
  };

  it('joins every completion to every page of its messages, in the source order', async () => {
    const joined = await lastValueFrom(client.chat.completions.list({ limit: 6 }).pipe(withMessages(client, { concurrency: 5 }), toArray()));
    const listed: string[] = [];
    for await (const c of sdk.chat.completions.list()) listed.push(c.id);
    expect(joined.map((j) => j.completion.id)).toEqual(listed);
    for (const { completion: c, messages } of joined) expect(messages).toEqual(await sdkMessages(c.id));
    expect(joined.at(-1)?.completion.id).toBe(long);
    expect(joined.at(-1)?.messages?.map((m) => m.content)).toEqual(Array.from({ length: 230 }, (_, i) => `message ${i}`));
    expect(proxy.requests.filter((r) => isMessagesRequest(r) && r.url.includes(long))).toHaveLength(3);
  });

  it('reports a completion deleted since it was listed with messages: null and a NotFoundError, in its place', async () => {
    const source = await lastValueFrom(client.chat.completions.list({ limit: 3 }).pipe(take(3), toArray()));
    await sdk.chat.completions.delete(source[1]!.id);
    const joined = await lastValueFrom(from(source).pipe(withMessages(client), toArray()));
    expect(joined.map((j) => j.completion.id)).toEqual(source.map((c) => c.id));
    expect(joined[1]).toEqual({ completion: source[1], messages: null, error: expect.any(NotFoundError) });
    expect(joined[2]?.messages).toEqual(await sdkMessages(source[2]!.id));
    await expect(lastValueFrom(from(source).pipe(withMessages(client, { failFast: true })))).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('withMessages: order and the reorder window', () => {
  it('emits in source order when walks finish out of order, and starts no walk more than `concurrency` places ahead of the last emitted', async () => {
    const ids = Array.from({ length: 9 }, (_, i) => `c${i}`);
    const emitted: string[] = [];
    /** How many joins had been emitted when each completion's messages were requested. */
    const emittedWhenRequested = new Map<string, number>();
    let c0: ServerResponse | undefined;
    let answered = 0;
    const answer = (res: ServerResponse, id: string) =>
      json(res, 200, { object: 'list', data: [{ id: `${id}-0`, role: 'user', content: id }], has_more: false });
    const server = await startScriptedServer((req, res) => {
      if (!(req.url ?? '').includes('/messages')) return json(res, 200, listPage(ids, false));
      const id = /completions\/([^/]+)\/messages/.exec(req.url ?? '')?.[1] ?? '';
      emittedWhenRequested.set(id, emitted.length);
      // c0 is answered only after c1 and c2, and a while after, for the client to start more if it would.
      const answerC0 = () => void turns(20).then(() => c0 && answer(c0, 'c0'));
      if (id === 'c0') {
        c0 = res;
        if (answered >= 2) answerC0();
        return;
      }
      answer(res, id);
      res.on('finish', () => {
        if (++answered === 2) answerC0();
      });
    });
    try {
      const client = createClient({ baseURL: server.url });
      await lastValueFrom(client.chat.completions.list().pipe(withMessages(client, { concurrency: 3 }), tap((j) => emitted.push(j.completion.id))));
      expect(emitted).toEqual(ids);
      // c3 waited for c0 to be emitted, c4 for c1, and so on: at most 3 joins between start and emission.
      const behind = ids.map((id, k) => k - (emittedWhenRequested.get(id) ?? -1));
      expect(Math.max(...behind)).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('reports a failure as an outcome in its place, or ends the stream with failFast', async () => {
    const server = await startScriptedServer((req, res) => {
      if (!(req.url ?? '').includes('/messages')) return json(res, 200, listPage(['a', 'b', 'c'], false));
      if ((req.url ?? '').includes('/b/')) return json(res, 500, { error: { message: 'boom', type: 'server_error' } });
      return json(res, 200, { object: 'list', data: [], has_more: false });
    });
    try {
      const client = createClient({ baseURL: server.url, retry: { maxRetries: 0 } });
      const joined = await lastValueFrom(client.chat.completions.list().pipe(withMessages(client), toArray()));
      expect(joined.map(({ completion: c, messages, error }) => [c.id, messages, error?.constructor])).toEqual([
        ['a', [], undefined],
        ['b', null, InternalServerError],
        ['c', [], undefined],
      ]);
      await expect(lastValueFrom(client.chat.completions.list().pipe(withMessages(client, { failFast: true })))).rejects.toBeInstanceOf(
        InternalServerError,
      );
    } finally {
      await server.close();
    }
  });

  it('stops when unsubscribed or aborted: the walks in flight are aborted, no other starts', async () => {
    const server = await startScriptedServer((req, res) => {
      if (!(req.url ?? '').includes('/messages')) json(res, 200, { object: 'list', data: ['a', 'b', 'c', 'd'].map((id) => completion(id)), has_more: false });
      // Messages are never answered.
    });
    try {
      const client = createClient({ baseURL: server.url });
      const results: CompletionWithMessages[] = [];
      const subscription = client.chat.completions.list().pipe(withMessages(client, { concurrency: 2 })).subscribe((r) => results.push(r));
      await until(() => server.requests.length === 3);
      subscription.unsubscribe();
      await until(() => server.aborted() === 2);
      expect(results).toEqual([]);

      const controller = new AbortController();
      const aborted = lastValueFrom(client.chat.completions.list().pipe(withMessages(client, { signal: controller.signal })));
      await until(() => server.requests.length === 3 + 5);
      controller.abort();
      await expect(aborted).rejects.toBeInstanceOf(AbortError);
      await until(() => server.aborted() === 2 + 4);
      expect(server.requests).toHaveLength(8);
    } finally {
      await server.close();
    }
  });

  it('errors pass through, and unsubscribing stops the source', async () => {
    const client = createClient({ baseURL: 'http://127.0.0.1:9/v1' });
    const source = new Subject<ChatCompletion>();
    const failure = lastValueFrom(source.pipe(withMessages(client))).catch((error: unknown) => error);
    source.error(new Error('upstream'));
    expect(await failure).toEqual(new Error('upstream'));
    const other = new Subject<ChatCompletion>();
    other.pipe(withMessages(client)).subscribe().unsubscribe();
    expect(other.observed).toBe(false);
  });
});
