import OpenAI from 'openai';
import { startEmulator, type EmulatorHandle } from '../../src/testing';

/**
 * The emulator's headline promise: the official SDK (v6) works against it unchanged, including
 * its query encoding of `metadata` (`metadata%5Bkey%5D=value`, see node_modules/openai/internal/qs),
 * its cursor pagination (`after` = last id while `has_more`) and its error classes.
 */
describe('emulator: fidelity with the official SDK', () => {
  let emulator: EmulatorHandle;
  let client: OpenAI;

  beforeAll(async () => {
    emulator = await startEmulator({ count: 40, seed: 3, apiKey: 'sk-test' });
    client = new OpenAI({ apiKey: 'sk-test', baseURL: emulator.url, maxRetries: 0 });
  });
  afterAll(() => emulator.close());

  const collect = async <T>(pages: AsyncIterable<T>): Promise<T[]> => {
    const items: T[] = [];
    for await (const item of pages) items.push(item);
    return items;
  };

  it('creates, lists, retrieves, updates, lists messages and deletes stored completions', async () => {
    const run = 'sdk run 1';
    const created = [];
    for (const [i, model] of ['gpt-4o-mini', 'gpt-5.4', 'gpt-4o-mini', 'gpt-5.4', 'gpt-4o-mini'].entries()) {
      created.push(
        await client.chat.completions.create({
          model,
          store: true,
          metadata: { run, index: String(i), 'team name': i % 2 === 0 ? 'R&D' : 'ops ✨' },
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: `Question ${i}: what is 2 + ${i}?` },
          ],
        }),
      );
    }
    expect(created.map((c) => c.object)).toEqual(Array(5).fill('chat.completion'));
    const createdIds = created.map((c) => c.id);

    const byModel = await collect(client.chat.completions.list({ model: 'gpt-5.4', metadata: { run } }));
    expect(byModel.map((c) => c.id)).toEqual([createdIds[1], createdIds[3]]);

    const byTeam = await collect(client.chat.completions.list({ metadata: { run, 'team name': 'R&D' }, limit: 1 }));
    expect(byTeam.map((c) => c.id)).toEqual([createdIds[0], createdIds[2], createdIds[4]]);

    const asc = await collect(client.chat.completions.list({ metadata: { run }, limit: 2, order: 'asc' }));
    const desc = await collect(client.chat.completions.list({ metadata: { run }, limit: 2, order: 'desc' }));
    expect(asc.map((c) => c.id)).toEqual(createdIds);
    expect(desc.map((c) => c.id)).toEqual([...createdIds].reverse());

    const everything = await collect(client.chat.completions.list({ limit: 7 }));
    expect(everything).toHaveLength(45);
    expect(everything.slice(-5).map((c) => c.id)).toEqual(createdIds);

    const firstId = createdIds[0] ?? '';
    const retrieved = await client.chat.completions.retrieve(firstId);
    expect(retrieved).toMatchObject({ id: firstId, model: 'gpt-4o-mini', metadata: { run, index: '0', 'team name': 'R&D' } });
    expect(retrieved.choices[0]?.message.content).toBe(created[0]?.choices[0]?.message.content);

    const updated = await client.chat.completions.update(firstId, { metadata: { run, stage: 'reviewed' } });
    expect(updated).toEqual(expect.objectContaining({ id: firstId, metadata: { run, stage: 'reviewed' } }));
    const reviewed = await collect(client.chat.completions.list({ metadata: { stage: 'reviewed' } }));
    expect(reviewed.map((c) => c.id)).toEqual([firstId]);

    const messages = await collect(client.chat.completions.messages.list(firstId, { limit: 1 }));
    expect(messages).toEqual([
      { id: `${firstId}-0`, role: 'system', content: 'Be brief.', name: null, content_parts: null },
      { id: `${firstId}-1`, role: 'user', content: 'Question 0: what is 2 + 0?', name: null, content_parts: null },
    ]);

    const deleted = await client.chat.completions.delete(firstId);
    expect(deleted).toEqual({ object: 'chat.completion.deleted', id: firstId, deleted: true });
    await expect(client.chat.completions.retrieve(firstId)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('lists the seeded history in pages through the SDK', async () => {
    const seeded = await collect(client.chat.completions.list({ limit: 9 }));
    expect(seeded.length).toBeGreaterThanOrEqual(40);
    const firstPage = await client.chat.completions.list({ limit: 9 });
    expect(firstPage.data.map((c) => c.id)).toEqual(seeded.slice(0, 9).map((c) => c.id));
    expect(firstPage.hasNextPage()).toBe(true);
  });

  it('maps the emulator errors to the SDK error classes', async () => {
    await expect(client.chat.completions.list({ limit: 0 })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    const wrongKey = new OpenAI({ apiKey: 'sk-wrong', baseURL: emulator.url, maxRetries: 0 });
    await expect(wrongKey.chat.completions.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(client.chat.completions.list({ after: 'chatcmpl-unknown' })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});
