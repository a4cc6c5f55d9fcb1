/**
 * What one page, or one operation of a bulk operator (a delete, an update), has
 * spent on rate limiting and retries, against `maxWaitPerPageMs`: the time it
 * queued in the rate-limit gate, the round trips of its attempts answered 429,
 * and the waits before its retries. Each is wall-clock time, so a wait of 0 ms
 * that a server asks for again and again still spends the round trips.
 *
 * The gate and the retry of one request share one, created for each
 * subscription to the request: so a page retried for ever, and a request held
 * in a gate that has slowed to a crawl, both end once the budget is spent.
 */
export class WaitBudget {
  private spent = 0;
  private refusals = 0;
  private admissions = 0;
  private lastRefusalWasNoise = false;

  /**
   * @param limitMs The budget, `maxWaitPerPageMs`.
   */
  constructor(readonly limitMs: number) {}

  /** Milliseconds spent so far. */
  get spentMs(): number {
    return this.spent;
  }

  /** Milliseconds left, never below 0. */
  get remainingMs(): number {
    return Math.max(0, this.limitMs - this.spent);
  }

  /** How many attempts the gate has let go; 0 while the first still waits. */
  get sent(): number {
    return this.admissions;
  }

  /** How many of its attempts were answered 429 so far. */
  get refusedCount(): number {
    return this.refusals;
  }

  /** Whether the gate read the last 429 as noise rather than as a limit. */
  get noise(): boolean {
    return this.lastRefusalWasNoise;
  }

  /**
   * Adds time spent waiting.
   *
   * @param ms Milliseconds; a negative or NaN amount adds nothing.
   */
  spend(ms: number): void {
    if (ms > 0) this.spent += ms;
  }

  /** An attempt leaves the gate. */
  admitted(): void {
    this.admissions += 1;
  }

  /**
   * An attempt was answered 429.
   *
   * @param noise Whether the gate read it as noise.
   */
  refused429(noise: boolean): void {
    this.refusals += 1;
    this.lastRefusalWasNoise = noise;
  }

  /**
   * Why the request gives up, for its error's message.
   *
   * @returns `gave up after 12 answers 429 over 2.1 s (maxWaitPerPageMs: 2 s)`, or, without 429s, the time waited.
   */
  exhausted(): string {
    const limit = `maxWaitPerPageMs: ${seconds(this.limitMs)}`;
    if (this.refusals === 0) return `gave up after waiting ${seconds(this.spent)} in all for this page (${limit})`;
    const answers = this.refusals === 1 ? 'one answer 429' : `${this.refusals} answers 429`;
    return `gave up after ${answers} over ${seconds(this.spent)} (${limit})`;
  }
}

/** The error a request waiting in the gate gets when its budget runs out there: its retry gives up with its last error. */
export class WaitBudgetSpent extends Error {
  constructor() {
    super('The wait budget ran out in the rate-limit gate');
    this.name = 'WaitBudgetSpent';
  }
}

/**
 * A duration for a message: `850 ms`, `2.1 s`.
 *
 * @param ms Milliseconds.
 * @returns The duration, rounded.
 */
export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
