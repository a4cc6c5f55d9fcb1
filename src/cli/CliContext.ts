/**
 * The impure edges of the CLI, injected so that commands run in tests without
 * a process of their own: `main.ts` passes the real ones.
 */
export interface CliContext {
  /**
   * `isTTY`, with stderr's, says they are one terminal: the status line is erased before each
   * write to stdout. On a terminal, `stats` draws its charts `columns` wide, in color.
   */
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean | undefined; readonly columns?: number | undefined };
  /** Where `delete` reads its confirmation; absent, or not a terminal (`isTTY`), it asks nothing and needs `--yes`. */
  readonly stdin?: (NodeJS.ReadableStream & { readonly isTTY?: boolean | undefined }) | undefined;
  /** `isTTY` decides whether the progress line is drawn. */
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean | undefined };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The clock, in milliseconds. */
  readonly now: () => number;
  /** Aborted on SIGINT or SIGTERM, with the signal's name (`'SIGINT'`, `'SIGTERM'`) as reason. */
  readonly signal: AbortSignal;
}
