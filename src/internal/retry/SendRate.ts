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
 * A cut that statistics called for (429s that cluster, or come back at the rate
 * last throttled) is put on trial, since heavy noise clusters too, unless it
 * came in a storm: for the next {@link TRIAL_ANSWERS} answers to requests sent
 * after it, the rate stays between the cut and 90% of the rate throttled, and
 * then the 429 share among them is compared with the share before the cut. A
 * limit's share falls at the lower rate; noise's does not, since the rate does
 * not cause it. When it did not fall by half, the cut is undone, as TCP CUBIC
 * restores its window after a spurious congestion event (RFC 9438, section
 * 4.9), and for {@link NOISE_HOLD_MS} no cluster calls for a cut, unless the
 * share of 429s climbs to twice the share measured. A controlled experiment,
 * as Envoy's adaptive concurrency measures its baseline at a pinned low
 * concurrency: a single 429, or a cluster, cannot tell noise from a limit.
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
  /** The last `SHARE_WINDOW` answers in a ring, each {@link SUCCEEDED}, {@link REFUSED} or {@link REFUSED_AGAIN}; the answer `n` is at `n % SHARE_WINDOW`. */
  private readonly answers = new Uint8Array(SHARE_WINDOW);
  private answerCount = 0;
  /** How many of the answers in the ring are 429s. */
  private windowRefused = 0;
  /** The cut on trial, if one is. */
  private trial: Trial | undefined;
  /** Until when the 429s are noise, after a trial found them so; and the share of 429s measured before and during it. */
  private noiseUntilMs = Number.NEGATIVE_INFINITY;
  private noiseShare = 0;

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
   * @returns The epoch it was sent in, to give back to {@link SendRate.refused} or {@link SendRate.succeeded} with its answer.
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
   * A request sent in `epoch` was answered 429: counts it against the rate the
   * server accepts, decides whether it shows a limit, and if so cuts the rate.
   *
   * It shows a limit when the headers say the bucket is spent; otherwise, by
   * statistics, when it clusters (among the last {@link CLUSTER_ANSWERS}
   * answers, this one included, are the 429s of at least {@link CLUSTER_429S}
   * requests, or it is the {@link CLUSTER_429S}th 429 of its own request: the
   * retries of a request refused before add no request) or persists as the
   * rate rises (the client sends at least as fast as the rate a limit last
   * throttled). The 429s of requests sent since a cut on trial are the
   * trial's evidence, and show no limit but one: once at least
   * {@link TRIAL_CLUSTER_429S}, and more than {@link MAX_NOISE_SHARE}, of its
   * answers are 429s, the cut was too small for a limit, and the rate is cut
   * again.
   * For 10 s after a trial has found noise, statistics show no limit, unless
   * the share of 429s climbs to twice the share measured before and during
   * the trial.
   *
   * @param nowMs The current time.
   * @param epoch What {@link SendRate.send} returned for the request.
   * @param spent Whether the headers say the server's bucket is spent: a limit, no trial needed.
   * @param requestRefusals How many attempts of the same request were answered 429, this one included.
   * @returns Whether the 429 showed a limit (a cut, or one already made for its round); `false` for noise.
   */
  refused(nowMs: number, epoch: number, spent: boolean, requestRefusals = 1): boolean {
    this.refusals.push(nowMs);
    forget(this.refusals, nowMs);
    this.answered(requestRefusals > 1 ? REFUSED_AGAIN : REFUSED);
    const limit = spent || this.showsLimit(nowMs, epoch, requestRefusals);
    if (limit) this.throttled(nowMs, epoch, !spent);
    return limit;
  }

  /**
   * Cuts the rate for a request sent in `epoch` that was throttled. The rate
   * is cut once per round of requests, as TCP cuts once per loss event: the
   * 429s of requests that left before the last cut say nothing new, since
   * they were sent too fast for a rate the client no longer has.
   *
   * @param nowMs The current time.
   * @param epoch What {@link SendRate.send} returned for the request.
   * @param onTrial Whether the cut is a trial (see {@link SendRate}): statistics called for it, not the headers.
   */
  throttled(nowMs: number, epoch: number, onTrial: boolean): void {
    if (epoch !== this.epoch) return;
    this.refill(nowMs);
    const before = { rate: this.rate, rateAtCut: this.rateAtCut, cutAtMs: this.cutAtMs, cuts: this.cuts };
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
    // A cut ends a time of noise: the headers, or a share of 429s that rose, showed a limit.
    this.noiseUntilMs = Number.NEGATIVE_INFINITY;
    // A storm is a limit: noise does not refuse that many. A cut on a cut on trial replaces it, and
    // would undo what the first replaced.
    const storm = this.recent(CLUSTER_ANSWERS, (answer) => answer !== SUCCEEDED) > CLUSTER_ANSWERS * MAX_NOISE_SHARE;
    const prior = this.trial?.prior ?? before;
    // Like is compared with like: the share before is counted over at least as many answers as the trial's.
    const answeredBefore = Math.min(Math.max(this.answerCount, TRIAL_ANSWERS), SHARE_WINDOW);
    this.trial = onTrial && !storm ? { epoch: this.epoch, prior, refusedBefore: this.windowRefused, answeredBefore, refused: 0, answered: 0 } : undefined;
  }

  /**
   * A request sent in `epoch` succeeded: the rate follows the cubic, never
   * above twice the rate actually sent (a rate the client does not use proves
   * nothing) nor above the headers' ceiling. While a cut is on trial, it grows
   * no further than 90% of the rate throttled, and never falls.
   *
   * @param nowMs The current time.
   * @param epoch What {@link SendRate.send} returned for the request.
   */
  succeeded(nowMs: number, epoch: number): void {
    this.answered(SUCCEEDED);
    const trial = this.trial;
    if (trial !== undefined && epoch === trial.epoch) {
      trial.answered += 1;
      this.judge(trial, nowMs);
    }
    if (this.rate === undefined) return;
    this.refill(nowMs);
    const seconds = (nowMs - this.cutAtMs) / 1000;
    const cubic = CUBIC_SCALE * (seconds - plateauAfterS(this.rateAtCut)) ** 3 + this.rateAtCut;
    this.rate =
      this.trial === undefined
        ? Math.max(MIN_RATE, Math.min(cubic, 2 * this.sending(nowMs), this.ceiling))
        : Math.max(this.rate, Math.min(cubic, TRIAL_CEILING * this.rateAtCut, this.ceiling));
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

  /** Whether a 429 of a request sent in `epoch` shows a limit by statistics: see {@link SendRate.refused}. */
  private showsLimit(nowMs: number, epoch: number, requestRefusals: number): boolean {
    const trial = this.trial;
    if (trial !== undefined && epoch === trial.epoch) {
      trial.refused += 1;
      trial.answered += 1;
      if (trial.refused >= TRIAL_CLUSTER_429S && trial.refused > trial.answered * MAX_NOISE_SHARE) return true;
      this.judge(trial, nowMs);
      return false;
    }
    if (nowMs < this.noiseUntilMs && this.windowRefused <= NOISE_RISE * this.noiseShare * Math.min(this.answerCount, SHARE_WINDOW)) return false;
    this.noiseUntilMs = Number.NEGATIVE_INFINITY;
    const throttledAt = this.throttledAt;
    // A cluster counts requests refused, not refusals. A retry leaves soon after its 429, for the
    // same key, perhaps to the same shard: refused again, it repeats what its first 429 said, of
    // that request rather than of the rate. A limit refuses many requests; when a few in a hundred
    // are refused at random, one refused twice is one unlucky request, and with one other among 16
    // answers it read as a cluster and cut a fast walk's rate (docs/performance.md, scenario 8).
    // A request refused a third time is one that nothing lets through, a hundred times rarer under
    // such noise than two other requests refused among 16 answers: a limit, when it is the only
    // request in flight, which a server that refuses everything must not be left to hammer.
    const requestsRefused = this.recent(CLUSTER_ANSWERS, (answer) => answer === REFUSED);
    const clusters = requestsRefused >= CLUSTER_429S || requestRefusals >= CLUSTER_429S;
    return clusters || (throttledAt !== undefined && this.sending(nowMs) >= throttledAt);
  }

  /**
   * Ends a trial once it has its {@link TRIAL_ANSWERS} answers. When the share
   * of 429s fell by half or more at the lower rate, or fewer than
   * {@link MIN_NOISE_429S} of them came, the cut stands: a limit, and the cubic
   * goes on from it. When it did not, the 429s do not come from the rate: the
   * cut is undone, and they are noise for a while.
   */
  private judge(trial: Trial, nowMs: number): void {
    if (trial.answered < TRIAL_ANSWERS) return;
    this.trial = undefined;
    if (trial.refused < MIN_NOISE_429S || trial.refused / trial.answered < (trial.refusedBefore / trial.answeredBefore) * FALLEN_SHARE) return;
    const { prior } = trial;
    const rate = Math.min(prior.rate ?? Number.POSITIVE_INFINITY, this.ceiling);
    this.rate = Number.isFinite(rate) ? rate : undefined;
    this.rateAtCut = prior.rateAtCut;
    this.cutAtMs = prior.cutAtMs;
    this.cuts = prior.cuts;
    this.noiseUntilMs = nowMs + NOISE_HOLD_MS;
    this.noiseShare = (trial.refusedBefore + trial.refused) / (trial.answeredBefore + trial.answered);
  }

  private answered(answer: number): void {
    const slot = this.answerCount % SHARE_WINDOW;
    this.windowRefused += Number(answer !== SUCCEEDED) - Number((this.answers[slot] ?? SUCCEEDED) !== SUCCEEDED);
    this.answers[slot] = answer;
    this.answerCount += 1;
  }

  /** How many of the last `n` answers (at most `SHARE_WINDOW`) are `counted`. */
  private recent(n: number, counted: (answer: number) => boolean): number {
    let count = 0;
    for (let i = Math.max(0, this.answerCount - n); i < this.answerCount; i++) count += Number(counted(this.answers[i % SHARE_WINDOW] ?? SUCCEEDED));
    return count;
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
/** In the ring of answers: a success, the first 429 of a request, and a 429 of a request refused before (a retry). */
const SUCCEEDED = 0;
const REFUSED = 1;
const REFUSED_AGAIN = 2;
/** How many of the last answers the rate remembers, to tell a cluster of 429s from an isolated one. */
const CLUSTER_ANSWERS = 16;
/** The 429s of this many requests among the last {@link CLUSTER_ANSWERS} answers show a limit, as do this many of one request. */
const CLUSTER_429S = 3;
/**
 * The 429 share before a cut is measured over the last 256 answers, 429s and successes: long
 * enough that the cluster that called for the cut does not pass for the share of noise.
 */
const SHARE_WINDOW = 256;
/** A trial lasts this many answers to requests sent after the cut. */
const TRIAL_ANSWERS = 32;
/** On trial, the rate grows back along the cubic up to 90% of the rate throttled: a lower rate, still. */
const TRIAL_CEILING = 0.9;
/** A limit's share of 429s falls at least by half once the rate is cut; noise's does not. */
const FALLEN_SHARE = 0.5;
/**
 * A trial finds noise only in two 429s or more: a single one proves nothing, and a cut that one
 * 429 at the rate last throttled called for has a share before it of one in 256.
 */
const MIN_NOISE_429S = 2;
/**
 * More than a third of the answers refused is no noise: among the last {@link CLUSTER_ANSWERS}
 * before a cut, a storm, which needs no trial; among a trial's, once at least
 * {@link TRIAL_CLUSTER_429S}, a limit the cut did not reach.
 */
const MAX_NOISE_SHARE = 1 / 3;
const TRIAL_CLUSTER_429S = 4;
/** How long the 429s are noise once a trial found them so. */
const NOISE_HOLD_MS = 10_000;
/** ... unless their share over the last {@link SHARE_WINDOW} answers climbs to twice the share measured before and during the trial. */
const NOISE_RISE = 2;

/** A cut on trial: what it replaced, and what the answers said before it and since. */
interface Trial {
  /** The epoch the cut began: the answers to requests sent in it are the trial's. */
  readonly epoch: number;
  readonly prior: { readonly rate: number | undefined; readonly rateAtCut: number; readonly cutAtMs: number; readonly cuts: number };
  readonly refusedBefore: number;
  readonly answeredBefore: number;
  refused: number;
  answered: number;
}
