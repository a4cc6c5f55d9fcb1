import { TestScheduler } from 'rxjs/testing';
import { WalkProgress } from '../../../src/cli/progress/WalkProgress';
import { countedItems } from '../../../src/cli/walk/countedItems';

interface Item {
  readonly id: string;
  readonly created: number;
}
type Page = readonly Item[];

const item = (id: string, created: number): Item => ({ id, created });
const PAGES: Record<string, Page> = {
  a: [item('a1', 1), item('a2', 2)],
  b: [item('b1', 3), item('b2', 4)],
  c: [item('c1', 5)],
};
const ITEMS = { w: PAGES['a']?.[0], x: PAGES['a']?.[1], y: PAGES['b']?.[0], z: PAGES['b']?.[1], v: PAGES['c']?.[0] };

describe('countedItems', () => {
  let scheduler: TestScheduler;
  let progress: WalkProgress;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    progress = new WalkProgress(undefined, () => scheduler.now());
  });

  it('emits every item of every page, in order, counting pages and items', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const pages = cold<Page>('-a----b----c|', PAGES);
      const subs =             '^-----------!';
      const items =            '-(wx)-(yz)-v|';
      expectObservable(pages.pipe(countedItems(progress, (page: Page) => page, undefined))).toBe(items, ITEMS);
      expectSubscriptions(pages.subscriptions).toBe(subs);
    });
    expect([progress.pages, progress.items]).toEqual([3, 5]);
    expect(progress.text()).toContain('created 1970-01-01T00:00:05Z');
  });

  it('stops after max items, unsubscribing from the pages mid-page', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const pages = cold<Page>('-a----b----c|', PAGES);
      const subs =             '^-----!';
      const items =            '-(wx)-(y|)';
      expectObservable(pages.pipe(countedItems(progress, (page: Page) => page, 3))).toBe(items, ITEMS);
      expectSubscriptions(pages.subscriptions).toBe(subs);
    });
    expect([progress.pages, progress.items]).toEqual([2, 3]);
  });

  it('passes errors through', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const pages = cold<Page>('-a----#', PAGES, new Error('boom'));
      const items =            '-(wx)-#';
      expectObservable(pages.pipe(countedItems(progress, (page: Page) => page, undefined))).toBe(items, ITEMS, new Error('boom'));
    });
  });

  it('stops the pages when unsubscribed', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const pages = cold<Page>('-a----b----c|', PAGES);
      const unsub =            '^--!';
      const items =            '-(wx)-';
      expectObservable(pages.pipe(countedItems(progress, (page: Page) => page, undefined)), unsub).toBe(items, ITEMS);
      expectSubscriptions(pages.subscriptions).toBe(unsub);
    });
  });
});
