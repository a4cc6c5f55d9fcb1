import { concat, defer, map, merge, of, timer, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { joinInOrder, type Admit } from '../../../src/cli/export/joinInOrder';
import type { CompletionLine } from '../../../src/cli/export/pageLines';

const line = (id: string): CompletionLine => {
  const completion = { id, object: 'chat.completion', created: 0, model: 'm', choices: [] } as unknown as CompletionLine['completion'];
  return { id, line: JSON.stringify(completion), created: 0, completion };
};

/** A walk of pages, each handed to the join and waited for, as `processPages` does. */
const walkOf =
  (...pages: string[][]) =>
  (admit: Admit): Observable<unknown> =>
    concat(...pages.map((ids) => admit(ids.map(line))));

describe('joinInOrder', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  /** Message walks taking `delays[id]` frames, and the frames each started and was written at. */
  function run(delays: Record<string, number>, pages: string[][], concurrency: number) {
    const started: Record<string, number> = {};
    const written: Array<[string, number]> = [];
    const messages = (id: string) =>
      defer(() => {
        started[id] = scheduler.now();
        return timer(delays[id] ?? 1).pipe(map(() => [`"${id}-m"`]));
      });
    const joined = joinInOrder(walkOf(...pages), messages, concurrency, (completion, texts) => {
      written.push([`${completion.id}:${texts?.join(',') ?? 'gone'}`, scheduler.now()]);
      return of(undefined);
    });
    return { joined, started, written };
  }

  it('writes in walk order, whatever order the message walks finish in', () => {
    scheduler.run(({ expectObservable }) => {
      const { joined, written } = run({ a: 5, b: 1, c: 3 }, [['a', 'b'], ['c']], 3);
      expectObservable(joined).toBe('-----|');
      scheduler.flush();
      expect(written).toEqual([
        ['a:"a-m"', 5],
        ['b:"b-m"', 5],
        ['c:"c-m"', 5],
      ]);
    });
  });

  it('starts a completion of the next page as soon as one of this page is written: no dip at the page end', () => {
    scheduler.run(() => {
      const { joined, started } = run({ a: 1, b: 10, c: 1 }, [['a', 'b'], ['c']], 2);
      joined.subscribe();
      scheduler.flush();
      // `b` is still at work when `a` is written at frame 1: `c` takes a's place at once, not at frame 10.
      expect(started).toEqual({ a: 0, b: 0, c: 1 });
    });
  });

  it('holds a place until its completion is written: never more than `concurrency` completions in memory', () => {
    scheduler.run(() => {
      const { joined, started, written } = run({ a: 10, b: 1, c: 1, d: 1 }, [['a', 'b', 'c', 'd']], 2);
      joined.subscribe();
      scheduler.flush();
      // `b` is done at 1 but waits for `a`: `c` starts only when both are written, at 10.
      expect(started).toEqual({ a: 0, b: 0, c: 10, d: 10 });
      expect(written.map(([id]) => id[0])).toEqual(['a', 'b', 'c', 'd']);
    });
  });

  it('waits for the output: a place is given back only once `write` completes', () => {
    scheduler.run(({ cold }) => {
      const started: Array<[string, number]> = [];
      const messages = (id: string) => defer(() => (started.push([id, scheduler.now()]), of([])));
      const joined = joinInOrder(walkOf(['a', 'b']), messages, 1, () => cold('---|'));
      joined.subscribe();
      scheduler.flush();
      expect(started).toEqual([
        ['a', 0],
        ['b', 3],
      ]);
    });
  });

  it('passes a message walk’s error through, and unsubscribes the walk and the other joins', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const walk = cold('----------|');
      const slow = cold('-----a|', { a: ['x'] });
      const failing = cold<string[]>('--#', undefined, new Error('boom'));
      const joined = joinInOrder(
        (admit) => merge(admit([line('a'), line('b')]), walk),
        (id) => (id === 'a' ? slow : failing),
        2,
        () => of(undefined),
      );
      expectObservable(joined).toBe('--#', undefined, new Error('boom'));
      expectSubscriptions(walk.subscriptions).toBe('^-!');
      expectSubscriptions(slow.subscriptions).toBe('^-!');
    });
  });

  it('unsubscribing stops the walk and the message walks', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const messages = cold('-----a|', { a: ['x'] });
      const joined = joinInOrder((admit) => admit([line('a')]), () => messages, 1, () => of(undefined));
      expectObservable(joined, '--!').toBe('---');
      expectSubscriptions(messages.subscriptions).toBe('^-!');
    });
  });
});
