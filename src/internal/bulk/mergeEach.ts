import { mergeMap, type Observable, type ObservableInput } from 'rxjs';
import { DEFAULTS } from '../../defaults';
import { pacedSourceOf } from '../core/pacedSource';

/**
 * Runs `work` on every item of `source`, `concurrency` at a time, results in completion order.
 *
 * When `source` is a `list()` walk (or a library operator that forwards its pacing), the walk is
 * paced to the work with `process()` semantics: a page is requested only once the pages before it,
 * but `DEFAULTS.prefetch.process` of them, have had all their work done, so memory holds a few
 * pages however slow the work. Any other source is subscribed as it is and its items wait in
 * `mergeMap`'s queue: memory then grows with whatever the source pushes faster than the work takes.
 *
 * Either way `work` is called in the source's order, never before its item arrived.
 *
 * @param source The items.
 * @param work What to do with one.
 * @param concurrency How many works at once.
 * @returns The works' results.
 */
export function mergeEach<T, R>(source: Observable<T>, work: (item: T) => ObservableInput<R>, concurrency: number): Observable<R> {
  const paced = pacedSourceOf(source);
  if (paced === undefined) return source.pipe(mergeMap(work, concurrency));
  return paced(work, { concurrency, prefetch: DEFAULTS.prefetch.process });
}
