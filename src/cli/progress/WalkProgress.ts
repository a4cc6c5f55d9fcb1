import type { RetryEvent } from '../../client/RetryOptions';
import { escapeControl } from '../format/escapeControl';
import { counted } from '../format/counted';
import { formatCount } from '../format/formatCount';
import { isoSeconds } from '../format/isoSeconds';
import { retryCause } from './retryCause';
import type { StatusLine } from './StatusLine';

/**
 * Counts a walk (items, pages, retries, the `created` date reached) and, when
 * given a terminal to draw on, keeps one status line up to date on it:
 *
 * `12,300 items · 123 pages · 4,512 items/s · 3 retries · created 2024-03-01T10:00:00Z`
 *
 * The line is redrawn in place with `\r` at most once per `minIntervalMs`,
 * since a fast walk counts tens of thousands of items a second and a terminal
 * that redraws for each would slow the walk down. {@link WalkProgress.finish} erases it,
 * so that what the command prints next starts on a clean line.
 *
 * Commands that write count their outcomes too ({@link WalkProgress.outcome}:
 * `deleted`, `failed`…), shown after the retries. Retries are counted by cause
 * (`3 retries (HTTP 429 ×2, ECONNRESET ×1)`).
 *
 * Off a terminal, when given a `log`, it writes one line per retry cause at
 * most once per `logIntervalMs` (`rxsc: retrying after HTTP 429 (12 so far)`),
 * so that a log shows why a run is slow without a line per retry.
 *
 * The clock is injected so that tests need no real time.
 */
export class WalkProgress {
  /** Items counted so far. */
  items = 0;
  /** Pages counted so far. */
  pages = 0;
  /** Retries counted so far, across all requests of the walk. */
  retries = 0;
  private reached: number | undefined;
  private readonly causes = new Map<string, number>();
  private readonly loggedMs = new Map<string, number>();
  private readonly outcomes = new Map<string, number>();
  private readonly startedMs: number;
  private lastDrawMs = Number.NEGATIVE_INFINITY;

  /**
   * @param status The status line to draw on; `undefined` when stderr is not a terminal, and nothing is drawn.
   * @param now The clock, in milliseconds.
   * @param minIntervalMs The shortest time between two redraws.
   * @param log Writes a line of the retry log; `undefined` for none (on a terminal, the line shows the retries).
   * @param logIntervalMs The shortest time between two log lines of the same cause.
   * @param countsPages Whether the line shows pages: not for `delete` and `tag`, which walk with list() and see completions only.
   */
  constructor(
    private readonly status: StatusLine | undefined,
    private readonly now: () => number,
    private readonly minIntervalMs = 100,
    private readonly log: ((line: string) => void) | undefined = undefined,
    private readonly logIntervalMs = 5_000,
    private readonly countsPages = true,
  ) {
    this.startedMs = now();
  }

  /** Counts a page, when it arrives. */
  page(): void {
    this.pages += 1;
    this.redraw();
  }

  /**
   * Counts an item the command used (`--max` may leave some of a page out).
   *
   * @param created Its `created`, in Unix seconds: the date the walk has reached; unknown to commands that count outcomes.
   */
  item(created?: number): void {
    this.items += 1;
    if (created !== undefined) this.reached = created;
    this.redraw();
  }

  /**
   * Counts a retry; pass it as the client's `onRetry`.
   *
   * @param event The retry, whose error gives the cause; without one, only the total counts it.
   */
  retry(event?: RetryEvent): void {
    this.retries += 1;
    if (event === undefined) {
      this.redraw();
      return;
    }
    const cause = retryCause(event.error);
    const count = (this.causes.get(cause) ?? 0) + 1;
    this.causes.set(cause, count);
    this.redraw();
    if (this.log === undefined) return;
    const now = this.now();
    if (now - (this.loggedMs.get(cause) ?? Number.NEGATIVE_INFINITY) < this.logIntervalMs) return;
    this.loggedMs.set(cause, now);
    this.log(`rxsc: retrying after ${cause} (${formatCount(count)} so far)\n`);
  }

  /**
   * Counts an outcome of a command that writes: `deleted`, `already gone`, `updated`, `failed`.
   *
   * @param label How the progress line names it.
   */
  outcome(label: string): void {
    this.outcomes.set(label, (this.outcomes.get(label) ?? 0) + 1);
    this.redraw();
  }

  /**
   * How many outcomes of a kind were counted.
   *
   * @param label The outcome, as given to {@link WalkProgress.outcome}.
   * @returns The count, 0 if none.
   */
  outcomeCount(label: string): number {
    return this.outcomes.get(label) ?? 0;
  }

  /** Milliseconds since the walk started. */
  elapsedMs(): number {
    return this.now() - this.startedMs;
  }

  /**
   * The status line.
   *
   * @returns The counts, the rate and the date reached, separated by `·`.
   */
  text(): string {
    const seconds = this.elapsedMs() / 1000;
    const rate = seconds > 0 ? Math.round(this.items / seconds) : 0;
    const parts = [
      counted(this.items, 'item', 'items'),
      ...(this.countsPages ? [counted(this.pages, 'page', 'pages')] : []),
      `${formatCount(rate)} items/s`,
      counted(this.retries, 'retry', 'retries') + this.causeList(),
      ...[...this.outcomes].map(([label, n]) => `${formatCount(n)} ${label}`),
    ];
    if (this.reached !== undefined) parts.push(`created ${isoSeconds(this.reached)?.slice(0, 19).concat('Z') ?? 'invalid'}`);
    return parts.join(' · ');
  }

  private causeList(): string {
    if (this.causes.size === 0) return '';
    return ` (${[...this.causes].map(([cause, n]) => `${cause} ×${formatCount(n)}`).join(', ')})`;
  }

  /**
   * Prints a line of its own on stderr (a completion that failed), through
   * the same writer as the status line: on a terminal, the status line is
   * erased first and redrawn at the next event.
   *
   * @param line The text, without its `\n`; its control characters, which may come from a server, are escaped.
   */
  print(line: string): void {
    const text = `${escapeControl(line)}\n`;
    if (this.status !== undefined) {
      this.status.print(text);
      this.lastDrawMs = Number.NEGATIVE_INFINITY;
    } else {
      this.log?.(text);
    }
  }

  /** Erases the line, if one was drawn. */
  finish(): void {
    this.status?.erase();
  }

  private redraw(): void {
    if (this.status === undefined) return;
    const now = this.now();
    if (now - this.lastDrawMs < this.minIntervalMs) return;
    this.lastDrawMs = now;
    this.status.show(this.text());
  }
}
