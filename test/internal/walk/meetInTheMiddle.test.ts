import fc from 'fast-check';
import { delay, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { type MeetablePage, meetInTheMiddle } from '../../../src/internal/walk/meetInTheMiddle';
import { walkCursor } from '../../../src/internal/walk/walkCursor';

type Item = { readonly id: string };
type Page = MeetablePage<Item>;

/** A walk over `ids` in one order, each page arriving `latency` frames after its request. */
function walkOver(ids: readonly string[], order: 'asc' | 'desc', limit: number, latency: number, scheduler: TestScheduler) {
  const ordered = order === 'asc' ? ids : [...ids].reverse();
  return walkCursor((after): Observable<Page> => {
    const start = after === undefined ? 0 : ordered.indexOf(after) + 1;
    const page = { data: ordered.slice(start, start + limit).map((id) => ({ id })), has_more: start + limit < ordered.length };
    return scheduler.createColdObservable<Page>('a|', { a: page }).pipe(delay(latency, scheduler));
  });
}

describe('meetInTheMiddle', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('cuts the page that crosses into the other walk just before its frontier, then completes and unsubscribes both', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const page = (ids: string, hasMore: boolean): Page => ({ data: [...ids].map((id) => ({ id })), has_more: hasMore });
      const asc = cold('-a 18ms b|', { a: page('abc', true), b: page('def', true) });
      const desc = cold('10ms x 20ms y|', { x: page('hgf', true), y: page('edc', true) });
      const values = { a: { id: 'a' }, b: { id: 'b' }, c: { id: 'c' }, d: { id: 'd' }, e: { id: 'e' }, f: { id: 'f' }, g: { id: 'g' }, h: { id: 'h' } };
      expectObservable(meetInTheMiddle(asc, desc)).toBe('-(abc) 4ms (hgf) 5ms (de|)', values);
      expectSubscriptions(asc.subscriptions).toBe('^ 19ms !');
      expectSubscriptions(desc.subscriptions).toBe('^ 19ms !');
    });
  });

  it('completes when one walk reaches its end alone', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const asc = cold('-a|', { a: { data: [{ id: 'a' }, { id: 'b' }], has_more: false } });
      const desc = cold('-----x|', { x: { data: [{ id: 'b' }, { id: 'a' }], has_more: false } });
      expectObservable(meetInTheMiddle(asc, desc)).toBe('-(ab|)', { a: { id: 'a' }, b: { id: 'b' } });
    });
  });

  it('lets errors through', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(meetInTheMiddle(cold<Page>('--#'), cold<Page>('----'))).toBe('--#');
    });
  });

  it('unsubscribing stops both walks', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const asc = cold<Page>('-----');
      const desc = cold<Page>('-----');
      expectObservable(meetInTheMiddle(asc, desc), '^--!').toBe('');
      expectSubscriptions(asc.subscriptions).toBe('^--!');
      expectSubscriptions(desc.subscriptions).toBe('^--!');
    });
  });

  it('emits every item exactly once whatever the sizes and latencies (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        (count, limit, ascLatency, descLatency) => {
          const ids = Array.from({ length: count }, (_, i) => `chatcmpl-${i}`);
          const seen: string[] = [];
          const testScheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
          testScheduler.run(() => {
            meetInTheMiddle(
              walkOver(ids, 'asc', limit, ascLatency, testScheduler),
              walkOver(ids, 'desc', limit, descLatency, testScheduler),
            ).subscribe((item) => seen.push(item.id));
          });
          expect([...seen].sort()).toEqual([...ids].sort());
          expect(new Set(seen).size).toBe(seen.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
