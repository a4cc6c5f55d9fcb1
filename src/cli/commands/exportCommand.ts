import { concat, of, tap } from 'rxjs';
import { CONNECTION_OPTIONS, EMULATOR_OPTIONS, HELP_OPTION, LIST_OPTIONS, readConnection, readWalkParams } from '../args/commonOptions';
import { EXIT } from '../cliDefaults';
import type { Command } from '../Command';
import { LineSink } from '../export/LineSink';
import { pageLines } from '../export/pageLines';
import { prepareResume } from '../export/resumePoint';
import { UsageError } from '../UsageError';
import { countedItems } from '../walk/countedItems';
import { fullWalkPrefetch, runWalk } from '../walk/runWalk';

/**
 * `rxsc export`: every stored completion matching the filters, as JSONL, one
 * completion per line, each line the completion exactly as the server sent it.
 */
export const exportCommand: Command = {
  name: 'export',
  summary: 'Write stored completions as JSONL, losslessly, to stdout or a file',
  description: [
    'Writes every stored completion matching the filters as JSON Lines, one per line,',
    'each exactly as the server sent it: unknown fields kept, integers above 2^53 with',
    'every digit. Lines are whole even when the export is interrupted.',
    '',
    '--resume FILE continues an interrupted export of FILE: it drops a trailing partial',
    'line and appends what comes after the last complete one, with no duplicate and no',
    'gap. Give it the same --order and filters as the original export.',
  ].join('\n'),
  options: {
    out: { type: 'string', value: 'FILE', help: 'Write to FILE, replacing it (default: stdout)' },
    resume: { type: 'string', value: 'FILE', help: 'Continue an interrupted export of FILE, appending to it' },
    ...LIST_OPTIONS,
    ...CONNECTION_OPTIONS,
    ...EMULATOR_OPTIONS,
    ...HELP_OPTION,
  },
  examples: [
    'rxsc export --emulator --emulator-count 1000 --out completions.jsonl',
    'rxsc export --emulator --model gpt-4o-mini --metadata env=prod --max 10',
    'rxsc export --resume completions.jsonl',
  ],

  async run(options, context) {
    const { params, max } = readWalkParams(options);
    const connection = readConnection(options, context.env);
    const out = options.string('out');
    const resume = options.string('resume');
    if (resume !== undefined && out !== undefined) {
      throw new UsageError('`--resume FILE` appends to FILE: it cannot be combined with `--out`');
    }
    if (resume !== undefined && params.after !== undefined) {
      throw new UsageError('`--resume` continues after the last line of its file: it cannot be combined with `--after`');
    }
    const after = resume === undefined ? params.after : await prepareResume(resume);
    const path = resume ?? out;
    const sink = path === undefined ? new LineSink(context.stdout, false) : LineSink.toFile(path, resume !== undefined);
    const outcome = await runWalk(context, connection, (client, progress, signal) =>
      client.chat.completions.processPages({ ...params, after }, (page) => concat(of(page), sink.drained()), {
        signal,
        prefetch: fullWalkPrefetch(max),
      }).pipe(
        countedItems(progress, pageLines, max),
        tap(({ line }) => sink.write(line)),
        sink.guard(),
      ),
    ).finally(() => sink.close());
    if (outcome.interrupted) {
      context.stderr.write(`Interrupted: ${outcome.progress.items} completions written, each on a whole line.\n`);
      return outcome.exitCode;
    }
    return EXIT.ok;
  },
};
