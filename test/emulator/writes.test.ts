import OpenAI from 'openai';
import { EMULATOR_DEFAULTS, startEmulator, WRITE_FAULT_KINDS, type EmulatorHandle, type WriteFaultKind } from '../../src/testing';
import { json, listPage, rawRequest, send, sendJson, walk, type Completion, type ErrorEnvelope } from '../helpers/rawHttp';

const servers: EmulatorHandle[] = [];
afterAll(() => Promise.all(servers.map((server) => server.close())));

const started = async (options: Parameters<typeof startEmulator>[0]): Promise<EmulatorHandle> => {
  const emulator = await startEmulator(options);
  servers.push(emulator);
  return emulator;
};

const sdk = (emulator: EmulatorHandle): OpenAI => new OpenAI({ apiKey: 'sk-test', baseURL: emulator.url, maxRetries: 0 });

describe('emulator: deleting a seeded completion whose metadata was updated', () => {
  it('deletes it: retrieve is a 404 and no walk shows it (the delete used to answer deleted: true and delete nothing)', async () => {
    const emulator = await started({ count: 30, seed: 8 });
    const openai = sdk(emulator);
    const [first] = (await openai.chat.completions.list({ limit: 3 })).data;
    const id = first?.id ?? '';
    await openai.chat.completions.update(id, { metadata: { tagged: 'yes' } });
    expect(await openai.chat.completions.delete(id)).toEqual({ object: 'chat.completion.deleted', id, deleted: true });

    await expect(openai.chat.completions.retrieve(id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(openai.chat.completions.delete(id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const remaining: string[] = [];
    for await (const completion of openai.chat.completions.list({ limit: 7 })) remaining.push(completion.id);
    expect(remaining).toHaveLength(29);
    expect(remaining).not.toContain(id);
    expect(emulator.stats().stored).toBe(29);
    const tagged: string[] = [];
    for await (const completion of openai.chat.completions.list({ metadata: { tagged: 'yes' } })) tagged.push(completion.id);
    expect(tagged).toEqual([]);
  });
});

describe('emulator: strictCursor', () => {
  it('answers 404 to a list whose `after` is a deleted completion, as to one never stored', async () => {
    const emulator = await started({ count: 30, seed: 8, strictCursor: true });
    const page = await listPage(emulator.url, 'limit=5');
    const last = page.last_id ?? '';
    expect((await send(`${emulator.url}/chat/completions?limit=5&after=${last}`)).status).toBe(200);
    expect((await send(`${emulator.url}/chat/completions/${last}`, { method: 'DELETE' })).status).toBe(200);

    for (const order of ['asc', 'desc']) {
      const response = await send(`${emulator.url}/chat/completions?limit=5&order=${order}&after=${last}`);
      expect(response.status).toBe(404);
      expect(json<ErrorEnvelope>(response).error).toMatchObject({ param: 'after', code: 'not_found' });
    }
    await expect(sdk(emulator).chat.completions.list({ after: last })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    expect((await send(`${emulator.url}/chat/completions?after=chatcmpl-unknown`)).status).toBe(404);
  });

  it('is off by default: a deleted id stays a valid cursor', async () => {
    expect(EMULATOR_DEFAULTS.strictCursor).toBe(false);
    const emulator = await started({ count: 30, seed: 8 });
    const page = await listPage(emulator.url, 'limit=5');
    await send(`${emulator.url}/chat/completions/${page.last_id ?? ''}`, { method: 'DELETE' });
    expect((await listPage(emulator.url, `limit=5&after=${page.last_id ?? ''}`)).data).toHaveLength(5);
  });

  it('rejects a value that is not a boolean', async () => {
    await expect(startEmulator({ strictCursor: 'yes' as unknown as boolean })).rejects.toThrow('Expected `strictCursor` to be a boolean, got "yes"');
  });
});

describe('emulator: write faults', () => {
  /** An emulator faulting the first attempt at every write with `kind`, and never the second. */
  const faulting = (kind: WriteFaultKind): Promise<EmulatorHandle> =>
    started({ count: 30, seed: 4, writeFaults: { rate: 1, kinds: [kind], maxConsecutive: 1, retryAfterMs: 7, latencyMs: 5 } });

  const firstId = async (emulator: EmulatorHandle): Promise<string> => (await listPage(emulator.url, 'limit=1')).data[0]?.id ?? '';

  const exists = async (emulator: EmulatorHandle, id: string): Promise<boolean> =>
    (await send(`${emulator.url}/chat/completions/${id}`)).status === 200;

  it.each([
    ['http-429', 429],
    ['http-429-no-wait', 429],
    ['http-503', 503],
  ] as const)('%s: refused before acting, the completion is still there', async (kind, status) => {
    const emulator = await faulting(kind);
    const id = await firstId(emulator);
    const refused = await send(`${emulator.url}/chat/completions/${id}`, { method: 'DELETE' });
    expect(refused.status).toBe(status);
    if (kind === 'http-429') expect(refused.headers['retry-after-ms']).toBe('7');
    if (kind === 'http-429-no-wait') expect(refused.headers['retry-after-ms']).toBeUndefined();
    expect(await exists(emulator, id)).toBe(true);
    expect((await send(`${emulator.url}/chat/completions/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect(await exists(emulator, id)).toBe(false);
  });

  it('connection-reset: reset before acting, the completion is still there', async () => {
    const emulator = await faulting('connection-reset');
    const id = await firstId(emulator);
    expect(await rawRequest(`${emulator.url}/chat/completions/${id}`, { method: 'DELETE' })).toMatchObject({ kind: 'error', code: 'ECONNRESET' });
    expect(await exists(emulator, id)).toBe(true);
  });

  it('reset-after-acting: the completion is deleted, the socket reset without a response, and the retry is a 404', async () => {
    const emulator = await faulting('reset-after-acting');
    const id = await firstId(emulator);
    expect(await rawRequest(`${emulator.url}/chat/completions/${id}`, { method: 'DELETE' })).toMatchObject({
      kind: 'error',
      code: 'ECONNRESET',
      status: undefined,
    });
    expect(await exists(emulator, id)).toBe(false);
    expect((await send(`${emulator.url}/chat/completions/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect(emulator.stats()).toMatchObject({ faults: 1, byStatus: { 200: 1, 404: 2 }, stored: 29 });
  });

  it('http-500-after-acting: the metadata is updated, the answer is a 500', async () => {
    const emulator = await faulting('http-500-after-acting');
    const id = await firstId(emulator);
    const failed = await sendJson(`${emulator.url}/chat/completions/${id}`, 'POST', { metadata: { stage: 'done' } });
    expect(failed.status).toBe(500);
    expect(json<ErrorEnvelope>(failed).error.type).toBe('server_error');
    expect(json<Completion>(await send(`${emulator.url}/chat/completions/${id}`)).metadata).toEqual({ stage: 'done' });
  });

  it('truncated-after-acting: the completion is deleted, half the answer arrives', async () => {
    const emulator = await faulting('truncated-after-acting');
    const id = await firstId(emulator);
    expect(await rawRequest(`${emulator.url}/chat/completions/${id}`, { method: 'DELETE' })).toMatchObject({ kind: 'error', status: 200 });
    expect(await exists(emulator, id)).toBe(false);
  });

  it('latency: the completion is deleted at once, the normal answer comes late', async () => {
    const emulator = await faulting('latency');
    const id = await firstId(emulator);
    const answer = send(`${emulator.url}/chat/completions/${id}`, { method: 'DELETE' });
    expect(await exists(emulator, id)).toBe(false);
    expect(json(await answer)).toEqual({ object: 'chat.completion.deleted', id, deleted: true });
  });

  it('faults update and delete only: never create, nor the reads', async () => {
    const emulator = await started({ count: 30, seed: 4, writeFaults: { rate: 1, kinds: ['http-503'], maxConsecutive: 1 } });
    const created = await sendJson(`${emulator.url}/chat/completions`, 'POST', { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], store: true });
    expect(created.status).toBe(200);
    const { id } = json<Completion>(created);
    expect((await send(`${emulator.url}/chat/completions/${id}`)).status).toBe(200);
    expect((await send(`${emulator.url}/chat/completions/${id}/messages`)).status).toBe(200);
    expect((await send(`${emulator.url}/chat/completions`)).status).toBe(200);
    expect((await sendJson(`${emulator.url}/chat/completions/${id}`, 'POST', { metadata: {} })).status).toBe(503);
    expect((await send(`${emulator.url}/chat/completions/${id}`, { method: 'DELETE' })).status).toBe(503);
  });

  it('offers every kind by default, and validates the kinds', async () => {
    expect(EMULATOR_DEFAULTS.writeFaults.kinds).toEqual(WRITE_FAULT_KINDS);
    await expect(startEmulator({ writeFaults: { rate: 1, kinds: ['html-body' as WriteFaultKind] } })).rejects.toThrow(
      /^Expected `writeFaults.kinds` to be a non-empty array of 'http-429', .*'latency', got \["html-body"\]$/,
    );
    await expect(startEmulator({ writeFaults: { rate: 2 } })).rejects.toThrow('Expected `writeFaults.rate` to be a number from 0 to 1, got 2');
  });

  it('a bulk delete through every write fault, each retried until answered, deletes everything', async () => {
    const emulator = await started({ count: 200, seed: 9, writeFaults: { rate: 0.5, seed: 3, latencyMs: 1 } });
    const ids = (await walk(emulator.url, { limit: '100' })).map((completion) => completion.id);
    const answers = new Map<number, number>();
    for (const id of ids) {
      for (;;) {
        const outcome = await rawRequest(`${emulator.url}/chat/completions/${id}`, { method: 'DELETE' });
        if (outcome.kind === 'response' && (outcome.status === 200 || outcome.status === 404)) {
          answers.set(outcome.status, (answers.get(outcome.status) ?? 0) + 1);
          break;
        }
      }
    }
    expect(answers.get(404)).toBeGreaterThan(0);
    expect(await walk(emulator.url, { limit: '100' })).toEqual([]);
    expect(emulator.stats().stored).toBe(0);
  });
});
