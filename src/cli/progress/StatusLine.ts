/** Back to the start of the line, then erase to its end (ANSI EL). */
const CLEAR_LINE = '\r\x1b[K';

/**
 * The one status line a command keeps at the bottom of a terminal, on
 * stderr, redrawn in place. It knows whether a line is shown, so that
 * whatever else goes to the terminal (a line of stdout on the same terminal,
 * a failure on stderr, the summary) erases it first and starts on a clean
 * line: text of its own never runs into the status text.
 */
export class StatusLine {
  private shown = false;

  /** @param write Writes to the terminal (stderr), at once: a terminal's writes are synchronous in Node. */
  constructor(private readonly write: (text: string) => void) {}

  /**
   * Draws `text` in place of the line shown, if any.
   *
   * @param text One line, without a line break, already escaped.
   */
  show(text: string): void {
    this.write(`${CLEAR_LINE}${text}`);
    this.shown = true;
  }

  /** Erases the line shown, if any, leaving the cursor at the start of an empty line. */
  erase(): void {
    if (!this.shown) return;
    this.write(CLEAR_LINE);
    this.shown = false;
  }

  /**
   * Prints lines of their own on stderr, in place of the line shown; the next {@link StatusLine.show} draws below them.
   *
   * @param text Whole lines, each ending with `\n`, already escaped.
   */
  print(text: string): void {
    this.write(`${this.shown ? CLEAR_LINE : ''}${text}`);
    this.shown = false;
  }
}
