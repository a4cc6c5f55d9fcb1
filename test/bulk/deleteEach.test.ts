import { EMPTY } from 'rxjs';
import { argumentErrorOf } from '../helpers/argumentErrorOf';
import OpenAI from 'openai';
import { firstValueFrom, from, lastValueFrom, Subject, tap, toArray } from 'rxjs';
import { Agent } from 'undici';
import {
  AbortError,
  createClient,
  deleteEach,
  filterMetadata,
  InconsistentServerError,
  InternalServerError,
  InvalidArgumentError,
  type BulkOutcome,
  type ChatCompletion,
  type ChatCompletionDeleted,
} from '../../src';
import { startEmulator, type EmulatorHandle } from '../../src/testing';
import { isDeleteRequest, isListRequest, startCountingProxy, type CountingProxy } from '../helpers/countingProxy';
import { failureOf } from '../helpers/failureOf';
import { completion, gatewayWithoutDelete, json, listPage, notFound, startScriptedServer } from '../helpers/scriptedServer';
import { deletedCursorsSent, sdkIds, startServerAnsweringALate, statusesById } from '../helpers/bulkHelpers';
import { CountingAgent } from '../helpers/CountingAgent';
import { turns, until } from '../helpers/until';

const quickRetries = { initialDelayMs: 1, maxDelayMs: 5 };

describe('deleteEach against the emulator', () => {
  const servers: Array<EmulatorHandle | CountingProxy> = [];
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    servers.length = 0;
  });

  const setUp = async (count: number, options: Parameters<typeof startEmulator>[0] = {}) => {
    const emulator = await startEmulator({ count, seed: 21, strictCursor: true, ...options });
    const proxy = await startCountingProxy(emulator.url);
    servers.push(proxy, emulator);
    return { emulator, proxy, client: createClient({ baseURL: proxy.url, retry: quickRetries }) };
  };

  it('deletes every completion of a walk while walking it, once each, and never sends a deleted cursor', async () => {
    const { emulator, proxy, client } = await setUp(60);
    const ids = await sdkIds(emulator.url);
    const outcomes = await lastValueFrom(client.chat.completions.list({ limit: 3 }).pipe(deleteEach(client, { concurrency: 8 }), toArray()));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(60).fill('done'));
    expect(outcomes.map((outcome) => outcome.id).sort()).toEqual([...ids].sort());
    expect(await sdkIds(emulator.url)).toEqual([]);
    expect(deletedCursorsSent(proxy.requests)).toEqual([]);
    expect(proxy.requests.filter(isListRequest)).toHaveLength(20);
  });

  it('deletes in desc order, behind filterMetadata, and over a source that is no list()', async () => {
    const { emulator, client } = await setUp(80);
    const all = await lastValueFrom(client.chat.completions.list().pipe(toArray()));
    const isProd = (c: ChatCompletion) => c.metadata?.['env'] === 'prod';
    const prod = all.filter(isProd).map((c) => c.id);
    expect(prod.length).toBeGreaterThan(3);
    const outcomes = await lastValueFrom(
      client.chat.completions.list({ limit: 5, order: 'desc' }).pipe(filterMetadata({ env: 'prod' }), deleteEach(client), toArray()),
    );
    expect(outcomes.map((outcome) => outcome.id).sort()).toEqual([...prod].sort());
    const rest = all.filter((c) => !isProd(c)).slice(0, 10);
    const more = await lastValueFrom(from(rest).pipe(deleteEach(client, { concurrency: 3 }), toArray()));
    expect(more.map((outcome) => outcome.status)).toEqual(Array(10).fill('done'));
    const left = new Set(await sdkIds(emulator.url));
    expect([...prod, ...rest.map((c) => c.id)].filter((id) => left.has(id))).toEqual([]);
    expect(left.size).toBe(80 - prod.length - 10);
  });

  it('reports a completion deleted by a reset attempt, whose retry was answered 404, as done: the SDK reports a failure', async () => {
    const { emulator, client } = await setUp(10, { writeFaults: { rate: 1, kinds: ['reset-after-acting'], maxConsecutive: 1 } });
    const [first, second, third] = await lastValueFrom(client.chat.completions.list({ limit: 3 }).pipe(toArray()));
    const sdk = new OpenAI({ apiKey: 'sk-x', baseURL: emulator.url, maxRetries: 3 });
    // The SDK's first attempt deletes it and is reset; its retry is answered 404, which it reports as a failure.
    await expect(sdk.chat.completions.delete(first!.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const outcomes = await lastValueFrom(from([second!, third!]).pipe(deleteEach(client), toArray()));
    expect(statusesById(outcomes)).toEqual({ [second!.id]: 'done', [third!.id]: 'done' });
    expect(outcomes.map((outcome) => outcome.status === 'done' && outcome.value)).toEqual(
      expect.arrayContaining([{ id: second!.id, object: 'chat.completion.deleted', deleted: true }]),
    );
    expect(await sdkIds(emulator.url)).toHaveLength(7);
  });

  it('reports a completion deleted before, whose first attempt is answered 404, as gone', async () => {
    const { emulator, client } = await setUp(10);
    const [first, second] = await lastValueFrom(client.chat.completions.list({ limit: 2 }).pipe(toArray()));
    await new OpenAI({ apiKey: 'sk-x', baseURL: emulator.url }).chat.completions.delete(first!.id);
    const outcomes = await lastValueFrom(from([first!, second!]).pipe(deleteEach(client), toArray()));
    expect(statusesById(outcomes)).toEqual({ [first!.id]: 'gone', [second!.id]: 'done' });
  });

  it('stops deleting when unsubscribed: nothing more is sent, the requests in flight are aborted', async () => {
    const { emulator, proxy } = await setUp(40, { latencyMs: 20 });
    // Counted where the client hands requests to undici: requests already on the wire when it
    // unsubscribes may still reach the proxy after it (or, aborted early, never), but none may
    // be handed over after it.
    const dispatcher = new CountingAgent();
    const client = createClient({ baseURL: proxy.url, retry: quickRetries, dispatcher });
    const outcomes: Array<BulkOutcome<ChatCompletionDeleted>> = [];
    const stop = new Subject<void>();
    const subscription = client.chat.completions
      .list({ limit: 5 })
      .pipe(deleteEach(client, { concurrency: 3 }))
      .subscribe((outcome) => {
        outcomes.push(outcome);
        if (outcomes.length === 6) stop.next();
      });
    await firstValueFrom(stop);
    subscription.unsubscribe();
    const dispatched = dispatcher.dispatched;
    await until(() => proxy.inFlight() === 0);
    await turns(20);
    expect(dispatcher.dispatched).toBe(dispatched);
    // Six answered, and at most three more in flight when it stopped (the server may have acted on those).
    expect(proxy.requests.filter(isDeleteRequest).length).toBeLessThanOrEqual(9);
    expect((await sdkIds(emulator.url)).length).toBeGreaterThanOrEqual(40 - 9);
    await dispatcher.close();
  });

  it('ends with an AbortError when its signal fires', async () => {
    const { client } = await setUp(20, { latencyMs: 20 });
    const controller = new AbortController();
    const done = lastValueFrom(client.chat.completions.list({ limit: 5 }).pipe(deleteEach(client, { signal: controller.signal })));
    controller.abort();
    await expect(done).rejects.toBeInstanceOf(AbortError);
  });

  it('checks its options, and says what is wrong on subscribe', () => {
    const client = createClient({ baseURL: 'http://127.0.0.1:9/v1' });
    expect(argumentErrorOf(() => EMPTY.pipe(deleteEach(client, { concurrency: 0 })))).toEqual(new InvalidArgumentError('Expected `concurrency` to be an integer of at least 1, got 0'));
    expect(argumentErrorOf(() => EMPTY.pipe(deleteEach(client, { failFast: 'yes' as unknown as boolean })))).toBeInstanceOf(InvalidArgumentError);
  });
});

describe('deleteEach against a server that fails one delete', () => {
  /** Three completions on one page; the delete of `b` fails with a 500 every time; `c` answers deleted: false. */
  const failingServer = () =>
    startScriptedServer((req, res) => {
      if (req.method === 'GET') return json(res, 200, listPage(['a', 'b', 'c', 'd'], false));
      const id = (req.url ?? '').split('/').pop() ?? '';
      if (id === 'b') return json(res, 500, { error: { message: 'boom', type: 'server_error' } });
      return json(res, 200, { object: 'chat.completion.deleted', id, deleted: id !== 'c' });
    });

  it('reports the failure as an outcome, and deletes the others', async () => {
    const server = await failingServer();
    try {
      const client = createClient({ baseURL: server.url, retry: { maxRetries: 1, ...quickRetries } });
      const outcomes = await lastValueFrom(client.chat.completions.list().pipe(deleteEach(client), toArray()));
      expect(statusesById(outcomes)).toEqual({ a: 'done', b: 'failed', c: 'failed', d: 'done' });
      const errorOf = (id: string) => outcomes.find((outcome) => outcome.id === id && outcome.status === 'failed');
      expect(errorOf('b')).toMatchObject({ error: expect.any(InternalServerError) });
      expect(errorOf('c')).toMatchObject({ error: { code: 'not_deleted', message: 'The server answered deleted: false for c' } });
      expect(server.requests.filter((request) => request.url.endsWith('/b'))).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('with failFast, ends the stream with the first failure', async () => {
    const server = await failingServer();
    try {
      const client = createClient({ baseURL: server.url, retry: { maxRetries: 0 } });
      await expect(lastValueFrom(client.chat.completions.list().pipe(deleteEach(client, { failFast: true, concurrency: 1 })))).rejects.toBeInstanceOf(
        InternalServerError,
      );
    } finally {
      await server.close();
    }
  });

  it('lets an error of the walk through, after the deletes already given out', async () => {
    const server = await startScriptedServer((req, res, n) => {
      if (req.method === 'DELETE') return json(res, 200, { object: 'chat.completion.deleted', id: (req.url ?? '').split('/').pop(), deleted: true });
      if (n === 0) return json(res, 200, listPage(['a', 'b'], true));
      return json(res, 400, { error: { message: 'bad cursor', type: 'invalid_request_error' } });
    });
    try {
      const client = createClient({ baseURL: server.url });
      const failure = await lastValueFrom(client.chat.completions.list().pipe(deleteEach(client))).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toMatchObject({ status: 400 });
      // `a` was deleted once `b` arrived; `b`, whose successor never came, was not.
      const urls = server.requests.map((request) => request.url);
      expect(urls.filter((url) => url.endsWith('/chat/completions/a'))).toHaveLength(1);
      expect(urls.filter((url) => url.endsWith('/chat/completions/b'))).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});

it('deletes a completion only once the next one has arrived, or the source has completed', async () => {
  const server = await startScriptedServer((req, res) => {
    const id = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
    if (req.method === 'GET') return json(res, 200, completion(id));
    return json(res, 200, { object: 'chat.completion.deleted', id, deleted: true });
  });
  // One connection: requests reach the server in the order they are sent, so the answer to a
  // probe shows what had been sent before it.
  const dispatcher = new Agent({ connections: 1 });
  try {
    const client = createClient({ baseURL: server.url, dispatcher });
    const sentBefore = async (): Promise<string[]> => {
      await firstValueFrom(client.chat.completions.retrieve('probe'));
      return server.requests.filter((request) => !request.url.endsWith('/probe')).map((request) => request.url.split('/').pop() ?? '');
    };
    const source = new Subject<{ id: string }>();
    const outcomes = lastValueFrom(source.pipe(deleteEach(client, { concurrency: 4 }), toArray()));
    source.next({ id: 'a' });
    expect(await sentBefore()).toEqual([]);
    source.next({ id: 'b' });
    source.next({ id: 'c' });
    expect(await sentBefore()).toEqual(['a', 'b']);
    source.complete();
    expect((await outcomes).map((outcome) => outcome.id)).toEqual(['a', 'b', 'c']);
  } finally {
    await dispatcher.close();
    await server.close();
  }
});

it('lets errors through, and unsubscribing stops the source', async () => {
  const client = createClient({ baseURL: 'http://127.0.0.1:9/v1' });
  const source = new Subject<{ id: string }>();
  const failure = lastValueFrom(source.pipe(deleteEach(client))).catch((error: unknown) => error);
  source.error(new Error('upstream'));
  expect(await failure).toEqual(new Error('upstream'));
  const other = new Subject<{ id: string }>();
  other.pipe(deleteEach(client)).subscribe().unsubscribe();
  expect(other.observed).toBe(false);
});

it('emits the outcomes in the order the deletes finish', async () => {
  const server = await startServerAnsweringALate(['a', 'b', 'c', 'd'], (res, id) =>
    json(res, 200, { object: 'chat.completion.deleted', id, deleted: true }),
  );
  try {
    const client = createClient({ baseURL: server.url });
    const outcomes = await lastValueFrom(client.chat.completions.list().pipe(deleteEach(client), toArray()));
    // d, the last, is deleted once the walk has completed and the others are done.
    expect(outcomes.map((outcome) => outcome.id)).toEqual(['b', 'c', 'a', 'd']);
  } finally {
    await server.close();
  }
});

it('a completion holding an id that needs encoding is deleted by its id', async () => {
  const server = await startScriptedServer((req, res) => {
    if (req.method === 'GET') return json(res, 200, { object: 'list', data: [completion('x/y?z#w')], has_more: false });
    return json(res, 200, { object: 'chat.completion.deleted', id: decodeURIComponent((req.url ?? '').split('/').pop() ?? ''), deleted: true });
  });
  try {
    const client = createClient({ baseURL: server.url });
    const [outcome] = await lastValueFrom(client.chat.completions.list().pipe(deleteEach(client), toArray()));
    expect(outcome).toMatchObject({ status: 'done', id: 'x/y?z#w' });
    expect(server.requests[1]?.url).toBe('/v1/chat/completions/x%2Fy%3Fz%23w');
  } finally {
    await server.close();
  }
});

describe('deleteEach against a gateway that lists completions but answers 404 to every DELETE', () => {
  it('fails with an InconsistentServerError once a retrieve finds one, and reports none of them gone', async () => {
    const server = await startScriptedServer(gatewayWithoutDelete(['a', 'b', 'c']));
    try {
      const client = createClient({ apiKey: 'unused', baseURL: server.url });
      const outcomes: Array<BulkOutcome<ChatCompletionDeleted>> = [];
      const error = await failureOf(client.chat.completions.list().pipe(deleteEach(client), tap((outcome) => outcomes.push(outcome))));
      expect(error).toBeInstanceOf(InconsistentServerError);
      expect(error).toMatchObject({ code: 'contradictory_404', id: expect.stringMatching(/^[abc]$/) });
      expect(outcomes).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('reports a completion gone once the retrieve agrees, and stops checking after one is deleted', async () => {
    const stored = new Set(['b', 'd']);
    const server = await startScriptedServer((req, res) => {
      const id = decodeURIComponent(/\/chat\/completions\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '');
      if (id === '') return json(res, 200, listPage(['a', 'b', 'c', 'd'], false));
      if (!stored.has(id)) return notFound(res);
      if (req.method === 'DELETE') stored.delete(id);
      json(res, 200, req.method === 'DELETE' ? { id, object: 'chat.completion.deleted', deleted: true } : completion(id));
    });
    try {
      const client = createClient({ apiKey: 'unused', baseURL: server.url });
      const outcomes = await lastValueFrom(client.chat.completions.list().pipe(deleteEach(client, { concurrency: 1 }), toArray()));
      expect(outcomes.map((outcome) => `${outcome.id}:${outcome.status}`)).toEqual(['a:gone', 'b:done', 'c:gone', 'd:done']);
      expect(server.requests.map((request) => `${request.method} ${request.url.split('/').pop()}`)).toEqual([
        'GET completions?limit=100',
        'DELETE a',
        'GET a',
        'DELETE b',
        'DELETE c',
        'DELETE d',
      ]);
    } finally {
      await server.close();
    }
  });

  it('reports a completion failed when the retrieve that would confirm its 404 fails', async () => {
    const server = await startScriptedServer((req, res) => {
      const id = decodeURIComponent(/\/chat\/completions\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '');
      if (id === '') return json(res, 200, listPage(['a', 'b'], false));
      if (id === 'a') return req.method === 'DELETE' ? notFound(res) : json(res, 500, { error: { message: 'retrieve is down' } });
      json(res, 200, { id, object: 'chat.completion.deleted', deleted: true });
    });
    try {
      const client = createClient({ apiKey: 'unused', baseURL: server.url, retry: { ...quickRetries, maxRetries: 1 } });
      const outcomes = await lastValueFrom(client.chat.completions.list().pipe(deleteEach(client), toArray()));
      expect(statusesById(outcomes)).toEqual({ a: 'failed', b: 'done' });
      expect(outcomes.find((outcome) => outcome.id === 'a')).toMatchObject({ error: expect.any(InternalServerError) });
    } finally {
      await server.close();
    }
  });
});
