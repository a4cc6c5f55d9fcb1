import { concat, concatMap, defer, EMPTY, endWith, merge, NEVER, of, timer, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { joinInOrder, type Admit, type JoinedLine, type JoinLimits, type MessagePages } from '../../../src/cli/export/joinInOrder';
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

const limits = (concurrency: number, more: Partial<JoinLimits> = {}): JoinLimits => ({
  concurrency,
  aheadChars: 1_000,
  longConcurrency: concurrency,
  ...more,
});

describe('joinInOrder', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  /**
   * Conversations of `pages[id]` pages (one page, `"<id>-m"`, by default), a page every `delays[id]`
   * frames (1 by default), each read only once `page` let the walk go on; and what happened, frame by frame.
   */
  function run(options: {
    readonly delays?: Record<string, number>;
    readonly pages?: Record<string, readonly string[]>;
    readonly gone?: readonly string[];
    readonly walk: string[][];
    readonly limits: JoinLimits;
    readonly output?: () => Observable<never>;
  }) {
    const started: Record<string, number> = {};
    const reads: Array<[string, number]> = [];
    const events: Array<[string, number]> = [];
    const messages: MessagePages = (id, page) =>
      defer(() => {
        started[id] = scheduler.now();
        const texts = options.pages?.[id] ?? [`"${id}-m"`];
        const delay = options.delays?.[id] ?? 1;
        const read = concat(
          ...texts.map((text) =>
            timer(delay).pipe(
              concatMap(() => {
                reads.push([text, scheduler.now()]);
                return page(text);
              }),
            ),
          ),
        );
        return options.gone?.includes(id) === true ? concat(read, of(false)) : read.pipe(endWith(true));
      });
    const open = (completion: CompletionLine): JoinedLine => ({
      pages: (texts) => {
        events.push([`${completion.id}:${texts.join('+')}`, scheduler.now()]);
        return options.output?.() ?? EMPTY;
      },
      end: (gone) => {
        events.push([`${completion.id}:${gone ? 'gone' : 'end'}`, scheduler.now()]);
        return EMPTY;
      },
    });
    const joined = joinInOrder(walkOf(...options.walk), messages, options.limits, open);
    return { joined, started, reads, events };
  }

  it('writes in walk order, whatever order the message walks finish in', () => {
    scheduler.run(({ expectObservable }) => {
      const { joined, events } = run({ delays: { a: 5, b: 1, c: 3 }, walk: [['a', 'b'], ['c']], limits: limits(3) });
      expectObservable(joined).toBe('-----|');
      scheduler.flush();
      expect(events).toEqual([
        ['a:"a-m"', 5],
        ['a:end', 5],
        ['b:"b-m"', 5],
        ['b:end', 5],
        ['c:"c-m"', 5],
        ['c:end', 5],
      ]);
    });
  });

  it('hands the line of the completion whose turn it is each page as it arrives, and what the others held all at once', () => {
    scheduler.run(() => {
      const { joined, events } = run({
        delays: { a: 3, b: 1 },
        pages: { a: ['a1', 'a2'], b: ['b1', 'b2'] },
        walk: [['a', 'b']],
        limits: limits(2),
      });
      joined.subscribe();
      scheduler.flush();
      expect(events).toEqual([
        ['a:a1', 3],
        ['a:a2', 6],
        ['a:end', 6],
        // `b` was read whole at 2: it is written at once when a's line ends.
        ['b:b1+b2', 6],
        ['b:end', 6],
      ]);
    });
  });

  it('starts a completion of the next page as soon as one of this page is written: no dip at the page end', () => {
    scheduler.run(() => {
      const { joined, started } = run({ delays: { a: 1, b: 10, c: 1 }, walk: [['a', 'b'], ['c']], limits: limits(2) });
      joined.subscribe();
      scheduler.flush();
      // `b` is still at work when `a` is written at frame 1: `c` takes a's place at once, not at frame 10.
      expect(started).toEqual({ a: 0, b: 0, c: 1 });
    });
  });

  it('holds a place until its completion is written: never more than `concurrency` completions at once', () => {
    scheduler.run(() => {
      const { joined, started, events } = run({ delays: { a: 10, b: 1, c: 1, d: 1 }, walk: [['a', 'b', 'c', 'd']], limits: limits(2) });
      joined.subscribe();
      scheduler.flush();
      // `b` is done at 1 but waits for `a`: `c` starts only when both are written, at 10.
      expect(started).toEqual({ a: 0, b: 0, c: 10, d: 10 });
      expect(events.filter(([event]) => event.endsWith(':end')).map(([event]) => event[0])).toEqual(['a', 'b', 'c', 'd']);
    });
  });

  it('waits for the output: the walk of the completion whose turn it is reads its next page once the line took the last', () => {
    scheduler.run(({ cold }) => {
      const { joined, reads } = run({ pages: { a: ['a1', 'a2', 'a3'] }, walk: [['a']], limits: limits(1), output: () => cold('---|') });
      joined.subscribe();
      scheduler.flush();
      // A page a frame, each taking 3 frames to write: the next is asked for once the last is written.
      expect(reads).toEqual([
        ['a1', 1],
        ['a2', 5],
        ['a3', 9],
      ]);
    });
  });

  it('lets a completion ahead of its turn hold `aheadChars`, then makes its walk wait for its turn', () => {
    scheduler.run(() => {
      const { joined, reads, events } = run({
        delays: { a: 10 },
        pages: { a: ['a1'], b: ['bbbb', 'bbbb', 'bbbb', 'bbbb'] },
        walk: [['a', 'b']],
        limits: limits(2, { aheadChars: 6 }),
      });
      joined.subscribe();
      scheduler.flush();
      // `b` holds 4, reads on, holds 8 > 6 and waits: its third page is read only once its turn came, at 10.
      expect(reads.filter(([text]) => text === 'bbbb').map(([, frame]) => frame)).toEqual([1, 2, 11, 12]);
      expect(events.filter(([event]) => event.startsWith('b'))).toEqual([
        ['b:bbbb+bbbb', 10],
        ['b:bbbb', 11],
        ['b:bbbb', 12],
        ['b:end', 12],
      ]);
    });
  });

  it('reads long conversations `longConcurrency` at a time, and goes back to `concurrency` once one is read whole within `aheadChars`', () => {
    scheduler.run(() => {
      const long = ['xxxx', 'xxxx', 'xxxx'];
      const { joined, started } = run({
        pages: { a: long, b: long, c: long, d: long, e: ['e'], f: ['f'], g: ['g'] },
        walk: [['a', 'b', 'c', 'd', 'e', 'f', 'g']],
        limits: { concurrency: 3, aheadChars: 6, longConcurrency: 1 },
      });
      joined.subscribe();
      scheduler.flush();
      // a, b, c start at once; b and c wait for their turn at 2: long. Then one at a time: d once a, b and c are
      // written (5), e once d is (8); e is read whole within 6 characters, so f and g start together once it is written.
      expect(started).toEqual({ a: 0, b: 0, c: 0, d: 5, e: 8, f: 9, g: 9 });
    });
  });

  it('ends the line of a completion gone as gone, with no pages, whether it was gone before its turn or during it', () => {
    scheduler.run(() => {
      const { joined, events } = run({
        delays: { a: 5 },
        pages: { b: ['b1'], c: ['c1', 'c2'] },
        gone: ['b', 'c'],
        walk: [['a', 'b', 'c']],
        limits: limits(1),
      });
      joined.subscribe();
      scheduler.flush();
      expect(events).toEqual([
        ['a:"a-m"', 5],
        ['a:end', 5],
        ['b:b1', 6],
        ['b:gone', 6],
        ['c:c1', 7],
        ['c:c2', 8],
        ['c:gone', 8],
      ]);
    });
  });

  it('hands a completion gone before its turn nothing it read', () => {
    scheduler.run(() => {
      const { joined, events } = run({ delays: { a: 5 }, pages: { b: ['b1'] }, gone: ['b'], walk: [['a', 'b']], limits: limits(2) });
      joined.subscribe();
      scheduler.flush();
      expect(events).toEqual([
        ['a:"a-m"', 5],
        ['a:end', 5],
        ['b:gone', 5],
      ]);
    });
  });

  it('passes a message walk’s error through, and unsubscribes the walk and the other joins', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const walk = cold('----------|');
      const slow = cold<boolean>('-----a|', { a: true });
      const failing = cold<boolean>('--#', undefined, new Error('boom'));
      const joined = joinInOrder(
        (admit) => merge(admit([line('a'), line('b')]), walk),
        (id) => (id === 'a' ? slow : failing),
        limits(2),
        () => ({ pages: () => EMPTY, end: () => EMPTY }),
      );
      expectObservable(joined).toBe('--#', undefined, new Error('boom'));
      expectSubscriptions(walk.subscriptions).toBe('^-!');
      expectSubscriptions(slow.subscriptions).toBe('^-!');
    });
  });

  it('unsubscribing stops the walk, the message walks and the line', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const messages = cold<boolean>('-----a|', { a: true });
      const output = cold<never>('-----|');
      const joined = joinInOrder(
        (admit) => admit([line('a')]),
        (_id, page) => merge(messages, page('"m"')),
        limits(1),
        () => ({ pages: () => output, end: () => NEVER }),
      );
      expectObservable(joined, '--!').toBe('---');
      expectSubscriptions(messages.subscriptions).toBe('^-!');
      expectSubscriptions(output.subscriptions).toBe('^-!');
    });
  });
});
