import { asyncScheduler, finalize, Observable, switchMap, tap, type SchedulerLike, type Subscription } from 'rxjs';
import { DEFAULTS } from '../defaults';
import type { HttpResponse } from '../internal/fetch/httpRequest';
import { boundedDelay } from '../internal/retry/boundedDelay';
import { parseDuration } from '../internal/retry/parseDuration';
import { SendRate } from '../internal/retry/SendRate';
import { serverRetryAfterMs } from '../internal/retry/serverRetryAfterMs';
import { WaitBudgetSpent, type WaitBudget } from '../internal/retry/WaitBudget';

/** Options of a {@link RateLimitGate}; every one is optional. */
export interface RateLimitGateOptions {
  /**
   * The longest wait the gate takes from the server. A wait a 429 asks for above it pauses nothing
   * (the request that got it fails, see `retry.maxRetryAfterMs`); a wait derived from
   * `x-ratelimit-*` headers above it is not waited out: the request goes anyway.
   *
   * @default DEFAULTS.retry.maxRetryAfterMs
   */
  readonly maxRetryAfterMs?: number | undefined;
  /**
   * Clock and timers; a TestScheduler in tests.
   *
   * @default `asyncScheduler`
   */
  readonly scheduler?: SchedulerLike | undefined;
  /**
   * Jitter source, numbers in [0, 1).
   *
   * @default `Math.random`
   */
  readonly random?: (() => number) | undefined;
}

/**
 * The rate-limit gate every request of a client goes through, so that
 * concurrent walks act as one polite caller instead of several impolite ones.
 * One client has one; clients that share a limit (the same organisation, in
 * one process) may share one through `createClient({ rateLimitGate })`.
 *
 * It learns from what the server does, and takes its headers as hints:
 * - **Throttling is the truth, noise is not.** A 429 that shows a limit (it
 *   clusters with the 429s of other requests, comes as the rate rises past the
 *   last throttled one, or the headers say the bucket is spent) cuts the
 *   gate's send rate to 70% of the rate it was sending, or of the rate the
 *   server accepted if lower; successes grow it back along a cubic curve.
 *   Requests then leave spaced by that rate, at most two back to back,
 *   whatever the headers say. An isolated 429 is noise: it cuts nothing. A cut
 *   that a cluster or a rising rate called for is a trial: if the share of
 *   429s does not fall at the lower rate, they were noise, the cut is undone
 *   and, for 10 s, no cluster cuts again unless that share doubles
 *   (docs/retries.md, "Noise or a limit").
 * - **Asked waits pause everyone.** A response that asks for a wait
 *   (`retry-after-ms`, `retry-after`), but a 429 read as noise (isolated, or
 *   while noise was found), holds every request of the gate that long, plus
 *   up to 25% more at random, so that processes sharing a limit do not resume
 *   in step. When the pause ends, the waiting requests leave one by one at
 *   the learned rate: no herd.
 * - **Headers are hints.** `x-ratelimit-remaining-requests`,
 *   `x-ratelimit-limit-requests` and `x-ratelimit-reset-requests` pace requests
 *   before a 429 happens: once the server says its bucket is empty, requests
 *   are spaced by the refill interval `reset / (limit − remaining)`, stretched
 *   5%. When they describe a sustained rate (a budget per minute, as
 *   OpenAI's do, is `limit / 60` requests a second), requests are paced at it
 *   from then on, and the learned rate never grows past it. A header-derived
 *   wait longer than `maxRetryAfterMs` is not believed: the request goes, and
 *   a real limit answers 429.
 *
 * No timer it sets is longer than `2^31 − 1` ms, the most a Node timer holds.
 * Requests that must wait queue up, first come first served; one that leaves
 * the queue (a `take` satisfied, an abort) costs the others nothing.
 *
 * ## Example
 * ```ts
 * import { RateLimitGate, createClient } from 'rx-stored-completions';
 *
 * const rateLimitGate = new RateLimitGate();
 * const exporter = createClient({ rateLimitGate });
 * const auditor = createClient({ rateLimitGate }); // same organisation, same limit
 * ```
 */
export class RateLimitGate {
  private pausedUntilMs = 0;
  private budget = Number.POSITIVE_INFINITY;
  private refillIntervalMs = 0;
  private nextSlotMs = 0;
  private inFlight = 0;
  private readonly sendRate = new SendRate();
  /** Requests waiting for admission, first come first served; each entry admits its request. */
  private readonly queue: Array<() => void> = [];
  private wakeUp: Subscription | undefined;
  private readonly maxRetryAfterMs: number;
  private readonly scheduler: SchedulerLike;
  private readonly random: () => number;

  /**
   * @param options See {@link RateLimitGateOptions}.
   */
  constructor(options: RateLimitGateOptions = {}) {
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULTS.retry.maxRetryAfterMs;
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.random = options.random ?? Math.random;
  }

  /** The send rate learned from throttling, in requests per second; `undefined` until the first 429. */
  get requestsPerSecond(): number | undefined {
    return this.sendRate.requestsPerSecond;
  }

  /**
   * Sends `request` when the gate allows it, and learns from its response.
   *
   * @param request A cold request; subscribed once admitted.
   * @param budget The wait budget of the request this attempt belongs to (the
   *   client's own requests pass theirs): the time the attempt queues here and,
   *   when it is answered 429, its round trip are spent from it, and when it
   *   runs out in the queue the attempt leaves at once (see `docs/retries.md`).
   *   It also tells the attempts of one request from those of others: a
   *   request's 429s count as one request refused toward a cluster, until its
   *   third. Without it, each attempt counts alone.
   * @returns The request, delayed as the gate requires.
   */
  through(request: Observable<HttpResponse>, budget?: WaitBudget): Observable<HttpResponse> {
    return this.admission(budget).pipe(
      switchMap((epoch) => {
        const sentAtMs = this.scheduler.now();
        this.inFlight += 1;
        let settled = false;
        const settle = (): void => {
          if (!settled) this.inFlight -= 1;
          settled = true;
        };
        return request.pipe(
          tap((response) => {
            settle();
            this.observe(response, epoch, sentAtMs, budget);
          }),
          finalize(settle),
        );
      }),
    );
  }

  /**
   * Holds every request of the gate for `ms` from now, plus up to 25% at
   * random; a wait above `maxRetryAfterMs` is not taken.
   *
   * @param ms How long to hold, in milliseconds.
   */
  pause(ms: number): void {
    if (!(ms <= this.maxRetryAfterMs)) return;
    const until = this.scheduler.now() + ms * (1 + PAUSE_JITTER_RATIO * this.random());
    this.pausedUntilMs = Math.max(this.pausedUntilMs, until);
    if (this.queue.length > 0) this.rescheduleWakeUp();
  }

  /**
   * Emits the send epoch once when the request may go, see {@link SendRate.send}.
   * A request that waits spends its budget meanwhile; when that runs out, its
   * first attempt goes at once (once: what the server answers is the truth), a
   * later one fails with {@link WaitBudgetSpent}.
   */
  private admission(budget: WaitBudget | undefined): Observable<number> {
    return new Observable<number>((subscriber) => {
      const queuedAtMs = this.scheduler.now();
      let deadline: Subscription | undefined;
      const leave = (): void => {
        deadline?.unsubscribe();
        const index = this.queue.indexOf(admit);
        if (index !== -1) this.queue.splice(index, 1);
        if (this.queue.length === 0) this.cancelWakeUp();
        budget?.spend(this.scheduler.now() - queuedAtMs);
      };
      const admit = (): void => {
        leave();
        budget?.admitted();
        subscriber.next(this.take());
        subscriber.complete();
      };
      if (this.queue.length === 0 && this.waitMs() === 0) {
        admit();
        return undefined;
      }
      this.queue.push(admit);
      this.scheduleWakeUp();
      if (budget !== undefined) {
        deadline = this.scheduler.schedule(() => {
          if (budget.sent === 0) return admit();
          leave();
          subscriber.error(new WaitBudgetSpent());
        }, boundedDelay(budget.remainingMs));
      }
      return () => {
        if (this.queue.includes(admit)) leave();
      };
    });
  }

  /** How long the next request must wait: for the pause, the headers' next slot and a token of the send rate. */
  private waitMs(): number {
    const now = this.scheduler.now();
    const headerWait = this.budget <= 0 && this.refillIntervalMs > 0 ? this.nextSlotMs - now : 0;
    return Math.max(0, this.pausedUntilMs - now, headerWait, this.sendRate.delayMs(now));
  }

  /** Spends a token; the one who takes the last, or one on credit, pushes the next slot a refill interval on. */
  private take(): number {
    const now = this.scheduler.now();
    this.budget -= 1;
    if (this.budget <= 0 && this.refillIntervalMs > 0) {
      this.nextSlotMs = Math.max(this.nextSlotMs, now) + this.refillIntervalMs;
    }
    return this.sendRate.send(now);
  }

  private admitWaiting(): void {
    while (this.queue.length > 0 && this.waitMs() === 0) this.queue.shift()?.();
    if (this.queue.length > 0) this.scheduleWakeUp();
  }

  private scheduleWakeUp(): void {
    if (this.wakeUp !== undefined) return;
    this.wakeUp = this.scheduler.schedule(() => {
      this.wakeUp = undefined;
      this.admitWaiting();
    }, boundedDelay(Math.ceil(this.waitMs())));
  }

  private rescheduleWakeUp(): void {
    this.cancelWakeUp();
    this.scheduleWakeUp();
  }

  private cancelWakeUp(): void {
    this.wakeUp?.unsubscribe();
    this.wakeUp = undefined;
  }

  private observe(response: HttpResponse, epoch: number, sentAtMs: number, budget: WaitBudget | undefined): void {
    const now = this.scheduler.now();
    const { headers } = response;
    const refused = response.status === 429;
    const spent = count(headers['x-ratelimit-remaining-requests']) === 0;
    const noise = refused && !this.sendRate.refused(now, epoch, spent, (budget?.refusedCount ?? 0) + 1);
    if (refused) {
      budget?.spend(now - sentAtMs);
      budget?.refused429(noise);
    } else if (response.status < 400) this.sendRate.succeeded(now, epoch);
    // A wait asked with a limit (or a 503) holds every request; one asked with noise, its own only.
    const askedMs = response.status >= 400 && !noise ? serverRetryAfterMs(headers, now) : undefined;
    if (askedMs !== undefined) this.pause(askedMs);
    this.readHeaders(headers);
    if (this.queue.length > 0) {
      this.cancelWakeUp();
      this.admitWaiting();
    }
  }

  private readHeaders(headers: Readonly<Record<string, string>>): void {
    const remaining = count(headers['x-ratelimit-remaining-requests']);
    const limit = count(headers['x-ratelimit-limit-requests']);
    const resetMs = parseDuration(headers['x-ratelimit-reset-requests']);
    if (remaining === undefined) return;
    const now = this.scheduler.now();
    this.budget = remaining - this.inFlight;
    if (limit !== undefined && limit > remaining && resetMs !== undefined && resetMs > 0) {
      const spent = limit - remaining;
      const intervalMs = (resetMs / spent) * SAFETY_STRETCH;
      // A slot further off than any wait we take from the server is not believed: the request goes.
      this.refillIntervalMs = intervalMs <= this.maxRetryAfterMs ? intervalMs : 0;
      // Whole tokens are counted, so the rate read is off by up to one token in `limit − remaining`.
      if (this.refillIntervalMs > 0 && spent >= MIN_TOKENS_FOR_CEILING) this.sendRate.limitTo(1000 / intervalMs, now);
      else if (perMinute(limit, spent, resetMs)) this.sendRate.limitTo(limit / 60 / SAFETY_STRETCH, now);
    }
    if (this.budget <= 0) this.nextSlotMs = Math.max(this.nextSlotMs, now + this.refillIntervalMs);
  }
}

/**
 * Whether the headers describe a budget per minute, as OpenAI's do: the
 * reset is the time `limit / 60 s` takes to refill the `spent` tokens. Only
 * whole tokens are counted, so the bucket really lacks between `spent − 1` and
 * `spent`; with one token counted, at least half a token is asked for, so
 * that a bucket of 4 refilled in 25 ms is not read as 4 a minute.
 */
function perMinute(limit: number, spent: number, resetMs: number): boolean {
  const tokenMs = 60_000 / limit;
  return resetMs >= Math.max(spent - 1, 0.5) * tokenMs * (1 - PER_MINUTE_TOLERANCE) && resetMs <= spent * tokenMs * (1 + PER_MINUTE_TOLERANCE);
}

function count(header: string | undefined): number | undefined {
  const n = header === undefined || header.trim() === '' ? Number.NaN : Number(header);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** Requests are spaced 5% wider than the refill interval: clocks and networks jitter. */
const SAFETY_STRETCH = 1.05;
/** A pause lasts up to 25% longer than asked, at random, so that clients sharing a limit do not resume in step. */
const PAUSE_JITTER_RATIO = 0.25;
/** The headers name a sustained rate precise to 10% once this many tokens are spent. */
const MIN_TOKENS_FOR_CEILING = 10;
/** Servers round their reset durations: a per-minute budget is read within 10%. */
const PER_MINUTE_TOLERANCE = 0.1;
