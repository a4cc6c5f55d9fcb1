import { concat, defer, from, ignoreElements, map, mergeMap, toArray, type Observable } from 'rxjs';
import { CommandFailure } from '../CommandFailure';
import type { JoinedLine } from './joinInOrder';
import type { LineSink } from './LineSink';
import type { CompletionLine } from './pageLines';

/**
 * The input messages of a completion, as the raw JSON text the server sent,
 * every page of them, in order: one string per page that holds any, its
 * messages separated by commas, so that `[${pages.join(',')}]` is the JSON
 * array of them all; `undefined` when the completion is gone.
 */
export type MessageSource = (completionId: string) => Observable<readonly string[] | undefined>;

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

/** What became of a completion's line: written whole, or skipped as gone. */
export interface LineOutcome {
  /** Called once the line is written whole. */
  readonly written: () => void;
  /** Called when the completion is gone (404), its line not written or taken back. */
  readonly gone: () => void;
}

/** Starts the line of a completion, once its turn has come (see `joinInOrder`). */
export type StreamedLine = (completion: CompletionLine, outcome: LineOutcome) => JoinedLine;

/**
 * The lines of `export --with-messages`, written page by page as the messages
 * are read, from the raw texts, so that each holds every byte the server
 * sent: `{"completion":…,"messages":[…]}`. A conversation of thousands of
 * messages is never held whole: memory holds one page of it.
 *
 * The line starts with its first page. A completion gone before it (404) has
 * no line; one gone after its line started has it taken back, which only a
 * file can do: on stdout the export fails, naming the completion.
 *
 * @param sink Where the lines go.
 * @returns The line of each completion.
 */
export function streamedLine(sink: LineSink): StreamedLine {
  return (completion, outcome) => {
    let started = false;
    let messages = false;
    const start = (): void => {
      if (started) return;
      sink.part(`{"completion":${completion.line},"messages":[`);
      started = true;
    };
    return {
      pages: (texts) => {
        start();
        for (const text of texts) {
          if (text === '') continue;
          // Apart, not `,${text}`: a page's text is a slice of its body, which a concatenation would copy.
          if (messages) sink.part(',');
          sink.part(text);
          messages = true;
        }
        return sink.drained();
      },
      end: (gone) =>
        concat(
          defer(async () => {
            if (!gone) {
              start();
              sink.part(']}');
              sink.endLine();
              outcome.written();
              return;
            }
            if (started && !sink.canTakeBack) {
              throw new CommandFailure(
                `The input messages of ${JSON.stringify(completion.id)} were deleted while its line was being written to stdout, which cannot take it back: the line is cut short`,
              );
            }
            await sink.takeBack();
            outcome.gone();
          }).pipe(ignoreElements()),
          defer(() => sink.drained()),
        ),
    };
  };
}
