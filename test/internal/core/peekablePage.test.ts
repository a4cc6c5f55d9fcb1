import diagnostics from 'node:diagnostics_channel';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { createClient } from '../../../src';
import type { PeekedList } from '../../../src/internal/fetch/peekListItems';
import { peekablePage } from '../../../src/internal/core/peekablePage';
import { clientFor, served } from '../../helpers/scriptedClient';
import { completion, json } from '../../helpers/scriptedServer';
import { until } from '../../helpers/until';

const page = {
  object: 'list',
  data: [completion('a', { created: 1 }), completion('b', { created: 2 })],
  first_id: 'a',
  last_id: 'b',
  has_more: true,
};

describe('peekablePage', () => {
  it('tells what the raw page names of its items before the page is decoded, and sends the page’s request only', async () => {
    const client = await clientFor((_req, res) => json(res, 200, page));
    const events: Array<string | PeekedList> = [];
    const fetched = peekablePage(client.chat.completions)({ order: 'asc', after: 'z' }, {}, (peeked) => events.push(peeked));
    const decoded = await lastValueFrom(fetched.pipe(toArray()));
    events.push('decoded');
    expect(decoded.map((p) => p.data.map((item) => item.id))).toEqual([['a', 'b']]);
    expect(events).toEqual([{ items: [{ id: 'a', created: 1 }, { id: 'b', created: 2 }], hasMore: true }, 'decoded']);
    expect(served()?.requests.map((request) => request.url)).toEqual(['/v1/chat/completions?after=z&limit=100&order=asc']);
  });

  it('lets a request the peek starts leave before the page is parsed', async () => {
    const last = { ...page, data: [], first_id: null, last_id: null, has_more: false };
    const client = await clientFor((req, res) => json(res, 200, req.url?.includes('after=') === true ? last : page));
    const fetch = peekablePage(client.chat.completions);
    // Two connections, as a walk has once it has sent a request early: the early one goes out on
    // the idle one, once undici has checked it (a macrotask), which the parse must wait for.
    await Promise.all([firstValueFrom(fetch({}, {}, () => undefined)), firstValueFrom(fetch({}, {}, () => undefined))]);
    const events: string[] = [];
    // undici's own report of a request's headers written to the socket.
    const sent = ({ request }: { request: { path: string } }): void => void events.push(`sent ${request.path}`);
    diagnostics.subscribe('undici:client:sendHeaders', sent as (message: unknown) => void);
    try {
      let next: Promise<unknown> = Promise.resolve();
      await firstValueFrom(
        fetch({}, {}, () => {
          // The next request, as the settled walk starts it from a peek.
          next = firstValueFrom(fetch({ after: 'b' }, {}, () => undefined));
        }),
      );
      events.push('decoded');
      await next;
    } finally {
      diagnostics.unsubscribe('undici:client:sendHeaders', sent as (message: unknown) => void);
    }
    expect(events).toEqual(['sent /v1/chat/completions?limit=100', 'sent /v1/chat/completions?after=b&limit=100', 'decoded']);
  });

  it('peeks only the answer it decodes: not a 500 retried, not a body it cannot follow', async () => {
    const client = await clientFor(
      (_req, res, n) => (n === 0 ? json(res, 500, { error: { message: 'boom' } }) : json(res, 200, n === 1 ? page : JSON.stringify(page).replace('"id":"b"', '"id":"\\u0062"'))),
      { retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 1 } },
    );
    const peeks: PeekedList[] = [];
    await firstValueFrom(peekablePage(client.chat.completions)({}, {}, (peeked) => peeks.push(peeked)));
    const escaped = await firstValueFrom(peekablePage(client.chat.completions)({}, {}, (peeked) => peeks.push(peeked)));
    expect(escaped.data.map((item) => item.id)).toEqual(['a', 'b']);
    expect(peeks).toHaveLength(1);
  });

  it('has none for completions createClient did not make', () => {
    const completions = { ...createClient({ apiKey: 'sk-x' }).chat.completions };
    expect(() => peekablePage(completions)).toThrow('not made by createClient');
  });

  it('aborts the request when unsubscribed', async () => {
    const client = await clientFor(() => undefined);
    const subscription = peekablePage(client.chat.completions)({}, {}, () => undefined).subscribe();
    await until(() => served()?.requests.length === 1);
    subscription.unsubscribe();
    await until(() => served()?.aborted() === 1);
  });
});
