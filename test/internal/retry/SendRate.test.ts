import { SendRate } from '../../../src/internal/retry/SendRate';

/** Sends `n` requests evenly over `(fromMs, toMs]`, and returns the epoch of the last. */
const sendOver = (rate: SendRate, n: number, fromMs: number, toMs: number): number => {
  let epoch = 0;
  for (let i = 1; i <= n; i++) epoch = rate.send(fromMs + ((toMs - fromMs) * i) / n);
  return epoch;
};

/** Within 5%: the send rate is measured over the span of the sends, a little shorter than the run. */
const near = (actual: number | undefined, expected: number): void => {
  expect(Math.abs((actual ?? Number.NaN) / expected - 1)).toBeLessThan(0.05);
};

describe('SendRate', () => {
  it('sets no limit until the first throttle', () => {
    const rate = new SendRate();
    sendOver(rate, 100, 0, 100);
    expect(rate.requestsPerSecond).toBeUndefined();
    expect(rate.delayMs(100)).toBe(0);
  });

  it('cuts to 70% of the rate sent, once for all the 429s of requests sent before the cut', () => {
    const rate = new SendRate();
    const epoch = sendOver(rate, 50, 0, 1000);
    rate.throttled(1000, epoch);
    near(rate.requestsPerSecond, 35);
    const cut = rate.requestsPerSecond ?? 0;
    rate.throttled(1001, epoch);
    expect(rate.requestsPerSecond).toBe(cut);
    // A request sent after the cut and throttled cuts again.
    rate.throttled(1100, rate.send(1050));
    expect(rate.requestsPerSecond).toBeLessThan(cut);
  });

  it('grows back along a cubic: below the cut rate at first, level with it after its plateau, above it later', () => {
    const rate = new SendRate();
    rate.throttled(1000, sendOver(rate, 50, 0, 1000));
    const at = (ms: number): number => {
      sendOver(rate, 100, ms - 1000, ms);
      rate.succeeded(ms);
      return rate.requestsPerSecond ?? Number.NaN;
    };
    // The plateau is cbrt(50 × 0.3 / 4) ≈ 1.55 s after the cut.
    expect(at(1500)).toBeLessThan(50);
    near(at(2554), 50);
    expect(at(4000)).toBeGreaterThan(50);
  });

  it('never grows above twice the rate actually sent, nor above the ceiling the headers give', () => {
    const rate = new SendRate();
    rate.throttled(1000, sendOver(rate, 50, 0, 1000));
    sendOver(rate, 10, 9000, 10_000);
    rate.succeeded(10_000);
    near(rate.requestsPerSecond, 20);
    rate.limitTo(12, 10_000);
    expect(rate.requestsPerSecond).toBe(12);
  });

  it('starts at the sustained rate the headers give, one request free to go, and the 429s of requests sent before cut nothing', () => {
    const rate = new SendRate();
    const before = sendOver(rate, 50, 0, 1000);
    rate.limitTo(30, 1000);
    expect(rate.requestsPerSecond).toBe(30);
    expect(rate.delayMs(1000)).toBe(0);
    rate.send(1000);
    expect(rate.delayMs(1000)).toBeCloseTo(1000 / 30, 6);
    rate.throttled(1001, before);
    expect(rate.requestsPerSecond).toBe(30);
  });

  it('cuts a storm in which most requests were refused to 70% of what the server did not refuse', () => {
    const rate = new SendRate();
    // 100 requests in a second, of which 80 were refused.
    for (let i = 1; i <= 100; i++) rate.send(i * 10);
    for (let i = 1; i <= 80; i++) rate.refused(i * 10);
    rate.throttled(1000, 0);
    near(rate.requestsPerSecond, 14);
    // The plateau of the cubic is the rate not refused, not the rate sent.
    near(rate.throttledAt, 20);
  });

  it('spaces requests by the rate from the cut on, letting two go back to back at most', () => {
    const rate = new SendRate();
    rate.throttled(1000, sendOver(rate, 10, 0, 1000));
    // About 7 requests/s, and no token at the cut: the server's bucket has just run dry.
    near(rate.requestsPerSecond, 7.7);
    expect(rate.delayMs(1000)).toBeCloseTo(1000 / (rate.requestsPerSecond ?? 0), 6);
    expect(rate.delayMs(10_000)).toBe(0);
    rate.send(10_000);
    rate.send(10_000);
    expect(rate.delayMs(10_000)).toBeGreaterThan(0);
  });
});
