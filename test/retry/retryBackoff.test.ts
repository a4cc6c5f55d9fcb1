import { defer, of, switchMap, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { DEFAULTS } from '../../src/client/defaults';
import { APIError, BadRequestError, RateLimitError } from '../../src/errors';
import { RateLimitGate } from '../../src/retry/RateLimitGate';
import { retryBackoff, type RetryEvent } from '../../src/retry/retryBackoff';

const apiError = (status: number, headers: Record<string, string> = {}): APIError =>
  APIError.from(status, { message: 'scripted' }, 'req_test', headers);

const config = { ...DEFAULTS.retry, initialDelayMs: 10, maxDelayMs: 40, maxRetries: 3, random: () => 0 };

describe('retryBackoff', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('resubscribes after 10, 20, 40 ms, then lets the last error through', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const error = apiError(500);
      const source = cold('-#', undefined, error);
      expectObservable(source.pipe(retryBackoff(config))).toBe('        74ms #', undefined, error);
      expectSubscriptions(source.subscriptions).toBe([
        '^!',
        '11ms ^!',
        '32ms ^!',
        '73ms ^!',
      ]);
    });
  });

  it('emits the value of the first attempt that succeeds', () => {
    scheduler.run(({ cold, expectObservable }) => {
      let attempts = 0;
      const source = defer(() => (++attempts < 3 ? cold('-#', undefined, apiError(502)) : cold('-a|')));
      expectObservable(source.pipe(retryBackoff(config))).toBe('33ms a|');
    });
  });

  it('waits what retry-after-ms asks and pauses the gate for every other request', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const gate = new RateLimitGate();
      let attempts = 0;
      const limited = defer(() =>
        ++attempts === 1 ? cold('-#', undefined, apiError(429, { 'retry-after-ms': '100' })) : cold('-a|'),
      );
      const response = { status: 200, headers: {}, body: Buffer.alloc(0) };
      const other = cold('-r|', { r: response });
      expectObservable(limited.pipe(retryBackoff({ ...config, gate }))).toBe('102ms a|');
      expectObservable(timer(10).pipe(switchMap(() => gate.through(other)))).toBe('102ms r|', { r: response });
    });
  });

  it('fails at once with the RateLimitError when the server asks for more than maxRetryAfterMs', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const error = apiError(429, { 'retry-after': '3600' });
      expect(error).toBeInstanceOf(RateLimitError);
      expectObservable(cold('-#', undefined, error).pipe(retryBackoff(config))).toBe('-#', undefined, error);
    });
  });

  it('does not retry what cannot succeed', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const error = apiError(400);
      expect(error).toBeInstanceOf(BadRequestError);
      const source = cold('-#', undefined, error);
      expectObservable(source.pipe(retryBackoff(config))).toBe('-#', undefined, error);
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('tells onRetry of each retry before its wait', () => {
    const events: RetryEvent[] = [];
    scheduler.run(({ cold, expectObservable }) => {
      const error = apiError(503);
      expectObservable(cold('-#', undefined, error).pipe(retryBackoff({ ...config, maxRetries: 2, onRetry: (e) => events.push(e) }))).toBe(
        '33ms #',
        undefined,
        error,
      );
    });
    expect(events.map(({ retryCount, delayMs }) => [retryCount, delayMs])).toEqual([
      [1, 10],
      [2, 20],
    ]);
  });

  it('passes values and completion through untouched', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-b|').pipe(retryBackoff(config))).toBe('-a-b|');
    });
  });

  it('unsubscribing during a wait cancels the wait and stops the source', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, apiError(500));
      expectObservable(source.pipe(retryBackoff(config)), '^ 15ms !').toBe('');
      expectSubscriptions(source.subscriptions).toBe(['^!', '11ms ^!']);
    });
  });

  it('keeps of() synchronous when nothing fails', () => {
    const values: number[] = [];
    of(1, 2).pipe(retryBackoff(config)).subscribe((v) => values.push(v));
    expect(values).toEqual([1, 2]);
  });
});
