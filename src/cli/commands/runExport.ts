import { open } from 'node:fs/promises';
import { concat, defer, map, of, takeWhile, tap, type Observable } from 'rxjs';
import { DEFAULTS } from '../../defaults';
import { readConnection } from '../args/connectionOptions';
import { readWalkParams } from '../args/listOptions';
import { readWindow, type TimeWindow } from '../args/windowOptions';
import type { ParsedOptions } from '../args/parseOptions';
import { EXIT } from '../cliDefaults';
import type { CliContext } from '../CliContext';
import { readRecord, recordedWindow, recordMismatches, recordPath, writeRecord, type ExportFormat, type ExportRecord } from '../export/ExportRecord';
import { fineTuneExample } from '../export/fineTuneExample';
import { fileFailure } from '../export/fileFailure';
import { LineSink } from '../export/LineSink';
import { joinMessages, withMessagesLine, type MessageSource } from '../export/messageJoin';
import { pageLines, type CompletionLine } from '../export/pageLines';
import { prepareResume } from '../export/resumePoint';
import { counted } from '../format/counted';
import { UsageError } from '../UsageError';
import { messageSource } from '../walk/messageSource';
import { pageSelector } from '../walk/pageSelector';
import { fullWalkPrefetch, runWalk } from '../walk/runWalk';
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
  const format = readFormat(options);
  const concurrency = options.integer('concurrency', 1, 100) ?? DEFAULTS.bulk.concurrency;
  if (format === 'completions' && options.has('concurrency')) {
    throw new UsageError('`--concurrency` sets how many completions’ messages are fetched at once: it applies only with `--with-messages` or `--format finetune`');
  }
  const connection = readConnection(options, context.env);
  const out = options.string('out');
  const resume = options.string('resume');
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
  const sink = await openSink(context, out, resume);
  if (out !== undefined) await writeRecord(out, record).catch((error: unknown) => Promise.reject(fileFailure(error, 'write', `--out ${out}`, recordPath(out))));
  const skipped = new Map<string, number>();
  const outcome = await runWalk(context, connection, (client, progress, signal) => {
    const toLines = pageWriter(format, messageSource(client, signal), concurrency, (reason) => {
      skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
      progress.outcome('skipped');
    });
    // `defer`: the selector counts `--max` down, so each subscription needs its own.
    return defer(() => {
      const select = pageSelector<CompletionLine>(start.window, params.order, max);
      return client.chat.completions
        .processPages(
          { ...params, after: start.after },
          (page) => {
            progress.page();
            const { kept, done } = select(pageLines(page));
            const written = toLines(kept).pipe(
              tap((lines) => {
                for (const { line, created } of lines) {
                  sink.write(line);
                  progress.item(created);
                }
              }),
            );
            return concat(written, sink.drained()).pipe(map(() => done));
          },
          { signal, prefetch: fullWalkPrefetch(max) },
        )
        .pipe(takeWhile((done) => !done), sink.guard());
    });
  }).finally(() => sink.close());
  for (const [reason, count] of skipped) {
    context.stderr.write(`Skipped ${counted(count, 'completion', 'completions')} ${reason}.\n`);
  }
  if (outcome.interrupted) {
    context.stderr.write(`Interrupted: ${counted(outcome.progress.items, 'completion', 'completions')} written, each on a whole line.\n`);
    return outcome.exitCode;
  }
  return EXIT.ok;
}

function readFormat(options: ParsedOptions): ExportFormat {
  const format = options.choice('format', ['completions', 'finetune'] as const) ?? 'completions';
  if (!options.flag('with-messages')) return format;
  if (format === 'finetune') throw new UsageError('`--format finetune` holds the input messages already: drop `--with-messages`');
  return 'with-messages';
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
  if (path === undefined) return new LineSink(context.stdout, false);
  try {
    const file = await open(path, resume === undefined ? 'w' : 'a');
    return new LineSink(file.createWriteStream(), true);
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

/** A page's kept completions, turned into the lines of the format, in order. */
type PageWriter = (lines: readonly CompletionLine[]) => Observable<ReadonlyArray<{ readonly line: string; readonly created: number }>>;

function pageWriter(format: ExportFormat, messages: MessageSource, concurrency: number, skip: (reason: string) => void): PageWriter {
  if (format === 'completions') return (lines) => of(lines);
  const lineOf =
    format === 'with-messages'
      ? (completion: CompletionLine, texts: readonly string[]): string | undefined => withMessagesLine(completion, texts)
      : (completion: CompletionLine, texts: readonly string[]): string | undefined => {
          const result = fineTuneExample(JSON.parse(completion.line), texts.map((text): unknown => JSON.parse(text)));
          if ('example' in result) return JSON.stringify(result.example);
          skip(result.skipped);
          return undefined;
        };
  return (lines) =>
    joinMessages(lines, messages, concurrency, (completion, texts) => {
      if (texts === undefined) {
        skip(GONE);
        return undefined;
      }
      const line = lineOf(completion, texts);
      return line === undefined ? undefined : { line, created: completion.created };
    }).pipe(map((results) => results.filter((result) => result !== undefined)));
}

/** Why completions listed by the walk have no line: their messages answered 404. Follows `Skipped 3 completions`. */
const GONE = 'deleted after the walk listed them, before their messages were read';
