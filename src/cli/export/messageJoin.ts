import { from, map, mergeMap, toArray, type Observable } from 'rxjs';
import type { CompletionLine } from './pageLines';

/**
 * The input messages of a completion, each as the raw JSON text the server
 * sent, every page of them, in order; `undefined` when the completion is gone.
 */
export type MessageSource = (completionId: string) => Observable<readonly string[] | undefined>;

/**
 * Fetches the input messages of each completion of a page, `concurrency` at
 * a time, and combines each completion with its messages; the results come
 * in the page's order, whatever order the requests finish in.
 *
 * The page is the unit: its results are emitted together, once all of its
 * messages arrived, so that the caller can write them in order and wait for
 * its output before the walk goes on. Memory holds one page of completions
 * and their messages.
 *
 * @param lines The completions of a page.
 * @param messages Where messages come from.
 * @param concurrency How many completions' messages are fetched at once.
 * @param combine Makes the result of a completion and its messages (`undefined` for a completion gone).
 * @returns One array of results, in the order of `lines`.
 */
export function joinMessages<R>(
  lines: readonly CompletionLine[],
  messages: MessageSource,
  concurrency: number,
  combine: (completion: CompletionLine, messages: readonly string[] | undefined) => R,
): Observable<R[]> {
  return from(lines.entries()).pipe(
    mergeMap(([index, line]) => messages(line.id).pipe(map((texts) => ({ index, result: combine(line, texts) }))), concurrency),
    toArray(),
    map((results) => results.sort((a, b) => a.index - b.index).map(({ result }) => result)),
  );
}

/**
 * A line of `export --with-messages`, built from the raw texts, so that it
 * holds every byte the server sent: `{"completion":…,"messages":[…]}`.
 *
 * @param completion The completion's line.
 * @param messages Its messages' texts.
 * @returns The line.
 */
export function withMessagesLine(completion: CompletionLine, messages: readonly string[]): string {
  return `{"completion":${completion.line},"messages":[${messages.join(',')}]}`;
}
