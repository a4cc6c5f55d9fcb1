import fc from 'fast-check';
import { defer, firstValueFrom, lastValueFrom, Observable, of, take, toArray } from 'rxjs';
import { CursorError } from '../../../src/errors';
import { settledWalk, settlePage, type DatedItem, type DatedPage, type DatedPageFetch } from '../../../src/internal/walk/settledWalk';

/** A list in memory whose order within a second changes on every call, as the API allows. */
function shufflingList(items: readonly DatedItem[], order: 'asc' | 'desc', limit: number, random: () => number) {
  let requests = 0;
  const fetchPage = (after: string | undefined) =>
    defer(() => {
      requests++;
      const list = items
        .map((item) => ({ item, key: random() }))
        .sort((a, b) => (order === 'asc' ? 1 : -1) * (a.item.created - b.item.created) || a.key - b.key)
        .map(({ item }) => item);
      const start = after === undefined ? 0 : list.findIndex((item) => item.id === after) + 1;
      return of<DatedPage<DatedItem>>({ items: list.slice(start, start + limit), hasMore: start + limit < list.length });
    });
  return { fetchPage, requests: () => requests };
}

const ids = (items: readonly DatedItem[]): string[] => items.map((item) => item.id);

/**
 * A list as `shufflingList`, whose pages answer a macrotask after their
 * request and are decoded `decodeTicks` macrotasks after that; each answer is peeked
 * before it is decoded: `guess` says what its raw body names (the page
 * itself, for a body the peek reads right). It logs each request (by its
 * cursor), each page decoded, and each request cancelled before.
 */
function peekingList(
  items: readonly DatedItem[],
  limit: number,
  random: () => number,
  guess: (page: DatedPage<DatedItem>) => DatedPage<DatedItem>,
  decodeTicks = 1,
) {
  const list = shufflingList(items, 'asc', limit, random);
  const log: string[] = [];
  const fetchPage: DatedPageFetch<DatedItem> = (after, peek) =>
    new Observable<DatedPage<DatedItem>>((subscriber) => {
      log.push(`request ${after ?? 'start'}`);
      let page: DatedPage<DatedItem> | undefined;
      list.fetchPage(after).subscribe((fetched) => (page = fetched));
      if (page === undefined) throw new Error('the list answers at once');
      const answered = page;
      let decoded = false;
      let pending: NodeJS.Immediate;
      const decode = (ticks: number): void => {
        pending = setImmediate(() => {
          if (ticks > 1) return decode(ticks - 1);
          decoded = true;
          log.push(`decoded ${after ?? 'start'}`);
          subscriber.next(answered);
          subscriber.complete();
        });
      };
      pending = setImmediate(() => {
        decode(decodeTicks);
        peek(guess(answered));
      });
      return () => {
        clearImmediate(pending);
        if (!decoded) log.push(`cancelled ${after ?? 'start'}`);
      };
    });
  return { fetchPage, log, requests: list.requests };
}

const oneASecond = (count: number): DatedItem[] => Array.from({ length: count }, (_, k) => ({ id: `i${k}`, created: k }));

describe('settlePage', () => {
  it('holds back the page’s last second and continues after the last item of the second before', () => {
    const page = { items: [{ id: 'a', created: 1 }, { id: 'b', created: 2 }, { id: 'c', created: 2 }, { id: 'd', created: 3 }], hasMore: true };
    const settled = settlePage(page, undefined);
    expect(ids(settled.items)).toEqual(['a', 'b', 'c']);
    expect(settled.after).toBe('c');
    expect(settled.group).toEqual({ created: 2, ids: new Set(['b', 'c']) });
  });

  it('drops the rest of the cursor’s second, which the next page repeats', () => {
    const page = { items: [{ id: 'b', created: 2 }, { id: 'd', created: 3 }, { id: 'e', created: 3 }], hasMore: false };
    expect(ids(settlePage(page, { created: 2, ids: new Set(['b', 'c']) }).items)).toEqual(['d', 'e']);
  });

  it('emits a page of one second whole and goes on after its last item: no earlier cursor makes progress', () => {
    const page = { items: [{ id: 'a', created: 5 }, { id: 'b', created: 5 }], hasMore: true };
    const settled = settlePage(page, undefined);
    expect(ids(settled.items)).toEqual(['a', 'b']);
    expect(settled.after).toBe('b');
  });

  it('refuses an empty page that says more follow', () => {
    expect(() => settlePage({ items: [], hasMore: true }, undefined)).toThrow(CursorError);
  });
});

describe('settledWalk', () => {
  it('emits every item once, whatever order each call gives the items of one second', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 12 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 0, maxLength: 40 }),
        fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
        fc.integer(),
        async (limit, groupSizes, order, seed) => {
          // Seconds of at most half a page: the bound within which no item can be missed.
          const half = Math.max(1, Math.floor(limit / 2));
          const items = groupSizes.flatMap((size, second) => Array.from({ length: Math.min(size, half) }, (_, k) => ({ id: `${second}-${k}`, created: second })));
          let state = seed;
          const random = (): number => ((state = (state * 1_103_515_245 + 12_345) | 0) >>> 0) / 2 ** 32;
          const list = shufflingList(items, order, limit, random);
          const seen = await lastValueFrom(settledWalk(list.fetchPage, undefined, 1, (page) => page).pipe(toArray()));
          expect(ids(seen).sort()).toEqual(ids(items).sort());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('requests the next page only once the consumer is done with all but `prefetch` pages', async () => {
    const items = Array.from({ length: 10 }, (_, k) => ({ id: `i${k}`, created: k }));
    expect(await requestsSeenByConsumer(shufflingList(items, 'asc', 2, Math.random))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('sends the next request as soon as the raw page names its cursor, before the page is decoded', async () => {
    const list = peekingList(oneASecond(10), 3, Math.random, (page) => page);
    const seen = await lastValueFrom(settledWalk(list.fetchPage, undefined, 1, (page) => page).pipe(toArray()));
    expect(ids(seen)).toEqual(ids(oneASecond(10)));
    // Each page holds back its last second: the next starts after the item before it.
    expect(list.log).toEqual([
      'request start',
      'request i1',
      'decoded start',
      'request i3',
      'decoded i1',
      'request i5',
      'decoded i3',
      'request i7',
      'decoded i5',
      'decoded i7',
    ]);
  });

  it('emits every item once whatever the raw page says, a wrong guess costing one request, cancelled', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 8 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 20 }),
        fc.integer(),
        fc.constantFrom<(page: DatedPage<DatedItem>) => DatedPage<DatedItem>>(
          (page) => ({ ...page, items: [...page.items].reverse() }),
          (page) => ({ ...page, items: page.items.slice(1) }),
          (page) => ({ ...page, items: page.items.map((item) => ({ ...item, created: item.created + 1 })) }),
          (page) => ({ ...page, hasMore: !page.hasMore }),
          () => ({ items: [], hasMore: true }),
        ),
        async (limit, groupSizes, seed, guess) => {
          const half = Math.max(1, Math.floor(limit / 2));
          const items = groupSizes.flatMap((size, second) => Array.from({ length: Math.min(size, half) }, (_, k) => ({ id: `${second}-${k}`, created: second })));
          let state = seed;
          const random = (): number => ((state = (state * 1_103_515_245 + 12_345) | 0) >>> 0) / 2 ** 32;
          const list = peekingList(items, limit, random, guess);
          const seen = await lastValueFrom(settledWalk(list.fetchPage, undefined, 1, (page) => page).pipe(toArray()));
          expect(ids(seen).sort()).toEqual(ids(items).sort());
          const count = (kind: string): number => list.log.filter((line) => line.startsWith(kind)).length;
          expect(count('request')).toBe(count('decoded') + count('cancelled'));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('guesses from a page only once the page before is settled, when pages answer faster than they are decoded', async () => {
    const list = peekingList(oneASecond(30), 3, Math.random, (page) => page, 3);
    const seen = await lastValueFrom(settledWalk(list.fetchPage, undefined, 2, (page) => page).pipe(toArray()));
    expect(ids(seen)).toEqual(ids(oneASecond(30)));
    expect(list.log.filter((line) => line.startsWith('cancelled'))).toEqual([]);
  });

  it('sends nothing early that the pacing does not allow: with prefetch 0, a peek waits for the consumer', async () => {
    expect(await requestsSeenByConsumer(peekingList(oneASecond(10), 2, Math.random, (page) => page))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('cancels the request sent early when the consumer stops before it', async () => {
    const list = peekingList(oneASecond(10), 3, Math.random, (page) => page);
    await firstValueFrom(settledWalk(list.fetchPage, undefined, 1, (page) => [page]).pipe(take(1)));
    expect(list.log).toEqual(['request start', 'request i1', 'decoded start', 'cancelled i1']);
  });

  it('lets errors through', async () => {
    const failing = () => defer(() => Promise.reject(new Error('boom')));
    await expect(lastValueFrom(settledWalk(failing, undefined, 0, (page) => [page]))).rejects.toThrow('boom');
  });
});

/** How many requests a list had received each time a walk with `prefetch` 0 handed the consumer a page. */
async function requestsSeenByConsumer(list: { readonly fetchPage: Parameters<typeof settledWalk<DatedItem, unknown>>[0]; readonly requests: () => number }): Promise<number[]> {
  const requests: number[] = [];
  await lastValueFrom(
    settledWalk(list.fetchPage, undefined, 0, (page) => {
      requests.push(list.requests());
      return [page];
    }).pipe(toArray()),
  );
  return requests;
}
