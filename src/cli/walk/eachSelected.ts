import { concat, defer, EMPTY, from, map, mergeMap, takeWhile, type Observable } from 'rxjs';
import type { ChatCompletion } from '../../codecs';
import type { Client } from '../../client/createClient';
import type { ListParams } from '../../fetch/ListParams';
import type { CreatedWindow } from '../args/commonOptions';
import type { WalkProgress } from '../progress/WalkProgress';
import { pageSelector } from './pageSelector';

/** How to run a command's work on each selected completion. */
export interface EachOptions {
  readonly params: ListParams;
  readonly window: CreatedWindow;
  readonly max: number | undefined;
  /** Works at once. */
  readonly concurrency: number;
  readonly signal: AbortSignal;
}

/**
 * Runs `work` on every completion the filters select, `concurrency` at a
 * time, for `delete` and `tag`; results in completion order.
 *
 * The work on a page starts only once the next page has arrived (or the walk
 * has ended): the walk's cursor is the last id of a page, so a `delete` must
 * not remove that completion before the request that uses it has been
 * answered, retries included; a server that forgets deleted cursors would
 * answer 404 and end the walk. Holding one page back keeps that rule for any
 * prefetch. The walk waits for the work of a page before it goes on (a
 * page ahead), so memory holds about three pages however slow the work is.
 * The work of a page waits for the work of the page before it: concurrency
 * drops at the end of each page.
 *
 * @param client The client.
 * @param options Filters, window, `--max`, concurrency and the interrupt.
 * @param progress Counts the pages as they arrive.
 * @param work What to do with one completion.
 * @returns The results.
 */
export function eachSelected<R>(
  client: Client,
  options: EachOptions,
  progress: WalkProgress,
  work: (completion: ChatCompletion) => Observable<R>,
): Observable<R> {
  return defer(() => {
    const select = pageSelector<ChatCompletion>(options.window, options.params.order, options.max);
    let held: readonly ChatCompletion[] = [];
    const workOn = (completions: readonly ChatCompletion[]): Observable<R> => from(completions).pipe(mergeMap(work, options.concurrency));
    const walk = client.chat.completions
      .processPages(
        options.params,
        (page) => {
          progress.page();
          const previous = held;
          const { kept, done } = select(page.data);
          held = kept;
          return concat(workOn(previous).pipe(map((result) => ({ result }))), done ? [{ done }] : EMPTY);
        },
        { signal: options.signal, prefetch: 1 },
      )
      .pipe(
        takeWhile((event) => !('done' in event)),
        map((event) => (event as { readonly result: R }).result),
      );
    return concat(
      walk,
      defer(() => workOn(held)),
    );
  });
}
