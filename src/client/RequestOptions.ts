/** Options of a single request or stream. */
export interface RequestOptions {
  /**
   * Aborts the stream with an `AbortError`, for callers outside RxJS.
   *
   * @default none
   */
  readonly signal?: AbortSignal | undefined;
}

/** Options of a walk over a list endpoint: `pages()`, `processPages()`, and the base of the others. */
export interface WalkOptions extends RequestOptions {
  /**
   * How many pages may be requested ahead of the last page the consumer has finished with. 1 sends
   * the next request as soon as its cursor is known, before the current page is decoded; 0 waits
   * until the consumer is done with the current page. `list()` and `pages()` start slowly: until
   * the consumer has finished `DEFAULTS.prefetch.slowStartPages` pages, they request nothing
   * ahead, so that `take(n)` sends only the requests it needs.
   *
   * @default DEFAULTS.prefetch.stream for `list()` and `pages()`, once the consumer has finished
   * DEFAULTS.prefetch.slowStartPages pages; DEFAULTS.prefetch.process for `process()`
   */
  readonly prefetch?: number | undefined;
}

/** Options of `list()`. */
export interface ListOptions extends WalkOptions {
  /**
   * `ordered` (default): one walk in `params.order`. `bidirectional`: for full exports that do not
   * need an order, an ascending and a descending walk at once, meeting in the middle; every item
   * exactly once, about twice as fast when latency dominates. Takes no `after` and no `order`.
   *
   * @default `'ordered'`
   */
  readonly strategy?: 'ordered' | 'bidirectional' | undefined;
}

/** Options of `process()`; `prefetch` counts the pages whose items `work` has all finished. */
export interface ProcessOptions extends WalkOptions {
  /**
   * How many items `work` processes at once, across page boundaries: the first items of the next
   * page start while the last of the current one still run.
   *
   * @default `1`, in order
   */
  readonly concurrency?: number | undefined;
}
