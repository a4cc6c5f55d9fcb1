import { APIConnectionError, APIError, DecodeError, DEFAULTS, InvalidResponseError } from '../../../src';
import { afterRetry, NO_RETRIES, retryDelay, type RetryHistory } from '../../../src/internal/retry/retryDelay';
import { parseDuration } from '../../../src/internal/retry/parseDuration';
import { WaitBudget } from '../../../src/internal/retry/WaitBudget';
import { serverRetryAfterMs } from '../../../src/internal/retry/serverRetryAfterMs';

const options = DEFAULTS.retry;
const noJitter = (): number => 0;
const maxJitter = (): number => 0.999999;
const apiError = (status: number, headers: Record<string, string> = {}): APIError =>
  APIError.from(status, { message: 'x' }, 'req_1', headers);

/** The history after `spent` failures that spend the retry budget. */
const after = (spent: number, unstated429s = 0): RetryHistory => ({ spent, unstated429s });

/** A request's budget of `maxWaitPerPageMs`, `spentMs` of it spent. */
const spent = (spentMs = 0, limitMs: number = options.maxWaitPerPageMs): WaitBudget => {
  const budget = new WaitBudget(limitMs);
  budget.spend(spentMs);
  return budget;
};

describe('retryDelay', () => {
  it('doubles from initialDelayMs and caps at maxDelayMs', () => {
    const delays = [0, 1, 2, 3, 4, 5].map((n) => retryDelay(apiError(500), after(n), spent(), options, noJitter, 0));
    expect(delays.map((d) => (d.retry ? d.delayMs : -1))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });

  it('shortens a wait by at most jitterRatio', () => {
    const decision = retryDelay(apiError(503), after(2), spent(), options, maxJitter, 0);
    expect(decision.retry && decision.delayMs).toBeCloseTo(2000 * 0.75, 2);
  });

  it('stops after maxRetries, saying how many attempts failed', () => {
    expect(retryDelay(apiError(500), after(options.maxRetries), spent(), options, noJitter, 0)).toEqual({
      retry: false,
      reason: 'gave up after 7 attempts (maxRetries: 6)',
    });
    expect(retryDelay(apiError(500), after(options.maxRetries - 1), spent(), options, noJitter, 0)).toMatchObject({ retry: true, spendsRetry: true });
    // With retries off, there is no retry to give up on: the message stays the error's own.
    expect(retryDelay(apiError(500), NO_RETRIES, spent(), { ...options, maxRetries: 0 }, noJitter, 0)).toEqual({ retry: false, reason: undefined });
  });

  it.each([408, 409, 429, 500, 502, 503, 504])('retries status %i', (status) => {
    expect(retryDelay(apiError(status), NO_RETRIES, spent(), options, noJitter, 0).retry).toBe(true);
  });

  it.each([400, 401, 403, 404, 422])('does not retry status %i', (status) => {
    expect(retryDelay(apiError(status), NO_RETRIES, spent(), options, noJitter, 0)).toEqual({ retry: false, reason: undefined });
  });

  it('retries connection failures and unparseable bodies, not decode errors', () => {
    expect(retryDelay(new APIConnectionError('reset'), NO_RETRIES, spent(), options, noJitter, 0).retry).toBe(true);
    expect(retryDelay(new InvalidResponseError(200, undefined), NO_RETRIES, spent(), options, noJitter, 0).retry).toBe(true);
    expect(retryDelay(new DecodeError('page', ['data: expected array']), NO_RETRIES, spent(), options, noJitter, 0).retry).toBe(false);
  });

  it('lets x-should-retry override the status', () => {
    expect(retryDelay(apiError(400, { 'x-should-retry': 'true' }), NO_RETRIES, spent(), options, noJitter, 0).retry).toBe(true);
    expect(retryDelay(apiError(503, { 'x-should-retry': 'false' }), NO_RETRIES, spent(), options, noJitter, 0).retry).toBe(false);
  });

  it('waits what the server asks for, exactly (the gate adds the jitter)', () => {
    expect(retryDelay(apiError(429, { 'retry-after-ms': '1234' }), NO_RETRIES, spent(), options, maxJitter, 0)).toEqual({
      retry: true,
      delayMs: 1234,
      serverAsked: true,
      spendsRetry: false,
    });
  });

  it('refuses a server-asked wait above maxRetryAfterMs, so the error surfaces at once, and says why', () => {
    expect(retryDelay(apiError(429, { 'retry-after': '120' }), NO_RETRIES, spent(), options, noJitter, 0)).toEqual({
      retry: false,
      reason: 'the server asked to wait 120 s, more than maxRetryAfterMs (60 s)',
    });
    expect(retryDelay(apiError(429, { 'retry-after': '60' }), NO_RETRIES, spent(), options, noJitter, 0).retry).toBe(true);
  });

  it('regression: a 429 that states its wait never spends the retry budget, however many came before', () => {
    const decision = retryDelay(apiError(429, { 'retry-after-ms': '200' }), after(options.maxRetries), spent(10_000), options, noJitter, 0);
    expect(decision).toMatchObject({ retry: true, delayMs: 200, spendsRetry: false });
  });

  it('backs off a 429 that states no wait by its own count of such 429s, with jitter, without spending the retry budget', () => {
    const first = retryDelay(apiError(429), after(options.maxRetries), spent(), options, noJitter, 0);
    expect(first).toMatchObject({ retry: true, delayMs: 500, serverAsked: false, spendsRetry: false });
    const fourth = retryDelay(apiError(429), after(0, 3), spent(), options, maxJitter, 0);
    expect(fourth.retry && fourth.delayMs).toBeCloseTo(4000 * 0.75, 2);
  });

  it('backs off a 429 that states no wait from 20 ms while the gate reads it as noise', () => {
    const noise = spent();
    noise.refused429(true);
    expect(retryDelay(apiError(429), NO_RETRIES, noise, options, noJitter, 0)).toMatchObject({ retry: true, delayMs: 20 });
    expect(retryDelay(apiError(429), after(0, 2), noise, options, noJitter, 0)).toMatchObject({ retry: true, delayMs: 80 });
    // A lower initialDelayMs is the lower start.
    expect(retryDelay(apiError(429), NO_RETRIES, noise, { ...options, initialDelayMs: 5 }, noJitter, 0)).toMatchObject({ delayMs: 5 });
    const limit = spent();
    limit.refused429(false);
    expect(retryDelay(apiError(429), NO_RETRIES, limit, options, noJitter, 0)).toMatchObject({ retry: true, delayMs: 500 });
  });

  it('ends a page whose waits would add up to more than maxWaitPerPageMs', () => {
    const asked = apiError(429, { 'retry-after-ms': '1000' });
    expect(retryDelay(asked, NO_RETRIES, spent(299_000), options, noJitter, 0).retry).toBe(true);
    expect(retryDelay(asked, NO_RETRIES, spent(299_001), options, noJitter, 0)).toEqual({
      retry: false,
      reason: 'gave up after waiting 299 s in all for this page (maxWaitPerPageMs: 300 s)',
    });
    // With 429s among the attempts, it says how many, over how long.
    const refused = spent(299_001);
    refused.refused429(false);
    refused.refused429(false);
    expect(retryDelay(asked, NO_RETRIES, refused, options, noJitter, 300_000)).toEqual({
      retry: false,
      reason: 'gave up after 2 answers 429 over 299 s (maxWaitPerPageMs: 300 s)',
    });
  });

  it('never asks a timer for more than 2^31 − 1 ms, whatever the options allow', () => {
    const decision = retryDelay(apiError(429, { 'retry-after': '3000000' }), NO_RETRIES, spent(0, Infinity), { ...options, maxRetryAfterMs: Infinity, maxWaitPerPageMs: Infinity }, noJitter, 0);
    expect(decision).toMatchObject({ retry: true, delayMs: 2 ** 31 - 1 });
  });

  it('afterRetry counts what a retry spent', () => {
    const asked = apiError(429, { 'retry-after-ms': '200' });
    const unstated = apiError(429);
    const server = apiError(500);
    let history = NO_RETRIES;
    for (const error of [asked, unstated, server, unstated]) {
      const decision = retryDelay(error, history, spent(), options, noJitter, 0);
      if (!decision.retry) throw new Error('expected a retry');
      history = afterRetry(history, error, decision);
    }
    expect(history).toEqual({ spent: 1, unstated429s: 2 });
  });
});

describe('serverRetryAfterMs', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');

  it('prefers retry-after-ms to retry-after', () => {
    expect(serverRetryAfterMs({ 'retry-after-ms': '250.5', 'retry-after': '3' }, now)).toBe(250.5);
  });

  it('reads retry-after as seconds', () => {
    expect(serverRetryAfterMs({ 'retry-after': '3' }, now)).toBe(3000);
  });

  it('reads retry-after as an HTTP date relative to now, never negative', () => {
    expect(serverRetryAfterMs({ 'retry-after': 'Sat, 21 Nov 2026 12:00:05 GMT' }, now)).toBe(5000);
    expect(serverRetryAfterMs({ 'retry-after': 'Sat, 21 Nov 2026 11:00:00 GMT' }, now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(serverRetryAfterMs({}, now)).toBeUndefined();
    expect(serverRetryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(serverRetryAfterMs({ 'retry-after-ms': '-5' }, now)).toBeUndefined();
    expect(serverRetryAfterMs({ 'retry-after': '-5' }, now)).toBeUndefined();
    expect(serverRetryAfterMs({ 'retry-after': '2026-11-21' }, now)).toBeUndefined();
  });
});

describe('parseDuration', () => {
  it.each([
    ['20ms', 20],
    ['1s', 1000],
    ['1.5s', 1500],
    ['6m0s', 360_000],
    ['1h2m3s', 3_723_000],
    ['2m30.5s', 150_500],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '5', '1s junk', undefined])('rejects %p', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
