/** Query parameters of a list endpoint, as in the official SDK. */
export interface ListParams {
  /**
   * Start after the item with this id (the last item of a previous page).
   *
   * @default none: from the first completion
   */
  readonly after?: string | undefined;
  /**
   * Page size, an integer from 1 to 100. The library asks for 100 when absent.
   *
   * @default DEFAULTS.pageLimit
   */
  readonly limit?: number | undefined;
  /**
   * `asc` (oldest first, the API's default) or `desc`, by `created`.
   *
   * @default `'asc'`, the API's
   */
  readonly order?: 'asc' | 'desc' | undefined;
  /**
   * Only completions of this model.
   *
   * @default every model
   */
  readonly model?: string | undefined;
  /**
   * Only completions whose metadata holds every one of these pairs (server-side, exact match).
   *
   * @default no filter
   */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}
