import { argumentErrorOf } from '../../../helpers/argumentErrorOf';
import OpenAI from 'openai';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import {
  AuthenticationError,
  BadRequestError,
  createClient,
  InvalidArgumentError,
  NotFoundError,
  type ChatCompletion,
  type Client,
} from '../../../../src';
import { startEmulator, type EmulatorHandle } from '../../../../src/testing';
import { failureOf } from '../../../helpers/failureOf';
import { completion, json, startScriptedServer, type ScriptedServer } from '../../../helpers/scriptedServer';
import { until } from '../../../helpers/until';

describe('the resources against the emulator, the official SDK as a second opinion', () => {
  let emulator: EmulatorHandle;
  let client: Client;
  let sdk: OpenAI;
  let seeded: ChatCompletion[];

  beforeAll(async () => {
    emulator = await startEmulator({ count: 30, seed: 11, apiKey: 'sk-resources' });
    client = createClient({ baseURL: emulator.url, apiKey: 'sk-resources' });
    sdk = new OpenAI({ baseURL: emulator.url, apiKey: 'sk-resources', maxRetries: 0 });
    seeded = await lastValueFrom(client.chat.completions.list().pipe(toArray()));
  });
  afterAll(() => emulator.close());

  const requestsDuring = async <T>(run: () => Promise<T>): Promise<{ result: T; requests: number }> => {
    const before = emulator.stats().requests;
    const result = await run();
    return { result, requests: emulator.stats().requests - before };
  };

  it('retrieve() emits the completion the SDK retrieves, once', async () => {
    const id = seeded[3]!.id;
    const emitted = await lastValueFrom(client.chat.completions.retrieve(id).pipe(toArray()));
    expect(emitted).toHaveLength(1);
    expect(emitted[0]).toEqual(JSON.parse(JSON.stringify(await sdk.chat.completions.retrieve(id))));
  });

  it('update() replaces the metadata, as the SDK then sees it', async () => {
    const id = seeded[4]!.id;
    // An own `__proto__` key, as JSON.parse makes it: sent and kept like any other.
    const metadata = JSON.parse('{"eval":"set-a","__proto__":"kept"}') as Record<string, string>;
    const updated = await firstValueFrom(client.chat.completions.update(id, { metadata }));
    expect(updated.metadata).toEqual(metadata);
    expect(Object.keys(updated.metadata ?? {})).toEqual(['eval', '__proto__']);
    const seenBySdk = (await sdk.chat.completions.retrieve(id)) as unknown as { metadata: unknown };
    expect(seenBySdk.metadata).toEqual(metadata);
  });

  it('delete() emits the deletion, and the SDK no longer finds the completion', async () => {
    const id = seeded[5]!.id;
    await expect(firstValueFrom(client.chat.completions.delete(id))).resolves.toEqual({ id, object: 'chat.completion.deleted', deleted: true });
    await expect(sdk.chat.completions.retrieve(id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('messages.list() emits every input message the SDK lists, in order, across pages', async () => {
    const id = seeded[6]!.id;
    const expected: unknown[] = [];
    for await (const message of sdk.chat.completions.messages.list(id)) expected.push(message);
    expect(expected.length).toBeGreaterThan(0);
    const { result, requests } = await requestsDuring(() =>
      lastValueFrom(client.chat.completions.messages.list(id, { limit: 1 }).pipe(toArray())),
    );
    expect(result).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(requests).toBe(expected.length);
    const desc = await lastValueFrom(client.chat.completions.messages.list(id, { order: 'desc' }).pipe(toArray()));
    expect(desc.map((m) => m.id)).toEqual(result.map((m) => m.id).reverse());
  });

  it('messages.pages() emits decoded pages', async () => {
    const pages = await lastValueFrom(client.chat.completions.messages.pages(seeded[6]!.id, { limit: 1 }).pipe(toArray()));
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.at(-1)?.has_more).toBe(false);
  });

  it('messages.processPages() emits what work makes of each page, in order, a page at a time', async () => {
    const id = seeded[10]!.id;
    const messages = await lastValueFrom(client.chat.completions.messages.list(id).pipe(toArray()));
    expect(messages.length).toBeGreaterThan(4);
    const before = emulator.stats().requests;
    const requestsSeen: number[] = [];
    const processed = await lastValueFrom(
      client.chat.completions.messages
        .processPages(
          id,
          { limit: 1 },
          (page) => {
            requestsSeen.push(emulator.stats().requests - before);
            return page.data.map((message) => message.id);
          },
          { prefetch: 0 },
        )
        .pipe(toArray()),
    );
    expect(processed).toEqual(messages.map((message) => message.id));
    // With no prefetch, page i is worked on once i + 1 pages were asked for.
    expect(requestsSeen).toEqual(messages.map((_, i) => i + 1));
  });

  it('each method answers an unknown id with a NotFoundError', async () => {
    const completions = client.chat.completions;
    for (const stream of [
      completions.retrieve('chatcmpl-missing'),
      completions.update('chatcmpl-missing', { metadata: {} }),
      completions.delete('chatcmpl-missing'),
      completions.messages.list('chatcmpl-missing'),
    ]) {
      expect(await failureOf(stream)).toBeInstanceOf(NotFoundError);
    }
  });

  it('each method answers a wrong key with an AuthenticationError that holds no key', async () => {
    const completions = createClient({ baseURL: emulator.url, apiKey: 'sk-wrong-key' }).chat.completions;
    const id = seeded[7]!.id;
    for (const stream of [
      completions.retrieve(id),
      completions.update(id, { metadata: {} }),
      completions.delete(id),
      completions.messages.list(id),
    ]) {
      const error = await failureOf(stream);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(JSON.stringify(error) + String(error)).not.toContain('sk-wrong-key');
    }
    await expect(sdk.chat.completions.retrieve(id)).resolves.toMatchObject({ id });
  });

  it('each method is cold: nothing is sent before subscribe', async () => {
    const id = seeded[8]!.id;
    const { requests } = await requestsDuring(async () => {
      const completions = client.chat.completions;
      return [completions.retrieve(id), completions.update(id, { metadata: {} }), completions.delete(id), completions.messages.list(id)];
    });
    expect(requests).toBe(0);
    await expect(sdk.chat.completions.retrieve(id)).resolves.toMatchObject({ id });
  });
});

describe('the resources against scripted servers', () => {
  let server: ScriptedServer | undefined;
  afterEach(() => server?.close());

  const clientOf = (s: ScriptedServer): Client =>
    createClient({ baseURL: s.url, retry: { initialDelayMs: 1, maxDelayMs: 1 } });

  it('path-encodes ids: /, ?, # and % never change the route', async () => {
    server = await startScriptedServer((req, res) => {
      if (req.url?.includes('/messages')) json(res, 200, { object: 'list', data: [], has_more: false });
      else if (req.method === 'DELETE') json(res, 200, { id: 'x', object: 'chat.completion.deleted', deleted: true });
      else json(res, 200, completion('x'));
    });
    const completions = clientOf(server).chat.completions;
    const id = 'a/b?c=1#d%2F';
    await firstValueFrom(completions.retrieve(id));
    await firstValueFrom(completions.update(id, { metadata: { k: 'v' } }));
    await firstValueFrom(completions.delete(id));
    await lastValueFrom(completions.messages.list(id).pipe(toArray()));
    const encoded = '/v1/chat/completions/a%2Fb%3Fc%3D1%23d%252F';
    expect(server.requests.map(({ method, url }) => `${method} ${url}`)).toEqual([
      `GET ${encoded}`,
      `POST ${encoded}`,
      `DELETE ${encoded}`,
      `GET ${encoded}/messages?limit=100`,
    ]);
  });

  it('refuses ids no encoding can carry, before sending anything', () => {
    const completions = createClient({ baseURL: 'http://127.0.0.1:9/v1' }).chat.completions;
    for (const id of ['', '.', '..']) {
      expect(argumentErrorOf(() => completions.retrieve(id))).toBeInstanceOf(InvalidArgumentError);
      expect(argumentErrorOf(() => completions.messages.list(id))).toBeInstanceOf(InvalidArgumentError);
    }
    expect(argumentErrorOf(() => completions.delete(42 as unknown as string))).toBeInstanceOf(InvalidArgumentError);
  });

  it('update() sends the metadata as JSON and checks it before sending', async () => {
    const bodies: string[] = [];
    server = await startScriptedServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        bodies.push(`${req.headers['content-type']} ${body}`);
        json(res, 200, completion('x', { metadata: JSON.parse(body).metadata }));
      });
    });
    const completions = clientOf(server).chat.completions;
    await firstValueFrom(completions.update('x', { metadata: { a: '1' } }));
    await firstValueFrom(completions.update('x', { metadata: null }));
    expect(bodies).toEqual(['application/json {"metadata":{"a":"1"}}', 'application/json {"metadata":null}']);
    const tooMany = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    const refused: unknown[] = [
      tooMany,
      { ['k'.repeat(65)]: 'v' },
      { k: 'v'.repeat(513) },
      { k: 1 },
      new Map([['k', 'v']]),
      Object.create({ inherited: 'v' }),
      ['v'],
      undefined,
    ];
    for (const metadata of refused) {
      expect(argumentErrorOf(() => completions.update('x', { metadata } as never))).toBeInstanceOf(InvalidArgumentError);
    }
    expect(argumentErrorOf(() => completions.update('x', { metadata: tooMany }))).toEqual(expect.objectContaining({ message: expect.stringContaining('Expected `metadata` to hold at most 16 keys, got 17') }));
    expect(() => completions.update('x', { metadata: { ['k'.repeat(64)]: 'v'.repeat(512) } })).not.toThrow();
    expect(server.requests).toHaveLength(2);
  });

  it('a 400 from the server is a BadRequestError, not retried', async () => {
    server = await startScriptedServer((_req, res) =>
      json(res, 400, { error: { message: 'Invalid metadata', type: 'invalid_request_error', param: 'metadata', code: null } }),
    );
    const error = await failureOf(clientOf(server).chat.completions.update('x', { metadata: { a: 'b' } }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(server.requests).toHaveLength(1);
  });

  it('a DELETE retried after a reset once the server acted, answered 404, counts as deleted', async () => {
    server = await startScriptedServer((req, res, n) => {
      if (n === 0) req.socket.destroy();
      else json(res, 404, { error: { message: 'No completion found', type: 'invalid_request_error', param: null, code: null } });
    });
    await expect(firstValueFrom(clientOf(server).chat.completions.delete('chatcmpl-1'))).resolves.toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion.deleted',
      deleted: true,
    });
    expect(server.requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE']);
  });

  it('a DELETE retried after a 5xx, answered 404, counts as deleted', async () => {
    server = await startScriptedServer((_req, res, n) => {
      if (n === 0) json(res, 502, { error: { message: 'Bad gateway' } });
      else json(res, 404, { error: { message: 'No completion found' } });
    });
    await expect(firstValueFrom(clientOf(server).chat.completions.delete('chatcmpl-1'))).resolves.toMatchObject({ deleted: true });
  });

  it('a DELETE answered 404 on its first attempt is a NotFoundError', async () => {
    server = await startScriptedServer((_req, res) => json(res, 404, { error: { message: 'No completion found' } }));
    expect(await failureOf(clientOf(server).chat.completions.delete('chatcmpl-1'))).toBeInstanceOf(NotFoundError);
    expect(server.requests).toHaveLength(1);
  });

  it('a DELETE answered 404 after only a 429 is a NotFoundError: the server did nothing', async () => {
    server = await startScriptedServer((_req, res, n) => {
      if (n === 0) json(res, 429, { error: { message: 'Slow down' } }, { 'retry-after-ms': '1' });
      else json(res, 404, { error: { message: 'No completion found' } });
    });
    expect(await failureOf(clientOf(server).chat.completions.delete('chatcmpl-1'))).toBeInstanceOf(NotFoundError);
  });

  it('a retrieve retried after a reset, answered 404, stays a NotFoundError', async () => {
    server = await startScriptedServer((req, res, n) => {
      if (n === 0) req.socket.destroy();
      else json(res, 404, { error: { message: 'No completion found' } });
    });
    expect(await failureOf(clientOf(server).chat.completions.retrieve('chatcmpl-1'))).toBeInstanceOf(NotFoundError);
  });

  it('unsubscribing aborts the request in flight; a signal fails the stream with an AbortError', async () => {
    server = await startScriptedServer(() => undefined);
    const completions = clientOf(server).chat.completions;
    const subscription = completions.retrieve('x').subscribe();
    await until(() => server!.requests.length === 1);
    subscription.unsubscribe();
    await until(() => server!.aborted() === 1);
    const controller = new AbortController();
    const deletion = firstValueFrom(completions.delete('x', { signal: controller.signal }));
    await until(() => server!.requests.length === 2);
    controller.abort();
    await expect(deletion).rejects.toMatchObject({ name: 'AbortError' });
    await until(() => server!.aborted() === 2);
  });
});
