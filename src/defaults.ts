/**
 * Every default of the client, in one place, each with its unit in its name. The options'
 * `@default` tags name these paths, and `docs/options.md` is made from them (`npm run options-page`).
 */
export const DEFAULTS = {
  /** Where requests go when neither `baseURL` nor `OPENAI_BASE_URL` is set. */
  baseURL: 'https://api.openai.com/v1',
  /**
   * Page size when the caller gives no `limit`: the largest the API accepts,
   * not its default of 20, so a full walk takes five times fewer round trips.
   */
  pageLimit: 100,
  /** Pages requested ahead of the last page the consumer has finished with. */
  prefetch: {
    /**
     * `list()` and `pages()`: one, once the slow start is over, so that a long walk
     * sends the next request before the current page is even decoded.
     */
    stream: 1,
    /** `process()`: one, so the next page downloads while the current one is processed; memory holds about two pages. */
    process: 1,
    /**
     * `list()` and `pages()` request nothing ahead until the consumer has finished
     * this many pages: `take(5)` sends one request, `take(150)` two (pages of 100).
     */
    slowStartPages: 2,
  },
  /** `watch()`, and the CLI's `tail` and `sync`, which poll the list as it does. */
  watch: {
    /**
     * From the end of one poll to the start of the next: a completion shows up
     * within about five seconds of being stored, for about one request every
     * five seconds while nothing new arrives (12 a minute, well inside any limit).
     */
    intervalMs: 5_000,
    /**
     * How far behind the newest `created` seen each poll reads again, in seconds.
     * A completion is stored once its answer is finished, with the `created` of
     * when its request started: one that took up to five minutes to answer still
     * shows up, at the cost of re-reading five minutes of completions per poll.
     */
    lookbackSeconds: 300,
  },
  /** The operators over many completions: `withMessages`, `deleteEach`, `updateEach`. */
  bulk: {
    /** Requests in flight at once (message walks, deletes, updates), across page boundaries. */
    concurrency: 8,
  },
  /** Parquet files written by `writeParquet` and `rxsc export --format parquet`. */
  parquet: {
    /**
     * A row group is written once it holds this many rows (or 64 Mi characters of
     * JSON, for long conversations): memory holds one group, about 20 MB of text for
     * 10,000 completions, whatever their number, and a reader still gets groups large
     * enough to scan fast.
     */
    rowGroupRows: 10_000,
  },
  /**
   * The largest response body read, in bytes (after decompression): 32 MiB. A
   * page of 100 completions with long answers (16,000 tokens, about 64 KB each)
   * weighs about 6.4 MB, so this is five times the largest page seen in practice,
   * while a body that never ends stops here instead of filling memory.
   */
  maxBodyBytes: 32 * 1024 * 1024,
  timeout: {
    /** Per attempt: how long to wait for the response headers. */
    headersMs: 60_000,
    /** Per attempt: the longest silence allowed between two chunks of the body. */
    bodyMs: 60_000,
    /** Per attempt: the longest the headers and the whole body may take together, as the official SDK's `timeout`. */
    attemptMs: 120_000,
  },
  retry: {
    /**
     * Retries per page after the first attempt. Sized for long walks: a page may
     * fail six times in a row and the walk still completes. 429s do not count:
     * rate limiting is bounded by `maxRetryAfterMs` and `maxWaitPerPageMs` instead.
     */
    maxRetries: 6,
    /** The first backoff wait; it doubles at each further retry. */
    initialDelayMs: 500,
    /** The longest backoff wait computed by us (not the server's `retry-after`). */
    maxDelayMs: 8_000,
    /** Each backoff wait is shortened by up to this fraction, at random, so that clients spread out. */
    jitterRatio: 0.25,
    /** A server-asked wait above this fails at once with the `RateLimitError` instead of hanging. */
    maxRetryAfterMs: 60_000,
    /**
     * The longest one request (a page, one operation of a bulk operator) may spend on rate
     * limiting and retries: queued in the rate-limit gate, in round trips answered 429, and
     * waiting to retry. Five minutes, so that a page rate-limited for longer fails with its
     * last error.
     */
    maxWaitPerPageMs: 300_000,
  },
} as const;
