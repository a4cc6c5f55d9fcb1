import { catchError, concatMap, defer, map, mergeMap, of, range, throwError, timer, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { APIError, DEFAULTS, RateLimitError, RateLimitGate } from '../../../src';
import type { HttpResponse } from '../../../src/internal/fetch/httpRequest';
import { retryWithin } from '../../../src/internal/retry/retryWithin';
import { WaitBudget } from '../../../src/internal/retry/WaitBudget';

/**
 * Requests through one gate and their retries, as the request core composes them, against a server
 * that answers every request 429 after `roundTripMs`, asking for `retry-after: 0`: all in virtual time.
 */
function alwaysRefused(operations: number, concurrency: number, maxWaitPerPageMs: number, roundTripMs = 1) {
  const failedAt: number[] = [];
  const errors: unknown[] = [];
  let sent = 0;
  const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  scheduler.run(() => {
    const gate = new RateLimitGate({ random: () => 0.5 });
    const send = (): Observable<HttpResponse> =>
      defer(() => {
        sent += 1;
        return timer(roundTripMs).pipe(map(() => ({ status: 429, headers: { 'retry-after': '0' }, body: Buffer.alloc(0) })));
      });
    const operation = defer(() => {
      const budget = new WaitBudget(maxWaitPerPageMs);
      return gate.through(send(), budget).pipe(
        concatMap((response) => throwError(() => APIError.from(response.status, { message: 'Rate limit reached' }, 'req_1', response.headers))),
        retryWithin({ ...DEFAULTS.retry, maxWaitPerPageMs, random: () => 0.5 }, () => budget),
      );
    });
    range(0, operations)
      .pipe(
        mergeMap(
          () =>
            operation.pipe(
              catchError((error: unknown) => {
                failedAt.push(scheduler.now());
                errors.push(error);
                return of(undefined);
              }),
            ),
          concurrency,
        ),
      )
      .subscribe();
  });
  return { failedAt, errors, sent };
}

describe('the wait budget of a request, spent in the gate and in its retries, in virtual time', () => {
  it('retry-after: 0 for ever ends within the budget plus one request, saying how many 429s over how long', () => {
    const { failedAt, errors, sent } = alwaysRefused(1, 1, 2_000);
    expect(failedAt).toHaveLength(1);
    expect(failedAt[0]).toBeLessThanOrEqual(2_000 + 1);
    expect(errors[0]).toBeInstanceOf(RateLimitError);
    expect((errors[0] as Error).message).toMatch(/^429 Rate limit reached \(request id req_1\); gave up after \d+ answers 429 over 2 s \(maxWaitPerPageMs: 2 s\)$/);
    // The gate learned the limit: it sent a handful of requests, not thousands.
    expect(sent).toBeLessThan(10);
  });

  it('a bulk operation’s budget includes its time in the gate: sixteen refused, eight at a time, all fail within two budgets', () => {
    const { failedAt, errors } = alwaysRefused(16, 8, 2_000);
    expect(failedAt).toHaveLength(16);
    expect(Math.max(...failedAt)).toBeLessThanOrEqual(2 * 2_000 + 1);
    expect(errors.every((error) => error instanceof RateLimitError)).toBe(true);
  });
});
