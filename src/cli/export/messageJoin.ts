import { from, map, mergeMap, toArray, type Observable } from 'rxjs';
import type { MessageSource } from './joinInOrder';
import type { CompletionLine } from './pageLines';

/**
 * Fetches the input messages of each completion of a page, `concurrency` at
 * a time, and combines each completion with its messages; the results come
 * in the page's order, whatever order the requests finish in.
 *
 * The page is the unit: its results are emitted together, once all of its
 * messages arrived, for a caller that stores a page whole (`rxsc sync`).
 * Memory holds one page of completions and their messages; `export` joins
 * with `joinInOrder` instead, a completion at a time.
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
 * holds every byte the server sent: `{"completion":…,"messages":[…]}`. In
 * parts, one per page of messages, so that a conversation of thousands of
 * messages is never copied into one string, and goes out as it came in.
 *
 * @param completion The completion's line.
 * @param pages Its messages' texts, a string per page (see `MessageSource`).
 * @returns The parts of the line, in order.
 */
export function withMessagesLine(completion: CompletionLine, pages: readonly string[]): string[] {
  const parts = [`{"completion":${completion.line},"messages":[`];
  for (const page of pages) parts.push(parts.length === 1 ? page : `,${page}`);
  parts.push(']}');
  return parts;
}
