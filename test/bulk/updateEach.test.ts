import { EMPTY } from 'rxjs';
import { argumentErrorOf } from '../helpers/argumentErrorOf';
import OpenAI from 'openai';
import { from, lastValueFrom, Subject, toArray } from 'rxjs';
import { AbortError, createClient, InvalidArgumentError, updateEach, type ChatCompletion, type Client } from '../../src';
import { startEmulator, type EmulatorHandle } from '../../src/testing';
import { completion, json, listPage, startScriptedServer } from '../helpers/scriptedServer';
import { startServerAnsweringALate, statusesById } from '../helpers/bulkHelpers';

describe('updateEach against the emulator, the official SDK as a second opinion', () => {
  let emulator: EmulatorHandle;
  let client: Client;
  let sdk: OpenAI;

  beforeEach(async () => {
    emulator = await startEmulator({ count: 25, seed: 13 });
    client = createClient({ baseURL: emulator.url, retry: { initialDelayMs: 1, maxDelayMs: 5 } });
    sdk = new OpenAI({ apiKey: 'sk-x', baseURL: emulator.url, maxRetries: 0 });
  });
  afterEach(() => emulator.close());

  const sdkMetadata = async (id: string): Promise<unknown> => ((await sdk.chat.completions.retrieve(id)) as unknown as { metadata: unknown }).metadata;

  it('sets and unsets keys over the metadata the list returned, for every completion across pages', async () => {
    const before = await lastValueFrom(client.chat.completions.list().pipe(toArray()));
    const outcomes = await lastValueFrom(
      client.chat.completions.list({ limit: 4 }).pipe(updateEach(client, { set: { reviewed: 'yes', env: 'audited' }, unset: ['user'] }), toArray()),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(25).fill('done'));
    for (const original of before) {
      const { user: _user, ...kept } = original.metadata ?? {};
      const expected = { ...kept, reviewed: 'yes', env: 'audited' };
      expect(await sdkMetadata(original.id)).toEqual(expected);
      const outcome = outcomes.find((o) => o.id === original.id);
      expect(outcome?.status === 'done' && outcome.value.metadata).toEqual(expected);
    }
  });

  it('fails alone a completion whose merged metadata would exceed 16 keys, with a message naming it', async () => {
    const [full, other] = await lastValueFrom(client.chat.completions.list({ limit: 2 }).pipe(toArray()));
    const sixteen = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'v']));
    await sdk.chat.completions.update(full!.id, { metadata: sixteen });
    const source = [{ ...full!, metadata: sixteen }, other!];
    const outcomes = await lastValueFrom(from(source).pipe(updateEach(client, { set: { extra: '1' } }), toArray()));
    expect(statusesById(outcomes)).toEqual({ [full!.id]: 'failed', [other!.id]: 'done' });
    const failed = outcomes.find((outcome) => outcome.status === 'failed');
    expect(failed?.status === 'failed' && failed.error).toEqual(
      new InvalidArgumentError(`Updating the metadata of ${full!.id} would give it 17 keys; the API allows at most 16`),
    );
    expect(await sdkMetadata(full!.id)).toEqual(sixteen);
    await expect(lastValueFrom(from(source).pipe(updateEach(client, { set: { extra: '1' } }, { failFast: true, concurrency: 1 })))).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it('merges up to exactly 16 keys, the API\'s limit', async () => {
    const [first] = await lastValueFrom(client.chat.completions.list({ limit: 1 }).pipe(toArray()));
    const keys = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 'v']));
    const outcomes = await lastValueFrom(from([{ ...first!, metadata: keys(15) }]).pipe(updateEach(client, { set: { k15: 'v' } }), toArray()));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['done']);
    expect(await sdkMetadata(first!.id)).toEqual(keys(16));
  });

  it('reports a completion deleted since it was listed as gone', async () => {
    const [gone, kept] = await lastValueFrom(client.chat.completions.list({ limit: 2 }).pipe(toArray()));
    await sdk.chat.completions.delete(gone!.id);
    const outcomes = await lastValueFrom(from([gone!, kept!]).pipe(updateEach(client, { set: { a: 'b' } }), toArray()));
    expect(statusesById(outcomes)).toEqual({ [gone!.id]: 'gone', [kept!.id]: 'done' });
  });

  it('retries an update that failed after the server acted, and reports it done once', async () => {
    const faulty = await startEmulator({ count: 10, seed: 13, writeFaults: { rate: 1, kinds: ['http-500-after-acting', 'reset-after-acting'], maxConsecutive: 2 } });
    try {
      const faultyClient = createClient({ baseURL: faulty.url, retry: { initialDelayMs: 1, maxDelayMs: 5 } });
      const outcomes = await lastValueFrom(faultyClient.chat.completions.list().pipe(updateEach(faultyClient, { set: { pass: '2' } }), toArray()));
      expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(10).fill('done'));
      expect(new Set(outcomes.map((outcome) => outcome.id)).size).toBe(10);
      expect(faulty.stats().faults).toBe(20);
    } finally {
      await faulty.close();
    }
  });

  it('ends with an AbortError when its signal fires', async () => {
    const controller = new AbortController();
    const done = lastValueFrom(client.chat.completions.list().pipe(updateEach(client, { set: { a: 'b' } }, { signal: controller.signal })));
    controller.abort();
    await expect(done).rejects.toBeInstanceOf(AbortError);
  });
});

describe('updateEach: its change and the server', () => {
  const client = createClient({ baseURL: 'http://127.0.0.1:9/v1' });

  it.each([
    [{ set: { a: 1 } }, 'Expected `set` to be an object of strings, got {"a":1}'],
    [{ unset: 'a' }, 'Expected `unset` to be an array of strings, got "a"'],
    [{ set: { a: 'x' }, unset: ['a'] }, 'Expected each key in `set` or in `unset`, not both; got ["a"] in both'],
    [{ set: { ['k'.repeat(65)]: 'x' } }, `Expected each \`metadata\` key to be at most 64 characters, got 65 in "${'k'.repeat(65)}"`],
    [{ set: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }, 'Expected `metadata` to hold at most 16 keys, got 17'],
  ])('refuses %j on subscribe: %s', (change, message) => {
    expect(argumentErrorOf(() => EMPTY.pipe(updateEach(client, change as never)))).toEqual(new InvalidArgumentError(message));
  });

  it('emits the outcomes in the order the updates finish', async () => {
    const server = await startServerAnsweringALate(['a', 'b', 'c'], (res, id) => json(res, 200, completion(id, { metadata: { x: 'y' } })));
    try {
      const scripted = createClient({ baseURL: server.url });
      const outcomes = await lastValueFrom(scripted.chat.completions.list().pipe(updateEach<ChatCompletion>(scripted, { set: { x: 'y' } }), toArray()));
      expect(outcomes.map((outcome) => outcome.id)).toEqual(['b', 'c', 'a']);
    } finally {
      await server.close();
    }
  });

  it('lets errors through, and unsubscribing stops the source', async () => {
    const source = new Subject<ChatCompletion>();
    const failure = lastValueFrom(source.pipe(updateEach(client, { set: { a: 'b' } }))).catch((error: unknown) => error);
    source.error(new Error('upstream'));
    expect(await failure).toEqual(new Error('upstream'));
    const other = new Subject<ChatCompletion>();
    other.pipe(updateEach(client, { set: { a: 'b' } })).subscribe().unsubscribe();
    expect(other.observed).toBe(false);
  });

  it('sends the merged metadata as the body, to the path-encoded id', async () => {
    const bodies: unknown[] = [];
    const server = await startScriptedServer((req, res) => {
      if (req.method === 'GET') return json(res, 200, { ...listPage([], false), data: [completion('a/b', { metadata: { keep: '1', drop: '2' } })] });
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { metadata: Record<string, string> };
        bodies.push({ url: req.url, body });
        json(res, 200, completion('a/b', { metadata: body.metadata }));
      });
    });
    try {
      const scripted = createClient({ baseURL: server.url });
      const [outcome] = await lastValueFrom(scripted.chat.completions.list().pipe(updateEach<ChatCompletion>(scripted, { set: { add: '3' }, unset: ['drop', 'absent'] }), toArray()));
      expect(bodies).toEqual([{ url: '/v1/chat/completions/a%2Fb', body: { metadata: { keep: '1', add: '3' } } }]);
      expect(outcome).toMatchObject({ status: 'done', id: 'a/b', value: { metadata: { keep: '1', add: '3' } } });
    } finally {
      await server.close();
    }
  });
});
