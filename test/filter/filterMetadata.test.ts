import { TestScheduler } from 'rxjs/testing';
import { filterMetadata } from '../../src';

interface Item {
  readonly id: string;
  readonly metadata?: Record<string, string> | null;
}

const items: Record<string, Item> = {
  a: { id: 'a', metadata: { user: 'alice', env: 'prod' } },
  b: { id: 'b', metadata: { user: 'bob', env: 'dev', experiment: 'x1' } },
  c: { id: 'c', metadata: {} },
  d: { id: 'd', metadata: null },
  e: { id: 'e' },
};

describe('filterMetadata', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  const run = (query: Parameters<typeof filterMetadata<Item>>[0], expected: string): void =>
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('abcde|', items);
      expectObservable(source.pipe(filterMetadata<Item>(query))).toBe(expected, items);
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });

  it('matches an exact value', () => run({ user: 'alice' }, 'a----|'));
  it('matches any of several values', () => run({ user: ['alice', 'bob'] }, 'ab---|'));
  it('matches key presence', () => run({ experiment: true }, '-b---|'));
  it('matches key absence, treating null and missing metadata as empty', () => run({ experiment: false }, 'a-cde|'));
  it('matches a predicate on one value', () => run({ env: (v) => v?.startsWith('d') === true }, '-b---|'));
  it('requires every condition', () => run({ user: ['alice', 'bob'], env: 'dev' }, '-b---|'));
  it('matches a predicate on the whole metadata', () => run((m) => Object.keys(m).length === 0, '--cde|'));
  it('does not take inherited properties for keys', () => run({ toString: true }, '-----|'));

  it('lets errors through', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('a#', items).pipe(filterMetadata<Item>({ user: 'alice' }))).toBe('a#', items);
    });
  });

  it('unsubscribing stops the source', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-c-d|', items);
      expectObservable(source.pipe(filterMetadata<Item>({ user: 'bob' })), '^--!').toBe('--b', items);
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });
});
