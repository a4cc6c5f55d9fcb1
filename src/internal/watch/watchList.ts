import { map, take, type Observable } from 'rxjs';
import type { WatchCheckpoint, WatchOptions } from '../../client/WatchOptions';
import type { ChatCompletionList } from '../../codecs/chatCompletionList';
import { DEFAULTS } from '../../defaults';
import { InvalidArgumentError } from '../../errors';
import type { ListParams } from '../../resources/chat/completions/ListParams';
import { checkRequestOptions } from '../core/checkRequestOptions';
import { untilAborted } from '../core/untilAborted';
import { validateListParams } from '../fetch/listQuery';
import type { DatedItem, DatedPage } from '../walk/settledWalk';
import { watchItems, type WatchSettings, type Watched } from './watchItems';

/** The list filters a watch takes, and its page size. */
export type WatchParams = Pick<ListParams, 'model' | 'metadata' | 'limit'>;

/** The `pages()` of a list, as a watch calls it. */
export type PagesOf = (params: ListParams, options: { readonly signal?: AbortSignal | undefined; readonly prefetch: number }) => Observable<ChatCompletionList>;

/**
 * Validates the options of a watch and resolves their defaults.
 *
 * @param options The caller's options.
 * @returns The settings.
 * @throws {InvalidArgumentError} for a bad option.
 */
export function watchSettings(options: WatchOptions): WatchSettings {
  checkRequestOptions(options);
  const intervalMs = options.intervalMs ?? DEFAULTS.watch.intervalMs;
  if (!(Number.isFinite(intervalMs) && intervalMs >= 0)) {
    throw new InvalidArgumentError(`Expected \`intervalMs\` to be a non-negative number, got ${String(intervalMs)}`);
  }
  const lookbackSeconds = options.lookbackSeconds ?? DEFAULTS.watch.lookbackSeconds;
  if (!(Number.isInteger(lookbackSeconds) && lookbackSeconds >= 0)) {
    throw new InvalidArgumentError(`Expected \`lookbackSeconds\` to be a non-negative integer, got ${String(lookbackSeconds)}`);
  }
  if (options.onPollError !== undefined && typeof options.onPollError !== 'function') {
    throw new InvalidArgumentError(`Expected \`onPollError\` to be a function, got ${typeof options.onPollError}`);
  }
  return { intervalMs, lookbackSeconds, from: checkpointOption(options.from), scheduler: options.scheduler, onPollError: options.onPollError };
}

function checkpointOption(from: unknown): WatchCheckpoint | undefined {
  if (from === undefined) return undefined;
  const { created, ids } = (typeof from === 'object' && from !== null ? from : {}) as { created?: unknown; ids?: unknown };
  if (!(typeof created === 'number' && Number.isInteger(created) && created >= 0) || !Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
    throw new InvalidArgumentError(`Expected \`from\` to be a checkpoint { created: unix seconds, ids: string[] }, got ${JSON.stringify(from) ?? String(from)}`);
  }
  return { created, ids: [...ids] as string[] };
}

/**
 * The watch over a list of pages: the params are checked, the walk is newest
 * first, one page per request, through `pages` (so through the client's gate,
 * retries, timeouts and redaction), and `signal` ends it.
 *
 * @param pages The list's `pages()`.
 * @param params The filters.
 * @param options The options.
 * @param itemsOf The items of a page, each with its `id` and `created`.
 * @returns Each new item once, with its checkpoint.
 */
export function watchList<T extends DatedItem>(
  pages: PagesOf,
  params: WatchParams,
  options: WatchOptions,
  itemsOf: (page: ChatCompletionList) => readonly T[],
): Observable<Watched<T>> {
  const settings = watchSettings(options);
  const { model, metadata, limit } = params;
  validateListParams({ model, metadata, limit });
  const fetchPage = (after: string | undefined): Observable<DatedPage<T>> =>
    pages({ model, metadata, limit, after, order: 'desc' }, { signal: options.signal, prefetch: 0 }).pipe(
      take(1),
      map((page) => ({ items: itemsOf(page), hasMore: page.has_more })),
    );
  return watchItems(fetchPage, settings).pipe(untilAborted(options.signal));
}

