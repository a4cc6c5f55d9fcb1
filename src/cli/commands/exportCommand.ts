import { DEFAULTS } from '../../defaults';
import { WALK_COMMAND_OPTIONS } from '../args/commonOptions';
import { CLI_DEFAULTS } from '../cliDefaults';
import type { Command } from '../Command';

/**
 * `rxsc export`: every stored completion matching the filters, as JSONL, one
 * completion per line: as the server sent it, with its input messages, or as
 * a fine-tuning example; or as the rows of a Parquet file.
 */
export const exportCommand: Command = {
  name: 'export',
  summary: 'Write stored completions as JSONL, losslessly, to stdout or a file; or as Parquet',
  description: [
    'Writes every stored completion matching the filters as JSON Lines, one per line,',
    'each exactly as the server sent it: unknown fields kept, integers above 2^53 with',
    'every digit. Lines are whole even when the export is interrupted.',
    '',
    '--with-messages writes {"completion": …, "messages": […]} lines, the input messages',
    'as sent too; --format finetune writes OpenAI chat fine-tuning examples instead.',
    '',
    '--format parquet --out FILE writes a Parquet file instead, one row per completion,',
    'with --with-messages too (schema: docs/parquet.md). It is written under a temporary',
    'name and renamed to FILE once complete: an interrupted export leaves no FILE.',
    '',
    '--out FILE records the flags in FILE.rxsc.json. --resume FILE continues an',
    'interrupted export of FILE: it drops a trailing partial line and appends what comes',
    'after the last complete one, with no duplicate and no gap; it refuses flags that',
    'select or write other completions than the recorded ones.',
  ].join('\n'),
  options: {
    out: { type: 'string', value: 'FILE', help: 'Write to FILE, replacing it, and record the flags in FILE.rxsc.json (default: stdout)' },
    resume: { type: 'string', value: 'FILE', help: 'Continue an interrupted export of FILE, appending to it' },
    'with-messages': { type: 'boolean', help: 'Write {"completion": …, "messages": […]} lines, with the input messages' },
    format: {
      type: 'string',
      value: 'completions|finetune|parquet',
      help: 'What a line holds: the completion (default), or a fine-tuning example; or parquet: a Parquet file (with --out)',
    },
    concurrency: {
      type: 'string',
      value: 'N',
      help: `Completions whose messages are fetched at once (default ${DEFAULTS.bulk.concurrency}); conversations longer than --read-ahead, ${CLI_DEFAULTS.export.longConversations}`,
    },
    'read-ahead': {
      type: 'string',
      value: 'SIZE',
      help: `Messages each completion may hold before its turn to be written, as 512k or 16m (default ${CLI_DEFAULTS.export.aheadMessageChars / 1024}k)`,
    },
    ...WALK_COMMAND_OPTIONS,
  },
  examples: [
    'rxsc export --emulator --emulator-count 1000 --out completions.jsonl',
    'rxsc export --emulator --model gpt-4o-mini --metadata env=prod --max 10',
    'rxsc export --emulator --since 7d --with-messages --out last-week.jsonl',
    'rxsc export --emulator --metadata purpose=distill --format finetune --out train.jsonl',
    'rxsc export --resume completions.jsonl',
    'rxsc export --emulator --since 30d --format parquet --out history.parquet',
  ],
  load: () => (require('./runExport') as typeof import('./runExport')).runExport,
};
