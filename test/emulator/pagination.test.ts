import { startEmulator, type EmulatorHandle } from '../../src/testing';
import { json, listPage, send, walk, type Completion, type ErrorEnvelope } from '../helpers/rawHttp';
import { idsOf } from '../helpers/ids';

describe('emulator: list pagination', () => {
  let emulator: EmulatorHandle;
  let all: Completion[];

  beforeAll(async () => {
    emulator = await startEmulator({ count: 300, seed: 7 });
    all = await walk(emulator.url, { limit: '100' });
  });
  afterAll(() => emulator.close());

  it('holds `count` completions, each once, in ascending `created`', () => {
    expect(all).toHaveLength(300);
    expect(new Set(idsOf(all)).size).toBe(300);
    const created = all.map((item) => item.created);
    expect(created).toEqual([...created].sort((a, b) => a - b));
  });

  it('has ties, and a walk cutting through them in pages of 1 or 7 gives the same sequence', async () => {
    const ties = all.filter((item, i) => i > 0 && item.created === all[i - 1]?.created);
    expect(ties.length).toBeGreaterThan(10);
    expect(idsOf(await walk(emulator.url, { limit: '7' }))).toEqual(idsOf(all));
    expect(idsOf((await walk(emulator.url, { limit: '1' })).slice(0, 40))).toEqual(idsOf(all).slice(0, 40));
  });

  it('defaults to 20 items in ascending order', async () => {
    const page = await listPage(emulator.url, '');
    expect(idsOf(page.data)).toEqual(idsOf(all).slice(0, 20));
    expect(page).toMatchObject({ object: 'list', first_id: all[0]?.id, last_id: all[19]?.id, has_more: true });
  });

  it('walks `desc` as the exact reverse of `asc`, ties included', async () => {
    expect(idsOf(await walk(emulator.url, { order: 'desc', limit: '13' }))).toEqual(idsOf(all).reverse());
  });

  it('continues after a cursor in either order', async () => {
    const cursor = all[149]?.id ?? '';
    const asc = await listPage(emulator.url, `after=${cursor}&limit=5`);
    expect(idsOf(asc.data)).toEqual(idsOf(all).slice(150, 155));
    const desc = await listPage(emulator.url, `after=${cursor}&limit=5&order=desc`);
    expect(idsOf(desc.data)).toEqual(idsOf(all).slice(144, 149).reverse());
  });

  it('reports has_more exactly: false when the page ends the list', async () => {
    const last = await listPage(emulator.url, `after=${all[199]?.id ?? ''}&limit=100`);
    expect(last.data).toHaveLength(100);
    expect(last.has_more).toBe(false);
    const notLast = await listPage(emulator.url, `after=${all[198]?.id ?? ''}&limit=100`);
    expect(notLast.has_more).toBe(true);
  });

  it('answers an empty page with null first_id and last_id', async () => {
    const page = await listPage(emulator.url, `after=${all[299]?.id ?? ''}`);
    expect(page).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });
    const before = await listPage(emulator.url, `after=${all[0]?.id ?? ''}&order=desc`);
    expect(before.data).toEqual([]);
    expect(before.first_id).toBeNull();
  });

  it.each(['0', '101', '-1', '1.5', 'ten', '', '1e2'])('rejects limit=%p with a 400 naming the parameter', async (limit) => {
    const response = await send(`${emulator.url}/chat/completions?limit=${limit}`);
    expect(response.status).toBe(400);
    expect(json<ErrorEnvelope>(response)).toEqual({
      error: {
        message: `Invalid value for 'limit': expected an integer from 1 to 100, got '${limit}'.`,
        type: 'invalid_request_error',
        param: 'limit',
        code: null,
      },
    });
  });

  it('accepts the bounds 1 and 100', async () => {
    expect((await listPage(emulator.url, 'limit=1')).data).toHaveLength(1);
    expect((await listPage(emulator.url, 'limit=100')).data).toHaveLength(100);
  });

  it('rejects an unknown order and a repeated parameter', async () => {
    const order = await send(`${emulator.url}/chat/completions?order=up`);
    expect(order.status).toBe(400);
    expect(json<ErrorEnvelope>(order).error).toMatchObject({ param: 'order', type: 'invalid_request_error' });
    const twice = await send(`${emulator.url}/chat/completions?limit=2&limit=3`);
    expect(twice.status).toBe(400);
    expect(json<ErrorEnvelope>(twice).error.param).toBe('limit');
  });

  it('answers an unknown `after` with a 404', async () => {
    for (const after of ['chatcmpl-doesnotexist', 'chatcmpl-AyPNinnUqUDYo9SAdA52NobMflmj2', 'x']) {
      const response = await send(`${emulator.url}/chat/completions?after=${after}`);
      expect(response.status).toBe(404);
      expect(json<ErrorEnvelope>(response).error).toMatchObject({ param: 'after', code: 'not_found', type: 'invalid_request_error' });
    }
  });
});

describe('emulator: pagination across deletions', () => {
  let emulator: EmulatorHandle;

  beforeAll(async () => {
    emulator = await startEmulator({ count: 1500, seed: 2 });
  });
  afterAll(() => emulator.close());

  it('keeps a deleted id usable as a cursor, so a client can delete a page and fetch the next', async () => {
    const before = await walk(emulator.url, { limit: '100' });
    const survivors: Completion[] = [];
    let after: string | null = null;
    // Delete nine items in ten of twelve pages (1,080: enough for the store to compact its order),
    // each time continuing after the page's last item, which is deleted by then.
    for (let pages = 0; pages < 12; pages++) {
      const page = await listPage(emulator.url, `limit=100${after === null ? '' : `&after=${after}`}`);
      const keep = page.data.filter((_, i) => i % 10 === 0);
      survivors.push(...keep);
      const deletions = page.data.filter((_, i) => i % 10 !== 0).map((item) => send(`${emulator.url}/chat/completions/${item.id}`, { method: 'DELETE' }));
      expect((await Promise.all(deletions)).map((response) => response.status)).toEqual(Array(90).fill(200));
      after = page.last_id;
    }
    const rest = await walk(emulator.url, { limit: '100', ...(after === null ? {} : { after }) });
    expect(idsOf(rest)).toEqual(idsOf(before).slice(1200));
    expect(idsOf(await walk(emulator.url, { limit: '100' }))).toEqual([...idsOf(survivors), ...idsOf(rest)]);
    expect(idsOf(await walk(emulator.url, { limit: '37', order: 'desc' }))).toEqual([...idsOf(survivors), ...idsOf(rest)].reverse());
  });
});
