import { asyncScheduler, finalize, Observable, switchMap, tap, type SchedulerLike, type Subscription } from 'rxjs';
import type { HttpResponse } from '../fetch/httpRequest';
import { parseDuration } from './parseDuration';

/**
 * The one rate-limit gate of a client, shared by all its walks, so that
 * concurrent walks act as one polite caller instead of four impolite ones.
 *
 * - A server-asked wait (a 429's, or a 503's `retry-after`) pauses every
 *   request of the client for that wait ({@link RateLimitGate.pause});
 *   without it, each walk would discover the limit on its own and spend a
 *   429 doing so.
 * - `x-ratelimit-remaining-requests` and `x-ratelimit-reset-requests` pace
 *   requests before a 429 happens: once the server says the bucket is empty,
 *   requests are spaced by the bucket's refill interval,
 *   `reset / (limit − remaining)`, a little stretched for safety.
 *
 * The server's count is stale by the requests still in flight when it was
 * written, so those are subtracted from it. Requests that must wait queue
 * up, first come first served.
 */
export class RateLimitGate {
  private pausedUntilMs = 0;
  private budget = Number.POSITIVE_INFINITY;
  private refillIntervalMs = 0;
  private nextSlotMs = 0;
  private inFlight = 0;
  /** Requests waiting for admission, first come first served; each entry admits its request. */
  private readonly queue: Array<() => void> = [];
  private wakeUp: Subscription | undefined;

  /**
   * @param scheduler The clock and timers; a TestScheduler in tests.
   */
  constructor(private readonly scheduler: SchedulerLike = asyncScheduler) {}

  /**
   * Sends `request` when the gate allows it, and learns from its response.
   *
   * @param request A cold request; subscribed once admitted.
   * @returns The request, delayed as the gate requires.
   */
  through(request: Observable<HttpResponse>): Observable<HttpResponse> {
    return this.admission().pipe(
      switchMap(() => {
        this.inFlight += 1;
        let settled = false;
        const settle = (): void => {
          if (!settled) this.inFlight -= 1;
          settled = true;
        };
        return request.pipe(
          tap((response) => {
            settle();
            this.observe(response.headers);
          }),
          finalize(settle),
        );
      }),
    );
  }

  /**
   * Holds every request of the client for `ms` from now: the wait a server asked for.
   *
   * @param ms How long to hold, in milliseconds.
   */
  pause(ms: number): void {
    this.pausedUntilMs = Math.max(this.pausedUntilMs, this.scheduler.now() + ms);
  }

  /**
   * Emits once when the request may go. A request that cannot go at once
   * waits in line; the slot is chosen when its turn comes, not when it
   * joins, so one that leaves the line (take, an abort, a wrong speculative
   * guess) costs the others nothing.
   */
  private admission(): Observable<unknown> {
    return new Observable<unknown>((subscriber) => {
      const admit = (): void => {
        subscriber.next(0);
        subscriber.complete();
      };
      if (this.queue.length === 0 && this.mayGo()) {
        this.take();
        admit();
        return undefined;
      }
      this.queue.push(admit);
      this.scheduleWakeUp();
      return () => {
        const index = this.queue.indexOf(admit);
        if (index !== -1) this.queue.splice(index, 1);
        if (this.queue.length === 0) this.cancelWakeUp();
      };
    });
  }

  private mayGo(): boolean {
    const now = this.scheduler.now();
    return now >= this.pausedUntilMs && (this.budget > 0 || this.refillIntervalMs === 0 || now >= this.nextSlotMs);
  }

  /** Spends a token; the one who takes the last, or one on credit, pushes the next slot a refill interval on. */
  private take(): void {
    this.budget -= 1;
    if (this.budget <= 0 && this.refillIntervalMs > 0) {
      this.nextSlotMs = Math.max(this.nextSlotMs, this.scheduler.now()) + this.refillIntervalMs;
    }
  }

  private admitWaiting(): void {
    while (this.queue.length > 0 && this.mayGo()) {
      this.take();
      this.queue.shift()?.();
    }
    if (this.queue.length > 0) this.scheduleWakeUp();
  }

  private scheduleWakeUp(): void {
    if (this.wakeUp !== undefined) return;
    const now = this.scheduler.now();
    const slot = this.budget <= 0 && this.refillIntervalMs > 0 ? this.nextSlotMs : now;
    this.wakeUp = this.scheduler.schedule(() => {
      this.wakeUp = undefined;
      this.admitWaiting();
    }, Math.max(0, this.pausedUntilMs - now, slot - now));
  }

  private cancelWakeUp(): void {
    this.wakeUp?.unsubscribe();
    this.wakeUp = undefined;
  }

  private observe(headers: Readonly<Record<string, string>>): void {
    const remaining = count(headers['x-ratelimit-remaining-requests']);
    const limit = count(headers['x-ratelimit-limit-requests']);
    const resetMs = parseDuration(headers['x-ratelimit-reset-requests']);
    if (remaining === undefined) return;
    this.budget = remaining - this.inFlight;
    if (limit !== undefined && limit > remaining && resetMs !== undefined && resetMs > 0) {
      this.refillIntervalMs = (resetMs / (limit - remaining)) * SAFETY_STRETCH;
    }
    if (this.budget <= 0) this.nextSlotMs = Math.max(this.nextSlotMs, this.scheduler.now() + this.refillIntervalMs);
    if (this.queue.length > 0) {
      this.cancelWakeUp();
      this.admitWaiting();
    }
  }
}

function count(header: string | undefined): number | undefined {
  const n = header === undefined || header.trim() === '' ? Number.NaN : Number(header);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** Requests are spaced 5% wider than the refill interval: clocks and networks jitter. */
const SAFETY_STRETCH = 1.05;
