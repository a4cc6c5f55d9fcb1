import { formatCount } from '../format/formatCount';
import { isoSeconds } from '../format/isoSeconds';

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
  private readonly startedMs: number;
  private lastDrawMs = Number.NEGATIVE_INFINITY;
  private drawn = false;

  /**
   * @param draw Writes to the terminal; `undefined` when stderr is not one, and nothing is drawn.
   * @param now The clock, in milliseconds.
   * @param minIntervalMs The shortest time between two redraws.
   */
  constructor(
    private readonly draw: ((text: string) => void) | undefined,
    private readonly now: () => number,
    private readonly minIntervalMs = 100,
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
   * @param created Its `created`, in Unix seconds: the date the walk has reached.
   */
  item(created: number): void {
    this.items += 1;
    this.reached = created;
    this.redraw();
  }

  /** Counts a retry; pass it as the client's `onRetry`. */
  retry(): void {
    this.retries += 1;
    this.redraw();
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
      counted(this.pages, 'page', 'pages'),
      `${formatCount(rate)} items/s`,
      counted(this.retries, 'retry', 'retries'),
    ];
    if (this.reached !== undefined) parts.push(`created ${isoSeconds(this.reached)?.slice(0, 19).concat('Z') ?? 'invalid'}`);
    return parts.join(' · ');
  }

  /** Erases the line, if one was drawn. */
  finish(): void {
    if (this.draw !== undefined && this.drawn) this.draw(CLEAR_LINE);
    this.drawn = false;
  }

  private redraw(): void {
    if (this.draw === undefined) return;
    const now = this.now();
    if (now - this.lastDrawMs < this.minIntervalMs) return;
    this.lastDrawMs = now;
    this.drawn = true;
    this.draw(`${CLEAR_LINE}${this.text()}`);
  }
}

/** Back to the start of the line, then erase to its end (ANSI EL). */
const CLEAR_LINE = '\r\x1b[K';

function counted(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
