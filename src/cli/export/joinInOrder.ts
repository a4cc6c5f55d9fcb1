import {
  AsyncSubject,
  BehaviorSubject,
  concat,
  concatMap,
  defer,
  EMPTY,
  first,
  from,
  ignoreElements,
  merge,
  mergeMap,
  Subject,
  tap,
  type Observable,
  type ObservableInput,
} from 'rxjs';
import type { CompletionLine } from './pageLines';

/**
 * The input messages of a completion, as the raw JSON text the server sent,
 * every page of them, in order: one string per page that holds any, its
 * messages separated by commas, so that `[${pages.join(',')}]` is the JSON
 * array of them all; `undefined` when the completion is gone.
 */
export type MessageSource = (completionId: string) => Observable<readonly string[] | undefined>;

/**
 * Hands the completions of a page to the join; the Observable completes, and
 * emits nothing, once each of them has a place among the joins at work, so
 * that a walk that waits for it (`processPages`) is paced by the join.
 */
export type Admit = (lines: readonly CompletionLine[]) => Observable<never>;

/**
 * Joins each completion of a walk to its input messages, `concurrency` at a
 * time, and hands each to `write` in the walk's order, whatever order the
 * message walks finish in.
 *
 * The places are shared by every page: a completion of the next page starts
 * as soon as one of the current page's has been written, so the joins at work
 * do not dip at page ends. A place is held from the start of a completion's
 * message walk until `write` completes for it (after the output drained), so
 * memory holds at most `concurrency` completions with their messages, and
 * the walk, which waits for its pages to be admitted, a page or two ahead.
 *
 * The Observable errors with the first error of the walk, of a message walk or
 * of `write`, unsubscribing the rest; what was written before stays written,
 * in order, with no gap.
 *
 * @param walk Subscribes to the walk, which hands each page's kept completions to `admit` and waits for it.
 * @param messages Where messages come from.
 * @param concurrency How many completions' messages are fetched at once.
 * @param write Writes a completion and its messages (`undefined` for a completion gone), in turn.
 * @returns An Observable that completes once the walk ended and every admitted completion was written.
 */
export function joinInOrder(
  walk: (admit: Admit) => Observable<unknown>,
  messages: MessageSource,
  concurrency: number,
  write: (completion: CompletionLine, messages: readonly string[] | undefined) => ObservableInput<unknown>,
): Observable<never> {
  return defer(() => {
    const free = new BehaviorSubject(concurrency);
    const joins = new Subject<Observable<never>>();
    // Each completion is written once the one before it was: the same chain as `withMessages`.
    let previousWritten: Observable<never> = EMPTY;
    const join = (line: CompletionLine): Observable<never> => {
      const turn = previousWritten;
      const written = new AsyncSubject<never>();
      previousWritten = written;
      return messages(line.id).pipe(
        concatMap((texts) => concat(turn, defer(() => write(line, texts)).pipe(ignoreElements()))),
        tap({
          complete: () => {
            written.complete();
            free.next(free.value + 1);
          },
        }),
      );
    };
    const admit: Admit = (lines) =>
      from(lines).pipe(
        concatMap((line) =>
          free.pipe(
            first((places) => places > 0),
            tap(() => {
              free.next(free.value - 1);
              joins.next(join(line));
            }),
          ),
        ),
        ignoreElements(),
      );
    return merge(
      joins.pipe(mergeMap((joined) => joined)),
      walk(admit).pipe(
        ignoreElements(),
        tap({ complete: () => joins.complete() }),
      ),
    );
  });
}
