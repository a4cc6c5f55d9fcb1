import { asyncScheduler, defer, finalize, Observable, of, switchMap, tap, timer, type SchedulerLike } from 'rxjs';
import type { HttpResponse } from '../fetch/httpGet';
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
 * written, so those are subtracted from it.
 */
export class RateLimitGate {
  private pausedUntilMs = 0;
  private budget = Number.POSITIVE_INFINITY;
  private refillIntervalMs = 0;
  private nextSlotMs = 0;
  private inFlight = 0;

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

  private admission(): Observable<unknown> {
    return defer(() => {
      const now = this.scheduler.now();
      let at = Math.max(now, this.pausedUntilMs);
      if (this.budget <= 0 && this.refillIntervalMs > 0) {
        at = Math.max(at, this.nextSlotMs);
        this.nextSlotMs = at + this.refillIntervalMs;
      }
      this.budget -= 1;
      // A 429 seen while this request waited may have moved the pause further: check again.
      return at > now ? timer(at - now, this.scheduler).pipe(switchMap(() => this.recheckPause())) : of(0);
    });
  }

  private recheckPause(): Observable<unknown> {
    return defer(() => {
      const wait = this.pausedUntilMs - this.scheduler.now();
      return wait > 0 ? timer(wait, this.scheduler).pipe(switchMap(() => this.recheckPause())) : of(0);
    });
  }

  private observe(headers: Readonly<Record<string, string>>): void {
    const remaining = Number(headers['x-ratelimit-remaining-requests']);
    const limit = Number(headers['x-ratelimit-limit-requests']);
    const resetMs = parseDuration(headers['x-ratelimit-reset-requests']);
    if (!Number.isFinite(remaining)) return;
    this.budget = remaining - this.inFlight;
    if (Number.isFinite(limit) && limit > remaining && resetMs !== undefined && resetMs > 0) {
      this.refillIntervalMs = (resetMs / (limit - remaining)) * SAFETY_STRETCH;
    }
    if (this.budget <= 0) this.nextSlotMs = Math.max(this.nextSlotMs, this.scheduler.now() + this.refillIntervalMs);
  }
}

/** Requests are spaced 5% wider than the refill interval: clocks and networks jitter. */
const SAFETY_STRETCH = 1.05;
