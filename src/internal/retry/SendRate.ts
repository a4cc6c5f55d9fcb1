/**
 * The send rate a client learns from the server's throttling: a token bucket
 * whose refill rate follows a CUBIC curve, as in TCP CUBIC and the AWS SDK's
 * adaptive retry mode. It starts unlimited. A throttle (a 429 that shows a
 * limit) cuts the rate to `BETA` times the rate the client was actually
 * sending, or of the rate the server did not refuse, if lower (as TCP Westwood
 * sets its window from the rate delivered): a storm in which most requests were
 * refused teaches the limit at once, not in a cut of 30% per round trip.
 * Successes grow it back along a cubic, fast at first, flat near the rate that
 * was throttled, then faster again to probe for more. Rate-limit headers, when
 * they describe a sustained rate, set a ceiling it never grows past.
 *
 * Every method takes the time as a parameter, so the controller is a pure
 * state machine: the gate brings the clock, tests bring numbers.
 */
export class SendRate {
  /** Requests per second, `undefined` until the first throttle: no limit until the server shows one. */
  private rate: number | undefined;
  private tokens = 0;
  private tokensAtMs = 0;
  /** The rate of the last cut, the plateau of the cubic. */
  private rateAtCut = 0;
  private cutAtMs = 0;
  /** Counts cuts, and the rate's start from the headers; a request sent before the last cannot call for another. */
  private epoch = 0;
  private ceiling = Number.POSITIVE_INFINITY;
  private cuts = 0;
  /** Send times within the last `MEASURE_WINDOW_MS`, oldest first. */
  private readonly sent: number[] = [];
  /** Times of the 429s, noise included, within the last `MEASURE_WINDOW_MS`, oldest first. */
  private readonly refusals: number[] = [];
  private firstSentMs: number | undefined;

  /** The current limit in requests per second, or `undefined` while there is none. */
  get requestsPerSecond(): number | undefined {
    return this.rate;
  }

  /**
   * How long a request must wait for a token.
   *
   * @param nowMs The current time.
   * @returns Milliseconds; 0 when a request may go now.
   */
  delayMs(nowMs: number): number {
    if (this.rate === undefined) return 0;
    this.refill(nowMs);
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.rate) * 1000;
  }

  /**
   * Records a request sent now, taking a token when there is a limit.
   *
   * @param nowMs The current time.
   * @returns The epoch it was sent in, to give back to {@link SendRate.throttled}.
   */
  send(nowMs: number): number {
    this.firstSentMs ??= nowMs;
    this.sent.push(nowMs);
    forget(this.sent, nowMs);
    if (this.rate !== undefined) {
      this.refill(nowMs);
      this.tokens -= 1;
    }
    return this.epoch;
  }

  /**
   * A request sent in `epoch` was throttled. The rate is cut once per round of
   * requests, as TCP cuts once per loss event: the 429s of requests that left
   * before the last cut say nothing new, since they were sent too fast for a
   * rate the client no longer has.
   *
   * @param nowMs The current time.
   * @param epoch What {@link SendRate.send} returned for the request.
   */
  throttled(nowMs: number, epoch: number): void {
    if (epoch !== this.epoch) return;
    this.refill(nowMs);
    // What the server did not refuse of what the client sent: a storm in which most requests were
    // refused names the limit at once.
    const sending = Math.min(this.rate ?? Number.POSITIVE_INFINITY, this.sending(nowMs) - this.perSecond(this.refusals, nowMs));
    this.rateAtCut = Math.max(MIN_RATE, sending);
    this.rate = Math.max(MIN_RATE, sending * BETA);
    // The server's bucket is empty now: a request sent at once would be throttled again, and
    // cut the rate a second time for the same overrun.
    this.tokens = 0;
    this.cutAtMs = nowMs;
    this.epoch += 1;
    this.cuts += 1;
  }

  /**
   * A request was answered 429, noise or not: it counts against the rate the server accepts.
   *
   * @param nowMs The current time.
   */
  refused(nowMs: number): void {
    this.refusals.push(nowMs);
    forget(this.refusals, nowMs);
  }

  /**
   * A request succeeded: the rate follows the cubic, never above twice the
   * rate actually sent (a rate the client does not use proves nothing) nor
   * above the headers' ceiling.
   *
   * @param nowMs The current time.
   */
  succeeded(nowMs: number): void {
    if (this.rate === undefined) return;
    this.refill(nowMs);
    const seconds = (nowMs - this.cutAtMs) / 1000;
    const cubic = CUBIC_SCALE * (seconds - plateauAfterS(this.rateAtCut)) ** 3 + this.rateAtCut;
    this.rate = Math.max(MIN_RATE, Math.min(cubic, 2 * this.sending(nowMs), this.ceiling));
  }

  /**
   * Sets the ceiling: the sustained rate rate-limit headers describe. Until
   * the first throttle, it is also the rate: requests are paced at it from
   * now on, as if the cubic had reached its plateau there, so that a short job
   * meets the limit without a burst of 429s first. The requests sent before
   * are a round of their own: their 429s say only that they went unpaced.
   *
   * @param requestsPerSecond The rate, or `Infinity` for none.
   * @param nowMs The current time.
   */
  limitTo(requestsPerSecond: number, nowMs: number): void {
    this.ceiling = Math.max(MIN_RATE, requestsPerSecond);
    if (this.rate !== undefined) {
      this.rate = Math.min(this.rate, this.ceiling);
      return;
    }
    if (!Number.isFinite(this.ceiling)) return;
    this.rate = this.ceiling;
    this.tokens = 1;
    this.tokensAtMs = nowMs;
    this.rateAtCut = this.ceiling;
    this.cutAtMs = nowMs - plateauAfterS(this.ceiling) * 1000;
    this.epoch += 1;
  }

  /** The rate the last throttle found too fast, in requests per second; `undefined` before the first. */
  get throttledAt(): number | undefined {
    return this.rate === undefined || this.cuts === 0 ? undefined : this.rateAtCut;
  }

  /**
   * Requests per second sent over the last second (or since the first send, if more recent).
   *
   * @param nowMs The current time.
   * @returns The rate measured.
   */
  sending(nowMs: number): number {
    return this.perSecond(this.sent, nowMs);
  }

  /** Events per second over the last `MEASURE_WINDOW_MS`, or since the first send if more recent. */
  private perSecond(times: number[], nowMs: number): number {
    forget(times, nowMs);
    const spanMs = Math.min(MEASURE_WINDOW_MS, Math.max(MIN_MEASURE_SPAN_MS, nowMs - (this.firstSentMs ?? nowMs)));
    return (times.length / spanMs) * 1000;
  }

  private refill(nowMs: number): void {
    if (this.rate !== undefined && nowMs > this.tokensAtMs) {
      this.tokens = Math.min(BUCKET_TOKENS, this.tokens + ((nowMs - this.tokensAtMs) / 1000) * this.rate);
    }
    this.tokensAtMs = Math.max(this.tokensAtMs, nowMs);
  }
}

/** Drops the times older than `MEASURE_WINDOW_MS`. */
function forget(times: number[], nowMs: number): void {
  let old = 0;
  while (old < times.length && (times[old] ?? nowMs) <= nowMs - MEASURE_WINDOW_MS) old += 1;
  if (old > 0) times.splice(0, old);
}

/** Seconds after a cut from `rateAtCut` until the cubic is level with it again. */
function plateauAfterS(rateAtCut: number): number {
  return Math.cbrt((rateAtCut * (1 - BETA)) / CUBIC_SCALE);
}

/** The cut on a throttle: to 70% of the rate sent, as TCP CUBIC and the AWS SDK do. */
const BETA = 0.7;
/**
 * How fast the rate grows back, in requests/s per s³. TCP's 0.4 is sized for
 * windows of packets and round trips of 100 ms; at 4 the cubic regains a cut
 * rate of 50 requests/s in about 1.5 s, short against a walk of minutes.
 */
const CUBIC_SCALE = 4;
/** The slowest the rate goes: one request every two seconds. */
const MIN_RATE = 0.5;
/** At most this many requests leave back to back: a late timer may catch up one. */
const BUCKET_TOKENS = 2;
/** The send rate is measured over the last second. */
const MEASURE_WINDOW_MS = 1000;
/**
 * ... but never over less than 20 ms, so that a burst of requests sent at once reads as a high
 * rate rather than an infinite one. High is right: the first cut then starts above the limit and
 * the next 429s bring it down to the limit within a few round trips, whereas a rate read too low
 * would leave the cubic's plateau below the limit for seconds.
 */
const MIN_MEASURE_SPAN_MS = 20;
