import { identity, take, type Observable } from 'rxjs';
import { createdWithin } from '../../bulk/createdWithin';
import type { ChatCompletion } from '../../codecs';
import type { Client } from '../../client/createClient';
import type { ListParams } from '../../fetch/ListParams';
import { windowSeconds, type TimeWindow } from '../args/commonOptions';

/**
 * The completions `delete` and `tag` work on: the list's, within the window,
 * at most `max` of them.
 *
 * Without `--max`, the result keeps the pacing handshake of `list()` (which
 * `createdWithin` forwards), so that `deleteEach` and `updateEach` pace the
 * walk to their work, memory bounded by their concurrency. `take` does not
 * forward it: under `--max N`, the walk may run up to N items ahead of the
 * work, and stops there.
 *
 * @param client The client.
 * @param params The list filters.
 * @param window `--since` and `--until`.
 * @param max `--max`.
 * @param signal The interrupt.
 * @returns The completions, in list order.
 */
export function selectedCompletions(
  client: Client,
  params: ListParams,
  window: TimeWindow,
  max: number | undefined,
  signal: AbortSignal,
): Observable<ChatCompletion> {
  return client.chat.completions
    .list(params, { signal })
    .pipe(createdWithin(windowSeconds(window), params.order ?? 'asc'), max === undefined ? identity : take(max));
}
