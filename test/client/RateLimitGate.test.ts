import { defer, merge, switchMap, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { RateLimitGate } from '../../src';
import { type HttpResponse } from '../../src/internal/fetch/httpRequest';

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
      const gate = new RateLimitGate({ random: () => 0 });
      gate.pause(50);
      const r = { status: 200, headers: {}, body: Buffer.alloc(0) };
      expectObservable(gate.through(cold('-r|', { r }))).toBe('51ms r|', { r });
    });
  });

  it('unsubscribing while waiting for admission sends nothing', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const gate = new RateLimitGate({ random: () => 0 });
      gate.pause(50);
      const request = cold('-r|', { r: response(5) });
      expectObservable(gate.through(request), '^ 9ms !').toBe('');
      expectSubscriptions(request.subscriptions).toBe([]);
    });
  });

  it('pauses every request for the wait a 429 asks, lengthened by up to 25% at random', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const gate = new RateLimitGate({ random: () => 0.5 });
      const limited = { status: 429, body: Buffer.alloc(0), headers: { 'retry-after-ms': '100' } };
      expectObservable(gate.through(cold('-l|', { l: limited }))).toBe('-l|', { l: limited });
      const r = { status: 200, headers: {}, body: Buffer.alloc(0) };
      // Paused from 1 ms to 1 + 100 × 1.125 = 113.5: the timer fires at 114.
      expectObservable(timer(5).pipe(switchMap(() => gate.through(cold('-r|', { r }))))).toBe('115ms r|', { r });
    });
  });

  it('spreads out the herd that waited through a pause, at the rate the 429 taught it', () => {
    const sentAt: number[] = [];
    scheduler.run(({ cold }) => {
      const gate = new RateLimitGate({ random: () => 0 });
      const limited = { status: 429, body: Buffer.alloc(0), headers: { 'retry-after-ms': '100' } };
      gate.through(cold('-l|', { l: limited })).subscribe();
      const r = { status: 200, headers: {}, body: Buffer.alloc(0) };
      const request = defer(() => {
        sentAt.push(scheduler.now());
        return cold('-r|', { r });
      });
      timer(5).pipe(switchMap(() => merge(...Array.from({ length: 50 }, () => gate.through(request))))).subscribe();
    });
    expect(sentAt).toHaveLength(50);
    // The pause ends at 101. The 429 cut the rate to 35 requests/s (70% of one request in the
    // 20 ms the gate measures over at least); successes grow it back, slowly at first. So two go
    // at 101 (the bucket holds two), then one at a time, never in a burst.
    expect(sentAt.slice(0, 2)).toEqual([101, 101]);
    const gaps = sentAt.slice(2).map((t, i) => t - (sentAt[i + 1] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(15);
    expect((sentAt[49] ?? 0) - (sentAt[0] ?? 0)).toBeGreaterThan(800);
  });

  it('regression: an absurd reset header neither holds requests for ever nor overflows a timer', () => {
    const delays: number[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const schedule = scheduler.schedule.bind(scheduler);
      jest.spyOn(scheduler, 'schedule').mockImplementation((work, delay, state) => {
        delays.push(delay ?? 0);
        return schedule(work, delay, state);
      });
      const gate = new RateLimitGate({ scheduler, random: () => 0 });
      const absurd = response(0, 100, '1000h');
      expectObservable(gate.through(cold('-x|', { x: absurd }))).toBe('-x|', { x: absurd });
      const r = { status: 200, headers: {}, body: Buffer.alloc(0) };
      // The slot 36,000 s off is not believed: the next request goes at once.
      expectObservable(timer(5).pipe(switchMap(() => gate.through(cold('-r|', { r }))))).toBe('6ms r|', { r });
      // A pause beyond maxRetryAfterMs is not taken either.
      gate.pause(2 ** 40);
      expectObservable(timer(10).pipe(switchMap(() => gate.through(cold('-r|', { r }))))).toBe('11ms r|', { r });
    });
    expect(Math.max(0, ...delays)).toBeLessThanOrEqual(2 ** 31 - 1);
  });

  it('a header-derived slot within maxRetryAfterMs is waited out', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const gate = new RateLimitGate({ maxRetryAfterMs: 2000, random: () => 0 });
      // One token per second (1.05 s with the stretch): within 2 s, so believed.
      const slow = response(0, 10, '10s');
      expectObservable(gate.through(cold('-s|', { s: slow }))).toBe('-s|', { s: slow });
      const r = { status: 200, headers: {}, body: Buffer.alloc(0) };
      expectObservable(timer(5).pipe(switchMap(() => gate.through(cold('-r|', { r }))))).toBe('1052ms r|', { r });
    });
  });

  it('learns a send rate from 429s alone: cut once per round of requests, grown back by successes', () => {
    const rates: Array<number | undefined> = [];
    scheduler.run(({ cold }) => {
      const gate = new RateLimitGate({ random: () => 0 });
      rates.push(gate.requestsPerSecond);
      const ok = { status: 200, headers: {}, body: Buffer.alloc(0) };
      const limited = { status: 429, body: Buffer.alloc(0), headers: {} };
      // Twenty requests at once; two of them are answered 429 at 1 ms.
      for (let i = 0; i < 18; i++) gate.through(cold('-o|', { o: ok })).subscribe();
      for (let i = 0; i < 2; i++) gate.through(cold('-l|', { l: limited })).subscribe();
      timer(2).subscribe(() => rates.push(gate.requestsPerSecond));
      // Much later, a success on a request sent then.
      timer(3000).pipe(switchMap(() => gate.through(cold('-o|', { o: ok })))).subscribe(() => rates.push(gate.requestsPerSecond));
    });
    // 20 requests at once, measured over at least 20 ms, is 1,000/s; one cut for the two 429s of that round, to 700.
    expect(rates[0]).toBeUndefined();
    expect(rates[1]).toBeCloseTo(700, 6);
    // Three seconds on, the cubic is past its plateau, but capped at twice the rate actually sent.
    expect(rates[2]).toBe(2);
  });
});
