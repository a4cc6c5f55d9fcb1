import { APIConnectionError, APIError, DecodeError, InvalidResponseError } from '../../src/errors';
import { DEFAULTS } from '../../src/client/defaults';
import { retryDelay } from '../../src/retry/retryDelay';
import { parseDuration } from '../../src/retry/parseDuration';
import { serverRetryAfterMs } from '../../src/retry/serverRetryAfterMs';

const options = DEFAULTS.retry;
const noJitter = (): number => 0;
const maxJitter = (): number => 0.999999;
const apiError = (status: number, headers: Record<string, string> = {}): APIError =>
  APIError.from(status, { message: 'x' }, 'req_1', headers);

describe('retryDelay', () => {
  it('doubles from initialDelayMs and caps at maxDelayMs', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((n) => retryDelay(apiError(500), n, options, noJitter, 0));
    expect(delays.map((d) => (d.retry ? d.delayMs : -1))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });

  it('shortens a wait by at most jitterRatio', () => {
    const decision = retryDelay(apiError(503), 3, options, maxJitter, 0);
    expect(decision.retry && decision.delayMs).toBeCloseTo(2000 * 0.75, 2);
  });

  it('stops after maxRetries', () => {
    expect(retryDelay(apiError(500), options.maxRetries + 1, options, noJitter, 0)).toEqual({ retry: false });
    expect(retryDelay(apiError(500), options.maxRetries, options, noJitter, 0).retry).toBe(true);
  });

  it.each([408, 409, 429, 500, 502, 503, 504])('retries status %i', (status) => {
    expect(retryDelay(apiError(status), 1, options, noJitter, 0).retry).toBe(true);
  });

  it.each([400, 401, 403, 404, 422])('does not retry status %i', (status) => {
    expect(retryDelay(apiError(status), 1, options, noJitter, 0)).toEqual({ retry: false });
  });

  it('retries connection failures and unparseable bodies, not decode errors', () => {
    expect(retryDelay(new APIConnectionError('reset'), 1, options, noJitter, 0).retry).toBe(true);
    expect(retryDelay(new InvalidResponseError(200, undefined), 1, options, noJitter, 0).retry).toBe(true);
    expect(retryDelay(new DecodeError('page', ['data: expected array']), 1, options, noJitter, 0).retry).toBe(false);
  });

  it('lets x-should-retry override the status', () => {
    expect(retryDelay(apiError(400, { 'x-should-retry': 'true' }), 1, options, noJitter, 0).retry).toBe(true);
    expect(retryDelay(apiError(503, { 'x-should-retry': 'false' }), 1, options, noJitter, 0).retry).toBe(false);
  });

  it('waits what the server asks for, without jitter', () => {
    expect(retryDelay(apiError(429, { 'retry-after-ms': '1234' }), 1, options, maxJitter, 0)).toEqual({
      retry: true,
      delayMs: 1234,
      serverAsked: true,
    });
  });

  it('refuses a server-asked wait above maxRetryAfterMs, so the error surfaces at once', () => {
    expect(retryDelay(apiError(429, { 'retry-after': '61' }), 1, options, noJitter, 0)).toEqual({ retry: false });
    expect(retryDelay(apiError(429, { 'retry-after': '60' }), 1, options, noJitter, 0).retry).toBe(true);
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
