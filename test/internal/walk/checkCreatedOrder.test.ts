import { TestScheduler } from 'rxjs/testing';
import { CursorError } from '../../../src';
import { checkCreatedOrder } from '../../../src/internal/walk/checkCreatedOrder';

interface Page {
  readonly data: ReadonlyArray<{ readonly id: string; readonly created?: number }>;
}

/** A page of items named by letter, each created at the given second. */
const page = (...items: Array<[string, number | undefined]>): Page => ({
  data: items.map(([id, created]) => (created === undefined ? { id } : { id, created })),
});

describe('checkCreatedOrder', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('lets pages in the order asked for through, ties in any order', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const pages = { x: page(['c', 30], ['b', 20], ['a', 20]), y: page(['z', 10]) };
      expectObservable(cold('-x-y|', pages).pipe(checkCreatedOrder('desc', undefined))).toBe('-x-y|', pages);
    });
  });

  it('fails on the first page whose created values differ, when they go against the order, before emitting it', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const pages = { x: page(['a', 10], ['b', 10]), y: page(['c', 10], ['d', 20]) };
      const source = cold('-x-y-|', pages);
      const error = new CursorError(
        'order_not_respected',
        'The server ignores `order: \'desc\'`: the page after "b" lists "c" (created 10) before "d" (created 20). ' +
          'Whatever relies on the order (createdWithin stops at the first completion beyond its window) would lose completions in silence; ' +
          'walk without `order`, in the server\'s own order',
        'b',
      );
      expectObservable(source.pipe(checkCreatedOrder('desc', undefined))).toBe('-x-#', pages, error);
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('checks only the first page that can tell', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const pages = { x: page(['a', 10], ['b', 20]), y: page(['c', 40], ['d', 30]) };
      expectObservable(cold('-x-y|', pages).pipe(checkCreatedOrder('asc', undefined))).toBe('-x-y|', pages);
    });
  });

  it('never checks items without a numeric created, such as messages', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const pages = { x: page(['b', undefined], ['a', undefined]) };
      expectObservable(cold('-x|', pages).pipe(checkCreatedOrder('asc', 'm'))).toBe('-x|', pages);
    });
  });

  it('passes errors through', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold<Page>('-#', {}, new Error('boom')).pipe(checkCreatedOrder('asc', undefined))).toBe('-#', {}, new Error('boom'));
    });
  });

  it('stops the source when unsubscribed', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-x-x-x|', { x: page(['a', 1]) });
      expectObservable(source.pipe(checkCreatedOrder('asc', undefined)), '^--!').toBe('-x-', { x: page(['a', 1]) });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });
});
