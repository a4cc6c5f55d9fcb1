import { merge, switchMap, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { HttpResponse } from '../../src/fetch/httpRequest';
import { RateLimitGate } from '../../src/retry/RateLimitGate';

const response = (remaining: number, limit = 10, reset = '1s'): HttpResponse => ({
  status: 200,
  body: Buffer.alloc(0),
  headers: {
    'x-ratelimit-limit-requests': String(limit),
    'x-ratelimit-remaining-requests': String(remaining),
    'x-ratelimit-reset-requests': reset,
  },
});

describe('RateLimitGate', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('admits at once while the server has not spoken of limits', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const gate = new RateLimitGate();
      const r = { status: 200, headers: {}, body: Buffer.alloc(0) };
      expectObservable(gate.through(cold('-r|', { r }))).toBe('-r|', { r });
      expectObservable(gate.through(cold('-r|', { r }))).toBe('-r|', { r });
    });
  });

  it('spaces requests by the refill interval once the server says the bucket is empty', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const gate = new RateLimitGate();
      // None left of 10, full again in 1 s: one token per 100 ms, stretched 5% for safety.
      const empty = response(0, 10, '1s');
      expectObservable(gate.through(cold('-e|', { e: empty }))).toBe('-e|', { e: empty });
      const a = { status: 200, headers: {}, body: Buffer.from('a') };
      const b = { status: 200, headers: {}, body: Buffer.from('b') };
      const later = timer(5).pipe(switchMap(() => merge(gate.through(cold('-a|', { a })), gate.through(cold('-b|', { b })))));
      expectObservable(later).toBe('107ms a 104ms b|', { a, b });
    });
  });

  it('regression: the request that takes the last token makes the next one wait a refill interval', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const gate = new RateLimitGate();
      // 1 left of 10, full again in 900 ms: one token per 100 ms, stretched 5% for safety.
      const oneLeft = response(1, 10, '900ms');
      expectObservable(gate.through(cold('-o|', { o: oneLeft }))).toBe('-o|', { o: oneLeft });
      const r = { status: 200, headers: {}, body: Buffer.alloc(0) };
      const three = timer(5).pipe(
        switchMap(() => merge(gate.through(cold('-a|', { a: r })), gate.through(cold('-b|', { b: r })), gate.through(cold('-c|', { c: r })))),
      );
      expectObservable(three).toBe('6ms a 104ms b 104ms c|', { a: r, b: r, c: r });
    });
  });

  it('regression: requests cancelled while waiting give their slots back', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const gate = new RateLimitGate();
      const empty = response(0, 10, '1s');
      expectObservable(gate.through(cold('-e|', { e: empty }))).toBe('-e|', { e: empty });
      const r = { status: 200, headers: {}, body: Buffer.alloc(0) };
      const waiters = merge(...[1, 2, 3, 4, 5].map(() => gate.through(cold('-r|', { r }))));
      expectObservable(timer(5).pipe(switchMap(() => waiters)), '^ 5ms !').toBe('');
      // The first slot, 106, is free again: the waiters that were cancelled at 6 hold none.
      expectObservable(timer(10).pipe(switchMap(() => gate.through(cold('-r|', { r }))))).toBe('107ms r|', { r });
    });
  });

  it('reads an empty rate-limit header as no information, not as an empty bucket', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const gate = new RateLimitGate();
      const blank = { status: 200, body: Buffer.alloc(0), headers: { 'x-ratelimit-remaining-requests': '', 'x-ratelimit-limit-requests': '10', 'x-ratelimit-reset-requests': '1s' } };
      expectObservable(gate.through(cold('-x|', { x: blank }))).toBe('-x|', { x: blank });
      expectObservable(timer(5).pipe(switchMap(() => gate.through(cold('-x|', { x: blank }))))).toBe('6ms x|', { x: blank });
    });
  });

  it('holds every request during a pause', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const gate = new RateLimitGate();
      gate.pause(50);
      const r = { status: 200, headers: {}, body: Buffer.alloc(0) };
      expectObservable(gate.through(cold('-r|', { r }))).toBe('51ms r|', { r });
    });
  });

  it('unsubscribing while waiting for admission sends nothing', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const gate = new RateLimitGate();
      gate.pause(50);
      const request = cold('-r|', { r: response(5) });
      expectObservable(gate.through(request), '^ 9ms !').toBe('');
      expectSubscriptions(request.subscriptions).toBe([]);
    });
  });
});
