import fc from 'fast-check';
import { defer, lastValueFrom, of, toArray } from 'rxjs';
import { CursorError } from '../../../src/errors';
import { settledWalk, settlePage, type DatedItem, type DatedPage } from '../../../src/internal/walk/settledWalk';

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
    const list = shufflingList(items, 'asc', 2, Math.random);
    const requestsWhileConsuming: number[] = [];
    await lastValueFrom(
      settledWalk(list.fetchPage, undefined, 0, (page) => {
        requestsWhileConsuming.push(list.requests());
        return [page];
      }).pipe(toArray()),
    );
    expect(requestsWhileConsuming).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('lets errors through', async () => {
    const failing = () => defer(() => Promise.reject(new Error('boom')));
    await expect(lastValueFrom(settledWalk(failing, undefined, 0, (page) => [page]))).rejects.toThrow('boom');
  });
});
