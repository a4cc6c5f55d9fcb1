import { defer, reduce } from 'rxjs';
import { readConnection } from '../args/connectionOptions';
import { readWalkParams } from '../args/listOptions';
import { readWindow, windowSeconds } from '../args/windowOptions';
import { WALK_COMMAND_OPTIONS } from '../args/commonOptions';
import { createdWithin } from '../../bulk/createdWithin';
import { CLI_DEFAULTS, EXIT } from '../cliDefaults';
import type { Command } from '../Command';
import { formatStats } from '../stats/formatStats';
import { addToStats, emptyStats, summarizeStats } from '../stats/statsReducer';
import { countedItems } from '../walk/countedItems';
import { fullWalkPrefetch, runWalk } from '../walk/runWalk';

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
    'Memory stays flat: items are counted, not kept.',
    '',
    '--json prints the same figures as one JSON object (see docs/cli.md).',
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

  async run(options, context) {
    const { params, max } = readWalkParams(options);
    const window = readWindow(options, context.now());
    const top = options.integer('top', 1) ?? CLI_DEFAULTS.top;
    const json = options.flag('json');
    const connection = readConnection(options, context.env);
    const outcome = await runWalk(context, connection, (client, progress, signal) =>
      // `defer`: the accumulator is mutated, so each subscription needs its own.
      defer(() =>
        client.chat.completions.pages(params, { signal, prefetch: fullWalkPrefetch(max) }).pipe(
          countedItems(progress, (page) => page.data, max, createdWithin(windowSeconds(window), params.order ?? 'asc')),
          reduce(addToStats, emptyStats()),
        ),
      ),
    );
    if (outcome.interrupted) {
      context.stderr.write(`Interrupted after ${outcome.progress.items} completions: no summary.\n`);
      return outcome.exitCode;
    }
    const summary = summarizeStats(outcome.last ?? emptyStats(), top);
    const walk = { pages: outcome.progress.pages, retries: outcome.progress.retries, elapsedMs: outcome.progress.elapsedMs() };
    context.stdout.write(json ? `${JSON.stringify({ ...summary, walk }, null, 2)}\n` : formatStats(summary, walk));
    return EXIT.ok;
  },
};
