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
    rate.throttled(1000, epoch, false);
    near(rate.requestsPerSecond, 35);
    const cut = rate.requestsPerSecond ?? 0;
    rate.throttled(1001, epoch, false);
    expect(rate.requestsPerSecond).toBe(cut);
    // A request sent after the cut and throttled cuts again.
    rate.throttled(1100, rate.send(1050), false);
    expect(rate.requestsPerSecond).toBeLessThan(cut);
  });

  it('grows back along a cubic: below the cut rate at first, level with it after its plateau, above it later', () => {
    const rate = new SendRate();
    rate.throttled(1000, sendOver(rate, 50, 0, 1000), false);
    const at = (ms: number): number => {
      rate.succeeded(ms, sendOver(rate, 100, ms - 1000, ms));
      return rate.requestsPerSecond ?? Number.NaN;
    };
    // The plateau is cbrt(50 × 0.3 / 4) ≈ 1.55 s after the cut.
    expect(at(1500)).toBeLessThan(50);
    near(at(2554), 50);
    expect(at(4000)).toBeGreaterThan(50);
  });

  it('never grows above twice the rate actually sent, nor above the ceiling the headers give', () => {
    const rate = new SendRate();
    rate.throttled(1000, sendOver(rate, 50, 0, 1000), false);
    rate.succeeded(10_000, sendOver(rate, 10, 9000, 10_000));
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
    rate.throttled(1001, before, false);
    expect(rate.requestsPerSecond).toBe(30);
  });

  it('cuts a storm in which most requests were refused to 70% of what the server did not refuse', () => {
    const rate = new SendRate();
    // 100 requests in a second, of which 80 were refused, the headers saying the bucket is spent:
    // the first 429 cuts to 70% of the 99 a second not refused so far, the others of that round nothing.
    const epoch = sendOver(rate, 100, 0, 1000);
    for (let i = 0; i < 80; i++) expect(rate.refused(1000, epoch, true)).toBe(true);
    near(rate.requestsPerSecond, 69.3);
    // A request sent after the cut and refused cuts to 70% of the 21 a second the server did not refuse.
    rate.refused(1000, rate.send(1000), true);
    near(rate.requestsPerSecond, 14.7);
    // The plateau of the cubic is the rate not refused, not the rate sent.
    near(rate.throttledAt, 21);
  });

  it('spaces requests by the rate from the cut on, letting two go back to back at most', () => {
    const rate = new SendRate();
    rate.throttled(1000, sendOver(rate, 10, 0, 1000), false);
    // About 7 requests/s, and no token at the cut: the server's bucket has just run dry.
    near(rate.requestsPerSecond, 7.7);
    expect(rate.delayMs(1000)).toBeCloseTo(1000 / (rate.requestsPerSecond ?? 0), 6);
    expect(rate.delayMs(10_000)).toBe(0);
    rate.send(10_000);
    rate.send(10_000);
    expect(rate.delayMs(10_000)).toBeGreaterThan(0);
  });
});

describe('SendRate: a cut on trial', () => {
  /** Sends `n` requests `gapMs` apart after `fromMs`, each answered at once, a 429 where `refuse(i)`; returns the last time. */
  const answer = (rate: SendRate, n: number, fromMs: number, gapMs: number, refuse: (i: number) => boolean): number => {
    let t = fromMs;
    for (let i = 0; i < n; i++) {
      t += gapMs;
      const epoch = rate.send(t);
      if (refuse(i)) rate.refused(t, epoch, false);
      else rate.succeeded(t, epoch);
    }
    return t;
  };
  /** 8% of the answers refused, never two within 16 answers: noise that clusters nowhere. */
  const noise = (i: number): boolean => i % 12 === 11;
  const none = (): boolean => false;
  /** 300 answers of noise and 16 without, then three requests at once, all refused: a cluster, which cuts the rate on trial. */
  const cutOnTrial = (rate: SendRate): number => {
    const t = answer(rate, 16, answer(rate, 300, 0, 10, noise), 10, none) + 10;
    const epochs = [rate.send(t), rate.send(t), rate.send(t)];
    expect(epochs.map((epoch) => rate.refused(t + 5, epoch, false))).toEqual([false, false, true]);
    expect(rate.requestsPerSecond).toBeGreaterThan(0);
    return t + 5;
  };

  it('undoes the cut when the share of 429s did not fall at the lower rate: noise, not a limit', () => {
    const rate = new SendRate();
    const t = answer(rate, 31, cutOnTrial(rate), 10, noise);
    expect(rate.requestsPerSecond).toBeGreaterThan(0);
    // The 32nd answer since the cut: 2 of 32 refused, against 22 of the 256 before: it did not fall by half.
    answer(rate, 1, t, 10, none);
    expect(rate.requestsPerSecond).toBeUndefined();
    expect(rate.throttledAt).toBeUndefined();
  });

  it('keeps the cut when the share of 429s fell at the lower rate: a limit', () => {
    const rate = new SendRate();
    answer(rate, 32, cutOnTrial(rate), 10, none);
    expect(rate.requestsPerSecond).toBeGreaterThan(0);
  });

  it('keeps the cut when a single 429 came on trial, though its share did not fall: one 429 proves nothing', () => {
    const rate = new SendRate();
    // Before the cluster, no 429 at all: 3 of 256. One of the 32 on trial is more, but one.
    const t = answer(rate, 300, 0, 10, none) + 10;
    const epochs = [rate.send(t), rate.send(t), rate.send(t)];
    epochs.forEach((epoch) => rate.refused(t + 5, epoch, false));
    answer(rate, 32, t + 5, 10, (i) => i === 15);
    expect(rate.requestsPerSecond).toBeGreaterThan(0);
  });

  it('keeps the rate on trial between the cut and 90% of the rate throttled, whatever the successes', () => {
    const rate = new SendRate();
    const t = cutOnTrial(rate);
    const cut = rate.requestsPerSecond ?? 0;
    answer(rate, 31, t + 10_000, 10, none);
    expect(rate.requestsPerSecond).toBeGreaterThanOrEqual(cut);
    expect(rate.requestsPerSecond).toBeLessThanOrEqual(0.9 * (rate.throttledAt ?? 0));
  });

  it('reads the 429s as noise for 10 s once a trial found them so: a cluster cuts nothing', () => {
    const rate = new SendRate();
    let t = answer(rate, 32, cutOnTrial(rate), 10, noise);
    expect(rate.requestsPerSecond).toBeUndefined();
    t = answer(rate, 3, t, 10, () => true);
    expect(rate.requestsPerSecond).toBeUndefined();
    // Ten seconds after the verdict, a cluster cuts again, on trial again.
    t = answer(rate, 30, t + 10_000, 10, none);
    answer(rate, 3, t, 10, () => true);
    expect(rate.requestsPerSecond).toBeGreaterThan(0);
  });

  it('reads a share of 429s climbing to twice the share the trial measured as no noise: a cluster cuts', () => {
    const rate = new SendRate();
    const t = answer(rate, 32, cutOnTrial(rate), 10, noise);
    expect(rate.requestsPerSecond).toBeUndefined();
    // Every other answer refused: within 10 s, the share of the last 256 passes twice the noise's.
    answer(rate, 80, t, 10, (i) => i % 2 === 0);
    expect(rate.requestsPerSecond).toBeGreaterThan(0);
  });

  it('cuts again when more than a third of the first answers on trial, and four, are 429s: a limit the cut did not reach', () => {
    const rate = new SendRate();
    const t = answer(rate, 3, cutOnTrial(rate), 10, none);
    const cut = rate.requestsPerSecond ?? 0;
    const epoch = rate.send(t + 10);
    expect([1, 2, 3].map((i) => rate.refused(t + 10 + i, epoch, false))).toEqual([false, false, false]);
    expect(rate.refused(t + 14, epoch, false)).toBe(true);
    expect(rate.requestsPerSecond).toBeLessThan(cut);
  });

  it('puts no cut on trial that a storm or the headers called for: the noise after it undoes nothing', () => {
    const storm = new SendRate();
    answer(storm, 32, answer(storm, 6, answer(storm, 300, 0, 10, noise), 10, () => true), 10, noise);
    expect(storm.requestsPerSecond).toBeGreaterThan(0);
    const spent = new SendRate();
    const t = answer(spent, 300, 0, 10, noise);
    spent.refused(t + 10, spent.send(t + 10), true);
    answer(spent, 32, t + 10, 10, noise);
    expect(spent.requestsPerSecond).toBeGreaterThan(0);
  });
});
