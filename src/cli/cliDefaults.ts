/**
 * Every default of the CLI, in one place, each with its unit in its name.
 * `docs/cli.md` states them all; change both together. The client's own
 * defaults (page size, retries, timeouts) are in `DEFAULTS`.
 */
export const CLI_DEFAULTS = {
  /** `stats`: models, and values per metadata key, listed before the rest is summed up as "more". */
  top: 10,
  /** `stats`: the width of its charts when stdout is not a terminal and `COLUMNS` is not set. */
  chartColumns: 80,
  /** The progress line is redrawn at most this often, so that drawing never slows a fast walk. */
  progressIntervalMs: 100,
  /**
   * After the walk, how long closing the connection may wait for what is still
   * in flight (a proxy that never answers CONNECT, a response still draining)
   * before it is destroyed; destroying gets as long again, and then the
   * command exits regardless.
   */
  closeGraceMs: 1_000,
  /** Off a terminal, a retry cause is logged at most once per this interval, so that a log shows why a run is slow. */
  retryLogIntervalMs: 5_000,
  /**
   * `--timeout`: the longest one attempt may take, headers and body. A page
   * takes a second or two; with the default retries (7 attempts and at most
   * 23.5 s of backoff) a server that never answers costs at most
   * 7 × 10 s + 23.5 s, about a minute and a half, before the command fails.
   */
  timeoutMs: 10_000,
  /**
   * While the server has never answered, refused connections (ECONNREFUSED) are retried for
   * at most this long in all: nothing listens at that address, most likely a wrong host or
   * port, and the full budget (23.5 s of backoff) would only make the user wait for the same
   * message. Once anything answered, a refused connection is a restart, retried in full.
   */
  refusedBeforeAnswerMs: 2_000,
  /** `export` with `--with-messages` or `--format finetune`. */
  export: {
    /**
     * A completion whose messages are read ahead of its turn (the completions
     * before it not yet written) holds at most this many characters of them
     * (512 Ki, about 512 KB) before its walk waits for its turn, unless
     * `--read-ahead` says otherwise: conversations of up to a few pages are
     * read whole, `--concurrency` at a time, and a long one is written page by
     * page as it is read.
     */
    aheadMessageChars: 512 * 1024,
    /**
     * How many completions' messages are read at once while the conversations
     * are long (one holds its `--read-ahead` and waits for its turn), whatever
     * `--concurrency` says: the one being written and the next. Reading more
     * would write them sooner only over a slow network, and their pages, held
     * for longer, would grow the heap by about four times what they hold.
     */
    longConversations: 2,
  },
  /** `sync`: how often it commits, and its lock. */
  sync: {
    /** Commit (part files, then the state) once this many completions wait: a kill loses at most this much work. */
    commitEvery: 10_000,
    /** Commit once the oldest completion waiting is this old, during a run. */
    commitIntervalMs: 10_000,
    /** With `--watch`: commit at most this often, so that a day's folder holds at most one file a minute. */
    watchCommitIntervalMs: 60_000,
    /** The running sync renews its lock this often. */
    lockHeartbeatMs: 10_000,
    /** A lock not renewed for this long is a killed run's, and is taken over. */
    lockStaleMs: 60_000,
  },
  /**
   * The in-process emulator of `export --emulator` and `stats --emulator`, which
   * is also `npm start`: big enough, and limited enough, that a walk takes a few
   * seconds, meets 429s and faults, and shows the retries recovering from them.
   */
  emulator: {
    /** Completions seeded. */
    count: 50_000,
    /** Seed of the generated history: the same seed, the same completions. */
    seed: 1,
    /** Requests per second the emulator allows before answering 429, and the burst above that rate. */
    rateLimit: { requestsPerSecond: 100, burst: 10 },
    /** Share of requests answered with a transient fault (a 500, a dropped connection…). */
    faultRate: 0.02,
    /** Added to every response. */
    latencyMs: 0,
    /** Completions stored per second, for `rxsc tail --emulator` to show: none by default. */
    arrivalsPerSecond: 0,
  },
} as const;

/** Exit codes of `rxsc`, as documented in `docs/cli.md`. */
export const EXIT = {
  ok: 0,
  /** The command ran and failed: rejected key, unreachable host, bad response, I/O error. */
  failure: 1,
  /** The command line is wrong: unknown flag, bad value, missing API key. */
  usage: 2,
  /** Stopped by Ctrl-C (SIGINT), 128 + 2 as shells report it. */
  interrupted: 130,
  /** Stopped by SIGTERM, 128 + 15. */
  terminated: 143,
} as const;
