import { startEmulator, type EmulatorHandle } from '../../../src/testing';
import { json, send, walk, type Completion, type Page, type StoredMessage } from '../../helpers/rawHttp';

describe('emulator: the seeded history', () => {
  let emulator: EmulatorHandle;
  let twin: EmulatorHandle;
  let other: EmulatorHandle;
  let all: Completion[];

  beforeAll(async () => {
    [emulator, twin, other] = await Promise.all([startEmulator(), startEmulator(), startEmulator({ seed: 2 })]);
    all = await walk(emulator.url, { limit: '100' });
  });
  afterAll(() => Promise.all([emulator.close(), twin.close(), other.close()]));

  it('holds 1,000 completions by default', () => {
    expect(all).toHaveLength(1000);
  });

  it('is byte-identical for the same seed, on every read endpoint', async () => {
    const id = all[417]?.id ?? '';
    const paths = [
      '/chat/completions?limit=100',
      '/chat/completions?limit=100&order=desc',
      `/chat/completions?limit=7&after=${id}&metadata[env]=prod`,
      `/chat/completions/${id}`,
      `/chat/completions/${id}/messages`,
    ];
    for (const path of paths) {
      const [a, b] = await Promise.all([send(emulator.url + path), send(twin.url + path)]);
      expect(a.status).toBe(200);
      expect(b.text).toBe(a.text);
    }
  });

  it('differs for another seed', async () => {
    const [a, b] = await Promise.all([send(`${emulator.url}/chat/completions`), send(`${other.url}/chat/completions`)]);
    expect(b.text).not.toBe(a.text);
  });

  it('writes seeds above 2^53 digit for digit, as in the spec example, which JSON.parse cannot', async () => {
    const raw = (await send(`${emulator.url}/chat/completions?limit=100`)).text;
    expect(raw).toContain('"seed":4944116822809979520,');
    const big = [...raw.matchAll(/"seed":(\d+),/g)].map((match) => match[1] ?? '').filter((digits) => BigInt(digits) > 2n ** 53n);
    expect(big.length).toBeGreaterThan(5);
    // The point of writing the digits by hand: a JavaScript number would have rounded them.
    expect(big.some((digits) => String(Number(digits)) !== digits)).toBe(true);
  });

  it('increases `created` from a fixed start with ties, independent of the wall clock', () => {
    expect(all[0]?.created).toBe(1_704_067_200);
    const gaps = all.slice(1).map((item, i) => item.created - (all[i]?.created ?? 0));
    expect(Math.min(...gaps)).toBe(0);
    expect(gaps.filter((gap) => gap === 0).length).toBeGreaterThan(100);
  });

  it('varies like real traffic', () => {
    const messages = all.flatMap((item) => item.choices.map((choice) => choice.message));
    const contents = messages.map((message) => message.content ?? '');
    const toolCalls = messages.flatMap((message) => message.tool_calls ?? []);
    const text = contents.join('\n');

    expect(new Set(all.map((item) => item.model))).toEqual(
      new Set(['gpt-4o-mini', 'gpt-4o-2024-08-06', 'gpt-5.4', 'gpt-4.1-2025-04-14', 'o3-mini', 'gpt-4o-mini-2024-07-18', 'o4-mini-2025-04-16']),
    );
    expect(all.filter((item) => Object.keys(item.metadata).length === 0).length).toBeGreaterThan(50);
    expect(new Set(all.flatMap((item) => Object.keys(item.metadata)))).toEqual(new Set(['user', 'env', 'feature', 'cost center']));

    expect(all.some((item) => item.choices[0]?.finish_reason === 'tool_calls')).toBe(true);
    expect(new Set(toolCalls.map((call) => call.type))).toEqual(new Set(['function', 'custom']));
    expect(messages.some((message) => message.tool_calls === null)).toBe(true);
    expect(messages.some((message) => !('refusal' in message))).toBe(true);
    expect(messages.some((message) => typeof message.refusal === 'string')).toBe(true);
    expect(all.some((item) => item.choices[0]?.finish_reason === 'length')).toBe(true);

    const logprobs = all.flatMap((item) => item.choices.flatMap((choice) => (choice.logprobs === null ? [] : [choice.logprobs])));
    expect(logprobs.length).toBeGreaterThan(10);
    for (const { content } of logprobs) {
      for (const token of content) expect(Buffer.from(token.bytes).toString('utf8')).toBe(token.token);
    }

    expect(text).toMatch(/\p{Extended_Pictographic}\u200d/u); // emoji ZWJ sequences
    expect(text).toMatch(/\p{Script=Han}/u);
    expect(text).toMatch(/\p{Script=Arabic}|\p{Script=Hebrew}/u);
    expect(text).toMatch(/\p{M}/u); // combining marks
    expect(text).toMatch(/[\u{10000}-\u{10FFFF}]/u); // beyond the BMP
    expect(Math.max(...contents.map((content) => content.length))).toBeGreaterThan(5_000);
    expect(contents.some((content) => content.length > 0 && content.length < 10)).toBe(true);

    for (const field of ['seed', 'input_user', 'response_format', 'tool_choice', 'tools'] as const) {
      expect(all.some((item) => item[field] === null)).toBe(true);
      expect(all.some((item) => item[field] !== null)).toBe(true);
    }
  });

  it('gives every seeded completion one to six input messages, the last from the user', async () => {
    const counts = await Promise.all(
      all.slice(0, 60).map(async (item) => {
        const page = json<Page<StoredMessage>>(await send(`${emulator.url}/chat/completions/${item.id}/messages`));
        expect(page.data.at(-1)?.role).toBe('user');
        return page.data.length;
      }),
    );
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...counts)).toBeLessThanOrEqual(6);
    expect(new Set(counts).size).toBeGreaterThan(2);
  });
});
