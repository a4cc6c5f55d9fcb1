import { concatMap, defer, from, merge, range, switchMap, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { DEFAULTS, RateLimitGate } from '../../src';
import { type HttpResponse } from '../../src/internal/fetch/httpRequest';
import { WaitBudget, WaitBudgetSpent } from '../../src/internal/retry/WaitBudget';

const response = (remaining: number, limit = 10, reset = '1s'): HttpResponse => ({
  status: 200,
  body: Buffer.alloc(0),
  headers: {
    'x-ratelimit-limit-requests': String(limit),
    'x-ratelimit-remaining-requests': String(remaining),
    'x-ratelimit-reset-requests': reset,
  },
});

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

describe('RateLimitGate', () => {
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

  it('pauses every request for the wait an overloaded server asks, lengthened by up to 25% at random', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const gate = new RateLimitGate({ random: () => 0.5 });
      const limited = { status: 503, body: Buffer.alloc(0), headers: { 'retry-after-ms': '100' } };
      expectObservable(gate.through(cold('-l|', { l: limited }))).toBe('-l|', { l: limited });
      const r = { status: 200, headers: {}, body: Buffer.alloc(0) };
      // Paused from 1 ms to 1 + 100 × 1.125 = 113.5: the timer fires at 114.
      expectObservable(timer(5).pipe(switchMap(() => gate.through(cold('-r|', { r }))))).toBe('115ms r|', { r });
    });
  });

  it('holds no other request for the wait a 429 of noise asks: only the request that got it waits', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const gate = new RateLimitGate({ random: () => 0.5 });
      const noise = { status: 429, body: Buffer.alloc(0), headers: { 'retry-after-ms': '100' } };
      expectObservable(gate.through(cold('-n|', { n: noise }))).toBe('-n|', { n: noise });
      const r = { status: 200, headers: {}, body: Buffer.alloc(0) };
      expectObservable(timer(5).pipe(switchMap(() => gate.through(cold('-r|', { r }))))).toBe('6ms r|', { r });
    });
  });

  it('spreads out the herd that waited through a pause, at the rate the 429s taught it', () => {
    const sentAt: number[] = [];
    scheduler.run(({ cold }) => {
      const gate = new RateLimitGate({ random: () => 0 });
      const ok = { status: 200, headers: {}, body: Buffer.alloc(0) };
      const limited = { status: 429, body: Buffer.alloc(0), headers: { 'retry-after-ms': '100' } };
      // Five requests at once: two accepted, then three refused, a cluster: a limit.
      for (let i = 0; i < 2; i++) gate.through(cold('-o|', { o: ok })).subscribe();
      for (let i = 0; i < 3; i++) gate.through(cold('-l|', { l: limited })).subscribe();
      const r = { status: 200, headers: {}, body: Buffer.alloc(0) };
      const request = defer(() => {
        sentAt.push(scheduler.now());
        return cold('-r|', { r });
      });
      timer(5).pipe(switchMap(() => merge(...Array.from({ length: 50 }, () => gate.through(request))))).subscribe();
    });
    expect(sentAt).toHaveLength(50);
    // The pause ends at 101. The third 429 cut the rate to 70 requests/s (70% of the two requests
    // accepted in the 20 ms the gate measures over at least); successes grow it back, slowly at
    // first. So two go at 101 (the bucket holds two), then one at a time, never in a burst.
    expect(sentAt.slice(0, 2)).toEqual([101, 101]);
    const gaps = sentAt.slice(2).map((t, i) => t - (sentAt[i + 1] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(10);
    expect((sentAt[49] ?? 0) - (sentAt[0] ?? 0)).toBeGreaterThan(500);
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

  it('learns a send rate from 429s alone: cut once per round of requests, kept below the throttled rate on trial, then grown back by successes', () => {
    const rates: Array<number | undefined> = [];
    scheduler.run(({ cold }) => {
      const gate = new RateLimitGate({ random: () => 0 });
      rates.push(gate.requestsPerSecond);
      const ok = { status: 200, headers: {}, body: Buffer.alloc(0) };
      const limited = { status: 429, body: Buffer.alloc(0), headers: {} };
      // Twenty requests at once; three of them are answered 429 at 1 ms, a cluster.
      for (let i = 0; i < 17; i++) gate.through(cold('-o|', { o: ok })).subscribe();
      for (let i = 0; i < 3; i++) gate.through(cold('-l|', { l: limited })).subscribe();
      timer(2).subscribe(() => rates.push(gate.requestsPerSecond));
      // Much later, the 32 answers of the trial, one request after another, all accepted.
      timer(3000)
        .pipe(concatMap(() => range(0, 32).pipe(concatMap(() => gate.through(cold('-o|', { o: ok }))))))
        .subscribe(() => rates.push(gate.requestsPerSecond));
    });
    // 17 requests accepted at once, measured over at least 20 ms, is 850/s; one cut for the 429s of that round, to 595.
    expect(rates[0]).toBeUndefined();
    expect(rates[1]).toBeCloseTo(595, 6);
    // On trial, until its 32nd answer, the cubic is capped at 90% of the 850/s throttled, however long ago the cut.
    expect(new Set(rates.slice(2, 33))).toEqual(new Set([765]));
    // The share of 429s fell from 3 in 20 to none: a limit. The cut stands, and the cubic grows
    // from it, capped at twice the rate actually sent: 32 requests in the last second.
    expect(rates[33]).toBe(64);
  });
});

describe('RateLimitGate: noise or a limit', () => {
  const ok: HttpResponse = { status: 200, headers: {}, body: Buffer.alloc(0) };
  const refused = (headers: Record<string, string> = {}): HttpResponse => ({ status: 429, headers, body: Buffer.alloc(0) });

  /**
   * Sends one request per answer, each 10 ms after the last was answered, and gives the learned
   * rate after each. An attempt of `budgets[i]` belongs to that request, as the retries of a page
   * share its budget; without one, each attempt is a request of its own.
   */
  const rates = (
    answers: readonly HttpResponse[],
    budgets: ReadonlyArray<WaitBudget | undefined> = [],
    gate = new RateLimitGate({ random: () => 0 }),
  ): Array<number | undefined> => {
    const seen: Array<number | undefined> = [];
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold }) => {
      from(answers)
        .pipe(concatMap((answer, i) => timer(10).pipe(switchMap(() => gate.through(cold('-a|', { a: answer }), budgets[i])))))
        .subscribe(() => seen.push(gate.requestsPerSecond));
    });
    return seen;
  };
  const every = (n: number, count: number, answer: HttpResponse): HttpResponse[] =>
    Array.from({ length: count }, (_, i) => ((i + 1) % n === 0 ? answer : ok));

  it('sparse 429s leave the rate where it was: none learned', () => {
    expect(rates(every(10, 100, refused()))).toEqual(Array.from({ length: 100 }, () => undefined));
  });

  it('sparse 429s leave the rate where it was: the one the headers gave', () => {
    // 2,400 a minute, and the reset says so: 40 a second, paced at 40 / 1.05.
    const perMinute = { status: 200, body: Buffer.alloc(0), headers: { 'x-ratelimit-limit-requests': '2400', 'x-ratelimit-remaining-requests': '2399', 'x-ratelimit-reset-requests': '25ms' } };
    const seen = rates([perMinute, ...every(10, 100, refused({ 'retry-after-ms': '20' }))]);
    expect(new Set(seen)).toEqual(new Set([40 / 1.05]));
  });

  it('a clustered storm cuts it: the third 429 of the last 16 responses is a limit', () => {
    const seen = rates([...every(100, 20, ok), refused(), refused(), refused()]);
    expect(seen.slice(0, 22)).toEqual(Array.from({ length: 22 }, () => undefined));
    expect(seen[22]).toBeGreaterThan(0);
  });

  it('counts a request refused again on its retry once toward a cluster: two requests refused, one of them twice, cut nothing', () => {
    const answers = [...every(100, 20, ok), refused(), refused(), refused(), ...every(100, 20, ok)];
    const page = (): WaitBudget => new WaitBudget(DEFAULTS.retry.maxWaitPerPageMs);
    const first = Array.from({ length: 20 }, page);
    const retried = page();
    expect(rates(answers, [...first, retried, retried, page()])).toEqual(answers.map(() => undefined));
    // The same answers to three requests are a cluster, and so are three to one request: the third is a limit.
    const thrice = page();
    for (const refusedOnes of [[page(), page(), page()], [thrice, thrice, thrice]]) {
      const seen = rates(answers, [...first, ...refusedOnes]);
      expect(seen[21]).toBeUndefined();
      expect(seen[22]).toBeGreaterThan(0);
    }
  });

  it('an isolated 429 that the headers agree with is a limit: the bucket is spent', () => {
    const seen = rates([...every(100, 20, ok), refused({ 'x-ratelimit-remaining-requests': '0' })]);
    expect(seen[19]).toBeUndefined();
    expect(seen[20]).toBeGreaterThan(0);
  });

  it('does not read a small bucket refilled in milliseconds as a budget per minute', () => {
    const exact = { status: 200, body: Buffer.alloc(0), headers: { 'x-ratelimit-limit-requests': '4', 'x-ratelimit-remaining-requests': '3', 'x-ratelimit-reset-requests': '25ms' } };
    expect(rates([exact, ok])).toEqual([undefined, undefined]);
  });

  it('paces a short job at the budget per minute from the first response: no burst of 429s first', () => {
    const sentAt: number[] = [];
    scheduler.run(({ cold }) => {
      const gate = new RateLimitGate({ random: () => 0 });
      const perMinute = { status: 200, body: Buffer.alloc(0), headers: { 'x-ratelimit-limit-requests': '600', 'x-ratelimit-remaining-requests': '599', 'x-ratelimit-reset-requests': '100ms' } };
      const request = defer(() => {
        sentAt.push(scheduler.now());
        return cold('-p|', { p: perMinute });
      });
      gate.through(request).subscribe();
      timer(5).pipe(switchMap(() => merge(...Array.from({ length: 4 }, () => gate.through(request))))).subscribe();
    });
    // 600 a minute is 10 a second, paced at 10 / 1.05: from the first answer (at 1 ms), one goes
    // at once, the next every 105 ms.
    expect(sentAt).toEqual([0, 5, 106, 211, 316]);
  });
});

describe('RateLimitGate: the wait budget of a request', () => {
  const ok: HttpResponse = { status: 200, headers: {}, body: Buffer.alloc(0) };
  /** A gate paused for 1 s, with nothing learned. */
  const paused = (): RateLimitGate => {
    const gate = new RateLimitGate({ scheduler, random: () => 0 });
    gate.pause(1000);
    return gate;
  };

  it('spends the time a request queues in the gate', () => {
    const budget = new WaitBudget(5000);
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(paused().through(cold('-o|', { o: ok }), budget)).toBe('1001ms o|', { o: ok });
    });
    expect(budget.spentMs).toBe(1000);
    expect(budget.sent).toBe(1);
  });

  it('sends a first attempt whose budget runs out in the queue at once: what the server answers decides', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(paused().through(cold('-o|', { o: ok }), new WaitBudget(300))).toBe('301ms o|', { o: ok });
    });
  });

  it('fails a later attempt whose budget runs out in the queue, and leaves the queue to the others', () => {
    const budget = new WaitBudget(300);
    budget.admitted();
    scheduler.run(({ cold, expectObservable }) => {
      const gate = paused();
      expectObservable(gate.through(cold('-o|', { o: ok }), budget)).toBe('300ms #', undefined, new WaitBudgetSpent());
      expectObservable(gate.through(cold('-o|', { o: ok }))).toBe('1001ms o|', { o: ok });
    });
    expect(budget.spentMs).toBe(300);
  });
});
