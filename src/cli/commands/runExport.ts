import { concat, defer, EMPTY, identity, of, takeWhile, type MonoTypeOperatorFunction, type Observable } from 'rxjs';
import { DEFAULTS } from '../../defaults';
import type { CompletionRow } from '../../internal/parquet/completionColumns';
import { ParquetFile } from '../../internal/parquet/ParquetFile';
import { readConnection, type ConnectionSettings } from '../args/connectionOptions';
import { readWalkParams } from '../args/listOptions';
import { readWindow, type TimeWindow } from '../args/windowOptions';
import type { ParsedOptions } from '../args/parseOptions';
import { CLI_DEFAULTS, EXIT } from '../cliDefaults';
import type { CliContext } from '../CliContext';
import { readRecord, recordedWindow, recordMismatches, recordPath, writeRecord, type ExportFormat, type ExportRecord } from '../export/ExportRecord';
import { fineTuneExample } from '../export/fineTuneExample';
import { fileFailure } from '../export/fileFailure';
import { LineSink } from '../export/LineSink';
import { joinInOrder } from '../export/joinInOrder';
import { streamedLine, type StreamedLine } from '../export/messageJoin';
import { pageLines, type CompletionLine } from '../export/pageLines';
import { prepareResume } from '../export/resumePoint';
import { counted } from '../format/counted';
import { UsageError } from '../UsageError';
import { messagePages } from '../walk/messageSource';
import { pageSelector } from '../walk/pageSelector';
import { fullWalkPrefetch, runWalk, type WalkOutcome } from '../walk/runWalk';
import type { CommandContext } from '../Command';

/**
 * Runs `rxsc export`: see {@link exportCommand} for what it does.
 *
 * @param options The parsed flags.
 * @param context The CLI's edges, and the status line.
 * @returns The exit code.
 */
export async function runExport(options: ParsedOptions, context: CommandContext): Promise<number> {
  const { params, max } = readWalkParams(options);
  const { format, parquet } = readFormat(options);
  const concurrency = options.integer('concurrency', 1, 100) ?? DEFAULTS.bulk.concurrency;
  const aheadChars = options.size('read-ahead', 1024) ?? CLI_DEFAULTS.export.aheadMessageChars;
  for (const flag of ['concurrency', 'read-ahead']) {
    if (format === 'completions' && options.has(flag)) {
      throw new UsageError(`\`--${flag}\` paces how completions’ messages are fetched: it applies only with \`--with-messages\` or \`--format finetune\``);
    }
  }
  const connection = readConnection(options, context.env);
  const out = options.string('out');
  const resume = options.string('resume');
  if (parquet && resume !== undefined) {
    throw new UsageError('`--format parquet` writes a file whole or not at all, so there is nothing to resume: rerun the export');
  }
  if (parquet && out === undefined) throw new UsageError('`--format parquet` writes a file: give it with `--out FILE`');
  if (resume !== undefined && out !== undefined) {
    throw new UsageError('`--resume FILE` appends to FILE: it cannot be combined with `--out`');
  }
  if (resume !== undefined && params.after !== undefined) {
    throw new UsageError('`--resume` continues after the last line of its file: it cannot be combined with `--after`');
  }
  if (resume !== undefined && format === 'finetune') {
    throw new UsageError('`--resume` finds where to continue by the id on the last line, and a fine-tuning example has none: rerun the export');
  }
  const record = exportRecord(format, params, readWindow(options, context.now()));
  const start = resume === undefined ? { after: params.after, window: recordedWindow(record) } : await resumeStart(resume, record, context);
  const walk = { params: { ...params, after: start.after }, window: start.window, max, concurrency, aheadChars };
  if (parquet && out !== undefined) return exportParquet(out, format === 'with-messages', walk, connection, context);
  const sink = await openSink(context, out, resume);
  if (out !== undefined) await writeRecord(out, record).catch((error: unknown) => Promise.reject(fileFailure(error, 'write', `--out ${out}`, recordPath(out))));
  const lines: Records<Line> =
    format === 'finetune' ? { joined: fineTuneLine } : format === 'with-messages' ? { streamed: streamedLine(sink) } : { plain: identity };
  const outcome = await exportPages(walk, connection, context, lines, (line) => line.created, {
    write: (written) => {
      for (const { line } of written) sink.write(line);
      return sink.drained();
    },
    guard: () => sink.guard(),
  }).finally(async () => {
    await sink.close();
    // A file takes a line cut short back; stdout cannot.
    if (sink.lineCut) context.stderr.write('The last line on stdout is cut short: the export stopped in the middle of its completion’s messages.\n');
  });
  if (outcome.interrupted) {
    const whole = sink.lineCut ? '' : ', each on a whole line';
    context.stderr.write(`Interrupted: ${counted(outcome.progress.items, 'completion', 'completions')} written${whole}.\n`);
    return outcome.exitCode;
  }
  return EXIT.ok;
}

/**
 * `--format parquet`: the completions (and their messages) as rows of a Parquet file, written
 * under a temporary name and renamed to `out` once complete; on a failure or an interrupt, the
 * temporary file is removed and `out` is left as it was.
 */
async function exportParquet(out: string, messages: boolean, walk: PageWalk, connection: ConnectionSettings, context: CommandContext): Promise<number> {
  const file = await ParquetFile.create(out, { messages, rowGroupRows: DEFAULTS.parquet.rowGroupRows }).catch((error: unknown) =>
    Promise.reject(fileFailure(error, 'write', `--out ${out}`)),
  );
  let completed = false;
  try {
    const rows: Records<CompletionRow> = messages
      ? { joined: (line, texts) => ({ completion: line.completion, json: line.line, messages: `[${texts.join(',')}]` }) }
      : { plain: (line) => ({ completion: line.completion, json: line.line }) };
    const outcome = await exportPages(walk, connection, context, rows, (row) => row.completion.created, {
      write: (rows) => {
        for (const row of rows) file.append(row);
        return EMPTY;
      },
      guard: () => identity,
    });
    if (outcome.interrupted) {
      context.stderr.write(
        `Interrupted: ${out} was not written, as a Parquet file is written whole or not at all; ${counted(outcome.progress.items, 'completion', 'completions')} had been read.\n`,
      );
      return outcome.exitCode;
    }
    await file.close();
    completed = true;
    return EXIT.ok;
  } catch (error) {
    context.stderr.write(`${out} was not written.\n`);
    throw error;
  } finally {
    if (!completed) file.discard();
  }
}

/** What a walk of `export` selects: the list's parameters, the created window, `--max`; and how many completions' messages are fetched at once. */
interface PageWalk {
  readonly params: ReturnType<typeof readWalkParams>['params'];
  readonly window: TimeWindow;
  readonly max: number | undefined;
  readonly concurrency: number;
  /** How many characters of messages a completion may hold before its turn (`--read-ahead`). */
  readonly aheadChars: number;
}

/** Where the records of an export go, a page at a time. */
interface RecordOutput<R> {
  /** Writes a page's records, and completes once the output can take the next page. */
  readonly write: (records: readonly R[]) => Observable<never>;
  /** Ties the walk to the output: errors when the output fails, completes when its reader went away. */
  readonly guard: <T>() => MonoTypeOperatorFunction<T>;
}

/**
 * The walk of `export`, whatever it writes: each page's completions inside the window, up to
 * `--max`, turned into records, and written before the next page is requested. Records that are
 * `joined` (the whole conversation) or `streamed` (a line written page by page) take each
 * completion's input messages, fetched `concurrency` at a time across pages (long conversations
 * `longConversations` at a time, each holding at most `aheadChars` before its turn) and written in
 * the walk's order (`joinInOrder`): completions deleted before their messages were read are
 * skipped, and said so on stderr, whatever the exit.
 */
async function exportPages<R>(
  walk: PageWalk,
  connection: ConnectionSettings,
  context: CommandContext,
  records: Records<R>,
  createdOf: (record: R) => number,
  output: RecordOutput<R>,
): Promise<WalkOutcome<unknown>> {
  const skipped = new Map<string, number>();
  try {
    return await runWalk(context, connection, (client, progress, signal) => {
      const skip = (reason: string): void => {
        skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
        progress.outcome('skipped');
      };
      const write = (written: readonly R[]): Observable<never> => {
        for (const record of written) progress.item(createdOf(record));
        return output.write(written);
      };
      // `defer`: the selector counts `--max` down, so each subscription needs its own.
      return defer(() => {
        const select = pageSelector<CompletionLine>(walk.window, walk.params.order, walk.max);
        const pages = (work: (kept: readonly CompletionLine[]) => Observable<never>): Observable<boolean> =>
          client.chat.completions
            .processPages(
              walk.params,
              (page) => {
                progress.page();
                const { kept, done } = select(pageLines(page));
                return concat(work(kept), of(done));
              },
              { signal, prefetch: fullWalkPrefetch(walk.max) },
            )
            .pipe(takeWhile((done) => !done));
        if ('plain' in records) return pages((kept) => defer(() => write(kept.map(records.plain)))).pipe(output.guard());
        const open = 'streamed' in records ? records.streamed : collectedLine(records.joined, write, skip);
        const limits = { concurrency: walk.concurrency, aheadChars: walk.aheadChars, longConcurrency: Math.min(walk.concurrency, CLI_DEFAULTS.export.longConversations) };
        return joinInOrder(pages, messagePages(client, signal), limits, (completion) =>
          open(completion, {
            written: () => progress.item(completion.created),
            gone: () => skip(GONE),
          }),
        ).pipe(output.guard());
      });
    });
  } finally {
    // Whatever the exit: a resume starts after the last line written, so no later run would report them.
    for (const [reason, count] of skipped) {
      context.stderr.write(`Skipped ${counted(count, 'completion', 'completions')} ${reason}.\n`);
    }
  }
}

function readFormat(options: ParsedOptions): { readonly format: ExportFormat; readonly parquet: boolean } {
  const chosen = options.choice('format', ['completions', 'finetune', 'parquet'] as const) ?? 'completions';
  const parquet = chosen === 'parquet';
  const format = parquet ? 'completions' : chosen;
  if (!options.flag('with-messages')) return { format, parquet };
  if (format === 'finetune') throw new UsageError('`--format finetune` holds the input messages already: drop `--with-messages`');
  return { format: 'with-messages', parquet };
}

function exportRecord(format: ExportFormat, params: ReturnType<typeof readWalkParams>['params'], window: TimeWindow): ExportRecord {
  return {
    format,
    order: params.order ?? 'asc',
    model: params.model ?? null,
    metadata: params.metadata ?? {},
    since: window.since ?? null,
    until: window.until ?? null,
    after: params.after ?? null,
  };
}

/**
 * Where the lines go: stdout, or the file of `--out` or `--resume`, opened
 * before anything is sent, so that a path that cannot be written fails at
 * once with the flag's name and the reason.
 */
async function openSink(context: CommandContext, out: string | undefined, resume: string | undefined): Promise<LineSink> {
  const path = resume ?? out;
  if (path === undefined) return new LineSink(context.stdout);
  try {
    return await LineSink.toFile(path, resume !== undefined);
  } catch (error) {
    throw fileFailure(error, 'write', resume === undefined ? `--out ${path}` : `--resume ${path}`);
  }
}

/**
 * Where a resumed export starts, after checking its flags against the record
 * of the export; writes the record when the file had none.
 */
async function resumeStart(
  file: string,
  current: ExportRecord,
  context: CliContext,
): Promise<{ readonly after: string | undefined; readonly window: TimeWindow }> {
  const flag = `--resume ${file}`;
  const recorded = await readRecord(file).catch((error: unknown) => Promise.reject(fileFailure(error, 'read', flag, recordPath(file))));
  if (recorded !== undefined) {
    const mismatches = recordMismatches(recorded, current);
    if (mismatches.length > 0) {
      throw new UsageError(
        `\`--resume ${file}\` would continue the export with other flags than it was made with (${recordPath(file)}): ` +
          `${mismatches.join('; ')}. Give the same flags.`,
      );
    }
  }
  const after = await prepareResume(file).catch((error: unknown) => Promise.reject(fileFailure(error, 'read', flag)));
  if (recorded === undefined && after !== undefined) {
    context.stderr.write(`rxsc: ${recordPath(file)} is missing, so the flags cannot be checked against the export's; continuing with these.\n`);
  }
  if (recorded === undefined) await writeRecord(file, current).catch((error: unknown) => Promise.reject(fileFailure(error, 'write', flag, recordPath(file))));
  const record = recorded ?? current;
  return { after: after ?? record.after ?? undefined, window: recordedWindow(record) };
}

/**
 * The record of a completion joined to its input messages' texts (a string per page, see
 * `MessageSource`); `undefined`, with the reason told to `skip`, for one that makes none.
 */
type RecordOf<R> = (completion: CompletionLine, messages: readonly string[], skip: (reason: string) => void) => R | undefined;

/**
 * How an export turns a page's completions into records: each alone; `joined` to its input
 * messages, once they are all read; or `streamed`, a line written as its messages are read.
 */
type Records<R> = { readonly plain: (completion: CompletionLine) => R } | { readonly joined: RecordOf<R> } | { readonly streamed: StreamedLine };

/**
 * The line of a completion joined to its messages, written by a record that holds them all
 * (`RecordOf`) once they are read; a completion gone is skipped.
 */
function collectedLine<R>(recordOf: RecordOf<R>, write: (records: readonly R[]) => Observable<never>, skip: (reason: string) => void): StreamedLine {
  return (completion, outcome) => {
    const texts: string[] = [];
    return {
      pages: (read) => {
        for (const text of read) if (text !== '') texts.push(text);
        return EMPTY;
      },
      end: (gone) =>
        defer(() => {
          if (gone) {
            outcome.gone();
            return EMPTY;
          }
          const record = recordOf(completion, texts, skip);
          return record === undefined ? EMPTY : write([record]);
        }),
    };
  };
}

/** A line of a JSONL export, and the `created` of its completion. */
interface Line {
  readonly line: string;
  readonly created: number;
}

const fineTuneLine: RecordOf<Line> = (completion, texts, skip) => {
  const result = fineTuneExample(JSON.parse(completion.line), JSON.parse(`[${texts.join(',')}]`) as unknown[]);
  if ('example' in result) return { line: JSON.stringify(result.example), created: completion.created };
  skip(result.skipped);
  return undefined;
};

/** Why completions listed by the walk have no line: their messages answered 404. Follows `Skipped 3 completions`. */
const GONE = 'deleted after the walk listed them, before their messages were read';
