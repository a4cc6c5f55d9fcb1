import { startEmulator, type EmulatorHandle } from '../../src/testing';
import { json, listPage, send, walk, type Completion, type ErrorEnvelope } from '../helpers/rawHttp';
import { idsOf } from '../helpers/ids';

describe('emulator: list filters', () => {
  let emulator: EmulatorHandle;
  let all: Completion[];

  beforeAll(async () => {
    emulator = await startEmulator({ count: 1000, seed: 11 });
    all = await walk(emulator.url, { limit: '100' });
  });
  afterAll(() => emulator.close());

  const having = (pairs: Readonly<Record<string, string>>): string[] =>
    idsOf(all.filter((item) => Object.entries(pairs).every(([key, value]) => item.metadata[key] === value)));

  it('filters by model, in both orders', async () => {
    const models = new Set(all.map((item) => item.model));
    expect(models.size).toBeGreaterThanOrEqual(4);
    for (const model of models) {
      const expected = idsOf(all.filter((item) => item.model === model));
      expect(idsOf(await walk(emulator.url, { model, limit: '50' }))).toEqual(expected);
      expect(idsOf(await walk(emulator.url, { model, limit: '50', order: 'desc' }))).toEqual([...expected].reverse());
    }
  });

  it('answers an unknown model with an empty page', async () => {
    expect(await listPage(emulator.url, 'model=gpt-0')).toMatchObject({ data: [], first_id: null, last_id: null, has_more: false });
  });

  it('filters by one metadata pair, with brackets percent-encoded or not', async () => {
    const expected = having({ env: 'prod' });
    expect(expected.length).toBeGreaterThan(0);
    expect(idsOf(await walk(emulator.url, { 'metadata[env]': 'prod', limit: '100' }))).toEqual(expected);
    const raw = await listPage(emulator.url, 'metadata[env]=prod&limit=100');
    expect(idsOf(raw.data)).toEqual(expected.slice(0, 100));
  });

  it.each([
    ['a key with a space and a value with &', { 'cost center': 'R&D' }],
    ['a non-ASCII value', { feature: 'café ☕' }],
    ['a CJK value', { feature: '検索' }],
    ['a value with &, = and +', { feature: 'a&b=c+d' }],
    ['a value with / and a key with a space', { feature: 'ml/infra', 'cost center': '100%' }],
  ])('percent-decodes %s', async (_, pairs) => {
    const expected = having(pairs);
    expect(expected.length).toBeGreaterThan(0);
    const query = Object.fromEntries(Object.entries(pairs).map(([key, value]) => [`metadata[${key}]`, value]));
    expect(idsOf(await walk(emulator.url, { ...query, limit: '100' }))).toEqual(expected);
  });

  it('decodes %20 as well as + for spaces', async () => {
    const page = await listPage(emulator.url, 'metadata%5Bcost%20center%5D=R%26D&limit=100');
    expect(idsOf(page.data)).toEqual(having({ 'cost center': 'R&D' }).slice(0, 100));
  });

  it('ANDs several pairs, and combines them with the model filter', async () => {
    const expected = having({ env: 'staging', feature: 'chat' });
    expect(expected.length).toBeGreaterThan(0);
    expect(idsOf(await walk(emulator.url, { 'metadata[env]': 'staging', 'metadata[feature]': 'chat' }))).toEqual(expected);
    const model = all[0]?.model ?? '';
    const withModel = idsOf(all.filter((item) => item.model === model && item.metadata['env'] === 'staging'));
    expect(idsOf(await walk(emulator.url, { model, 'metadata[env]': 'staging' }))).toEqual(withModel);
  });

  it('matches nothing for a key or value outside the data, or one key asked for two values', async () => {
    expect((await listPage(emulator.url, 'metadata[nope]=x')).data).toEqual([]);
    expect((await listPage(emulator.url, 'metadata[env]=moon')).data).toEqual([]);
    expect((await listPage(emulator.url, 'metadata[env]=prod&metadata[env]=dev')).data).toEqual([]);
  });

  it('paginates a filtered list with cursors from the filtered pages', async () => {
    const expected = having({ env: 'dev' });
    const first = await listPage(emulator.url, 'metadata[env]=dev&limit=5');
    const second = await listPage(emulator.url, `metadata[env]=dev&limit=5&after=${first.last_id ?? ''}`);
    expect([...idsOf(first.data), ...idsOf(second.data)]).toEqual(expected.slice(0, 10));
  });

  it('rejects a metadata parameter without brackets', async () => {
    const response = await send(`${emulator.url}/chat/completions?metadata=env`);
    expect(response.status).toBe(400);
    expect(json<ErrorEnvelope>(response).error.param).toBe('metadata');
  });

  it('finds metadata set by an update, and no longer the old one', async () => {
    const target = all.find((item) => item.metadata['env'] === 'prod');
    expect(target).toBeDefined();
    const id = target?.id ?? '';
    const update = await send(`${emulator.url}/chat/completions/${id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ metadata: { project: 'zeta ζ', env: 'qa' } }),
    });
    expect(update.status).toBe(200);
    expect(idsOf(await walk(emulator.url, { 'metadata[project]': 'zeta ζ' }))).toEqual([id]);
    expect(idsOf(await walk(emulator.url, { 'metadata[env]': 'prod' }))).not.toContain(id);
    expect(idsOf(await walk(emulator.url, { 'metadata[env]': 'qa', model: target?.model ?? '' }))).toEqual([id]);
  });
});
