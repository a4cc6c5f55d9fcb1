/** Query parameters of a list endpoint, as in the official SDK. */
export interface ListParams {
  /** Start after the item with this id (the last item of a previous page). */
  readonly after?: string | undefined;
  /** Page size, an integer from 1 to 100. The library asks for 100 when absent. */
  readonly limit?: number | undefined;
  /** `asc` (oldest first, the API's default) or `desc`, by `created`. */
  readonly order?: 'asc' | 'desc' | undefined;
  /** Only completions of this model. */
  readonly model?: string | undefined;
  /** Only completions whose metadata holds every one of these pairs (server-side, exact match). */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}
