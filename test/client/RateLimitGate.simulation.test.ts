import { catchError, concatMap, defer, EMPTY, map, merge, range, throwError, timer, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { APIError, DEFAULTS, RateLimitGate } from '../../src';
import { retryWithin } from '../../src/internal/retry/retryWithin';
import { WaitBudget } from '../../src/internal/retry/WaitBudget';
import { type HttpResponse } from '../../src/internal/fetch/httpRequest';
import { RateLimit } from '../../src/emulator/limits/rateLimit';
import type { RateLimitHeaderMode } from '../../src/testing';

/** A seeded source of numbers in [0, 1), so that a run is the same every time. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

interface Run {
  /** The send rate the gate learned, at the end. */
  readonly requestsPerSecond: number | undefined;
  readonly failedWalks: number;
  readonly pages: number;
  readonly requests: number;
  readonly limited: number;
  readonly elapsedMs: number;
}

/**
 * `walks` walks of `pagesPerWalk` pages merged on one gate, against the emulator's rate limit,
 * all in virtual time: each response takes `roundTripMs`, and the walk works `workMs` on a page
 * before it asks for the next. A share `noise` of the requests, drawn at random whatever the
 * rate, is answered 429 without a stated wait before the limit sees them.
 */
function simulate(
  headers: RateLimitHeaderMode,
  walks: number,
  pagesPerWalk: number,
  limit = { requestsPerSecond: 40, burst: 4 },
  retryAfterMs?: string,
  noise = 0,
): Run {
  const roundTripMs = 4;
  const workMs = 3;
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  let requests = 0;
  let limited = 0;
  let pages = 0;
  let failedWalks = 0;
  let elapsedMs = 0;
  let requestsPerSecond: number | undefined;
  scheduler.run(() => {
    const random = seeded(7);
    const draw = seeded(11);
    const server = new RateLimit({ ...limit, headers }, 0);
    const gate = new RateLimitGate({ scheduler, random });
    const send = (): Observable<HttpResponse> =>
      defer(() => {
        requests += 1;
        const verdict = draw() < noise ? { allowed: false, headers: {} } : server.admit(scheduler.now());
        if (!verdict.allowed) limited += 1;
        const answer = {
          status: verdict.allowed ? 200 : 429,
          headers: verdict.allowed || retryAfterMs === undefined ? verdict.headers : { 'retry-after-ms': retryAfterMs },
          body: Buffer.alloc(0),
        };
        return timer(roundTripMs, scheduler).pipe(map(() => answer));
      });
    // As the request core composes a page: one budget for the gate and the retries.
    const page = defer(() => {
      const budget = new WaitBudget(DEFAULTS.retry.maxWaitPerPageMs);
      return gate.through(send(), budget).pipe(
        concatMap((response) => (response.status === 200 ? [response] : throwError(() => APIError.from(response.status, {}, undefined, response.headers)))),
        retryWithin({ ...DEFAULTS.retry, scheduler, random }, () => budget),
      );
    });
    const walk = range(0, pagesPerWalk).pipe(
      concatMap(() => page.pipe(concatMap(() => timer(workMs, scheduler)))),
      catchError(() => {
        failedWalks += 1;
        return EMPTY;
      }),
    );
    merge(...Array.from({ length: walks }, () => walk)).subscribe({
      next: () => void (pages += 1),
      complete: () => {
        elapsedMs = scheduler.now();
        requestsPerSecond = gate.requestsPerSecond;
      },
    });
  });
  return { requestsPerSecond, failedWalks, pages, requests, limited, elapsedMs };
}

describe('the gate against a rate limit of 40 requests/s in bursts of 4, in virtual time', () => {
  it.each<[RateLimitHeaderMode, number, number, number, number]>([
    ['exact', 4, 100, 0.9, 0.05],
    ['exact', 16, 100, 0.9, 0.05],
    ['quantized', 4, 100, 0.9, 0.05],
    ['quantized', 16, 100, 0.9, 0.05],
    ['none', 4, 100, 0.9, 0.1],
    ['none', 16, 100, 0.9, 0.1],
    // Short jobs: the budget per minute of quantized headers gives the rate from the first answer.
    ['quantized', 4, 20, 0.9, 0.05],
    ['quantized', 16, 20, 0.9, 0.05],
  ])('headers %s, %i walks of %i pages: every page, at least %p of the limit, fewer than %p of requests answered 429', (headers, walks, pagesPerWalk, share, rejected) => {
    const run = simulate(headers, walks, pagesPerWalk);
    expect(run.failedWalks).toBe(0);
    expect(run.pages).toBe(walks * pagesPerWalk);
    expect(run.pages / (run.elapsedMs / 1000)).toBeGreaterThanOrEqual(40 * share);
    expect(run.limited / run.requests).toBeLessThan(rejected);
  });
});

describe('regression: fifty walks on one client against 50 requests/s in bursts of 5, each 429 asking for 200 ms', () => {
  it('every walk completes: the herd after each pause is spread out, and no 429 spends a retry', () => {
    const run = simulate('none', 50, 20, { requestsPerSecond: 50, burst: 5 }, '200');
    expect(run.failedWalks).toBe(0);
    expect(run.pages).toBe(50 * 20);
    expect(run.limited / run.requests).toBeLessThan(0.1);
  });
});

describe('the gate against 8% of requests answered 429 at random, whatever the rate, and no limit, in virtual time', () => {
  const unlimited = { requestsPerSecond: 1e9, burst: 1e9 };
  it.each([1, 4, 16])('walks: %i, of 300 pages each, keep their rate: no rate learned, at least half the pages a second of the same walks without 429s', (walks) => {
    const clean = simulate('none', walks, 300, unlimited);
    const noisy = simulate('none', walks, 300, unlimited, undefined, 0.08);
    expect(noisy.failedWalks).toBe(0);
    expect(noisy.pages).toBe(walks * 300);
    expect(noisy.limited / noisy.requests).toBeGreaterThan(0.07);
    expect(noisy.requestsPerSecond).toBeUndefined();
    expect(noisy.pages / noisy.elapsedMs).toBeGreaterThan(0.5 * (clean.pages / clean.elapsedMs));
  });
});
