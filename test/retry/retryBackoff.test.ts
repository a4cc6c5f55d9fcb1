import { defer, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { APIError, BadRequestError, DEFAULTS, RateLimitError, type RetryEvent } from '../../src';
import { retryBackoff } from '../../src/retry/retryBackoff';

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

  it('a storm of 429s that state their waits does not spend the retry budget: the page comes through', () => {
    scheduler.run(({ cold, expectObservable }) => {
      let attempts = 0;
      const stormy = defer(() => (++attempts <= 20 ? cold('-#', undefined, apiError(429, { 'retry-after-ms': '5' })) : cold('-a|')));
      // 20 failed attempts of 1 ms and 20 waits of 5 ms, then the success: far beyond maxRetries (3).
      expectObservable(stormy.pipe(retryBackoff(config))).toBe('121ms a|');
    });
  });

  it('the total-wait budget ends a page that is rate-limited for too long', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const error = apiError(429, { 'retry-after-ms': '100' });
      const source = cold('-#', undefined, error);
      // Three waits of 100 ms fit in 350 ms; a fourth would not.
      expectObservable(source.pipe(retryBackoff({ ...config, maxWaitPerPageMs: 350 }))).toBe('304ms #', undefined, error);
    });
  });

  it('fails at once when the server asks for more than maxRetryAfterMs', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const error = apiError(429, { 'retry-after': '120' });
      expect(error).toBeInstanceOf(RateLimitError);
      expectObservable(cold('-#', undefined, error).pipe(retryBackoff(config))).toBe('-#', undefined, error);
    });
  });

  it('adds the reason to the message of a refused error, keeping its class and fields', () => {
    const longWait = apiError(429, { 'retry-after': '120' });
    const exhausted = apiError(500);
    const seen: unknown[] = [];
    scheduler.run(({ cold }) => {
      cold('-#', undefined, longWait).pipe(retryBackoff(config)).subscribe({ error: (e: unknown) => seen.push(e) });
      cold('-#', undefined, exhausted).pipe(retryBackoff(config)).subscribe({ error: (e: unknown) => seen.push(e) });
    });
    expect(seen).toEqual([longWait, exhausted]);
    expect(longWait.message).toBe('429 scripted (request id req_test); the server asked to wait 120 s, more than maxRetryAfterMs (60 s)');
    expect(exhausted.message).toBe('500 scripted (request id req_test); gave up after 4 attempts (maxRetries: 3)');
    expect(exhausted.status).toBe(500);
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
