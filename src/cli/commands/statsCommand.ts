import { WALK_COMMAND_OPTIONS } from '../args/commonOptions';
import { CLI_DEFAULTS } from '../cliDefaults';
import type { Command } from '../Command';

/**
 * `rxsc stats`: one walk over the stored completions, summarized: counts by
 * model and by metadata value, token sums, the date range, and how the walk
 * went (pages, retries, time).
 */
export const statsCommand: Command = {
  name: 'stats',
  summary: 'Summarize stored completions: counts by model and metadata, tokens, dates',
  description: [
    'Walks the stored completions matching the filters and prints a summary: how many,',
    'the earliest and latest `created`, prompt, completion and total tokens (items',
    'without usage count 0), counts by model and by metadata key and value (the --top',
    'most frequent, the rest summed), and the pages, retries and time of the walk.',
    'Then charts: completions per UTC day as bars, and tokens per day by model as',
    'sparklines, as wide as the terminal (80 columns, or COLUMNS, off a terminal), in',
    'color on a terminal unless NO_COLOR is set. Memory stays flat: items are counted.',
    '',
    '--json prints the same figures as one JSON object, the days included (see docs/cli.md).',
    'With --emulator and no other flag, this is `npm start`: a rate-limited emulator of',
    `${CLI_DEFAULTS.emulator.count.toLocaleString('en-US')} completions that injects faults, to show the retries at work.`,
  ].join('\n'),
  options: {
    top: { type: 'string', value: 'N', help: `Models and values per metadata key to list (default ${CLI_DEFAULTS.top})` },
    json: { type: 'boolean', help: 'Print the summary as JSON instead of tables' },
    ...WALK_COMMAND_OPTIONS,
  },
  examples: [
    'rxsc stats --emulator',
    'rxsc stats --emulator --emulator-rate-limit off --emulator-fault-rate 0 --json',
    'rxsc stats --model gpt-4o --metadata env=prod --top 5',
    'rxsc stats --order desc --since 24h',
  ],
  load: () => (require('./runStats') as typeof import('./runStats')).runStats,
};
