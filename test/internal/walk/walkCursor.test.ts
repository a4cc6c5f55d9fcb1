import { defer, take, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { CursorError } from '../../../src';
import { walkCursor } from '../../../src/internal/walk/walkCursor';

interface Page {
  readonly data: ReadonlyArray<{ readonly id: string }>;
  readonly has_more: boolean;
}

const page = (ids: string, hasMore: boolean): Page => ({ data: [...ids].map((id) => ({ id })), has_more: hasMore });

describe('walkCursor', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('follows the last item id until has_more is false, one request at a time', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const pages: Record<string, Page> = { start: page('ab', true), b: page('cd', true), d: page('e', false) };
      const requested: Array<string | undefined> = [];
      const walk = walkCursor((after) => {
        requested.push(after);
        return cold('--p|', { p: pages[after ?? 'start'] });
      });
      expectObservable(walk).toBe('--x-y-z|', { x: pages['start'], y: pages['b'], z: pages['d'] });
      scheduler.flush();
      expect(requested).toEqual([undefined, 'b', 'd']);
    });
  });

  it('starts after the given cursor', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const requested: Array<string | undefined> = [];
      const walk = walkCursor((after) => {
        requested.push(after);
        return cold('-p|', { p: page('z', false) });
      }, 'y');
      expectObservable(walk).toBe('-p|', { p: page('z', false) });
    });
  });

  it('is cold: nothing is fetched before subscribe, and each subscription walks anew', () => {
    let fetches = 0;
    const walk = walkCursor(() => defer(async () => (fetches++, page('a', false))));
    expect(fetches).toBe(0);
    walk.subscribe();
    walk.subscribe();
    expect(fetches).toBe(2);
  });

  it('fails with cursor_not_advancing when a page repeats the previous one, before emitting it twice', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const walk = walkCursor(() => cold('-p|', { p: page('ab', true) }));
      expectObservable(walk).toBe(
        '-p#',
        { p: page('ab', true) },
        new CursorError(
          'cursor_not_advancing',
          'The page after "b" ends at "b", a cursor this walk has already visited; continuing would loop forever',
          'b',
        ),
      );
    });
  });

  it('fails with cursor_not_advancing on a cycle of two pages', () => {
    const pages: Record<string, Page> = { start: page('a', true), a: page('b', true), b: page('a', true) };
    const errors: unknown[] = [];
    walkCursor((after) => defer(() => [pages[after ?? 'start'] as Page])).subscribe({ error: (e) => errors.push(e) });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(CursorError);
    expect((errors[0] as CursorError).code).toBe('cursor_not_advancing');
    expect((errors[0] as CursorError).message).toBe(
      'The page after "b" ends at "a", a cursor this walk has already visited; continuing would loop forever',
    );
  });

  it('fails with empty_page_with_more on has_more: true without items', () => {
    const errors: CursorError[] = [];
    walkCursor(() => defer(() => [page('', true)])).subscribe({ error: (e: CursorError) => errors.push(e) });
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      [
        'empty_page_with_more',
        'The page after the start holds no item but says has_more: true; there is no cursor to continue from',
      ],
    ]);
  });

  it('lets errors of a page request through', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const walk = walkCursor((after) => (after ? cold('-#', undefined, 'boom') : cold('-p|', { p: page('a', true) })));
      expectObservable(walk).toBe('-p#', { p: page('a', true) }, 'boom');
    });
  });

  it('subscribes to the next page as soon as its cursor is known, before emitting the current page', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold('-p|', { p: page('ab', true) });
      const second = cold('---q|', { q: page('c', false) });
      const walk = walkCursor((after): Observable<Page> => (after ? second : first));
      let secondSubscribedWhenFirstEmitted = false;
      walk.subscribe((p) => {
        if (p.data[0]?.id === 'a') secondSubscribedWhenFirstEmitted = second.subscriptions.length === 1;
      });
      expectObservable(walk).toBe('-p--q|', { p: page('ab', true), q: page('c', false) });
      scheduler.flush();
      expect(secondSubscribedWhenFirstEmitted).toBe(true);
      expectSubscriptions(second.subscriptions).toBe(['-^---!', '-^---!']);
    });
  });

  it('a consumer that stops during a page tears down the next page, sent or waiting', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold('-p|', { p: page('ab', true) });
      const second = cold('-----q|', { q: page('c', false) });
      const walk = walkCursor((after): Observable<Page> => (after ? second : first));
      expectObservable(walk.pipe(take(1))).toBe('-(p|)', { p: page('ab', true) });
      expectSubscriptions(second.subscriptions).toBe('-(^!)');
    });
  });

  it('unsubscribing stops the page request in flight', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold('-p|', { p: page('ab', true) });
      const second = cold('-----q|', { q: page('c', false) });
      const walk = walkCursor((after): Observable<Page> => (after ? second : first));
      expectObservable(walk, '^--!').toBe('-p', { p: page('ab', true) });
      expectSubscriptions(second.subscriptions).toBe('-^-!');
    });
  });
});
