import { tap } from 'rxjs';
import { deleteEach } from '../../bulk/deleteEach';
import {
  CONNECTION_OPTIONS,
  EMULATOR_OPTIONS,
  HELP_OPTION,
  LIST_OPTIONS,
  readConnection,
  readWalkParams,
  readWindow,
  WINDOW_OPTIONS,
} from '../args/commonOptions';
import { CLI_DEFAULTS, EXIT } from '../cliDefaults';
import type { Command } from '../Command';
import { confirm } from '../confirm';
import { describeSelection } from '../format/describeSelection';
import { formatCount } from '../format/formatCount';
import { UsageError } from '../UsageError';
import { recordOutcome, type OutcomeLabels } from '../walk/outcome';
import { runWalk } from '../walk/runWalk';
import { selectedCompletions } from '../walk/selectedCompletions';

/**
 * `rxsc delete`: deletes every stored completion the filters select, after
 * asking, or with `--yes`.
 */
export const deleteCommand: Command = {
  name: 'delete',
  summary: 'Delete the stored completions matching the filters',
  description: [
    'Deletes every stored completion matching the filters, --concurrency at a time.',
    'Without --yes it sends nothing: on a terminal it says what it will delete and asks;',
    'with stdin not a terminal it refuses (exit 2). --dry-run prints the ids it would',
    'delete and deletes nothing.',
    '',
    'Prints each deleted id on stdout, each failure and a summary (deleted, already gone,',
    'failed) on stderr; exits 0 when none failed, 1 otherwise. After an interruption or',
    'failures, the same command again finishes the job: it finds what is left.',
  ].join('\n'),
  options: {
    yes: { type: 'boolean', help: 'Delete without asking' },
    'dry-run': { type: 'boolean', help: 'Print the ids it would delete, one a line, and delete nothing' },
    concurrency: { type: 'string', value: 'N', help: `Deletions at once, 1 to 100 (default ${CLI_DEFAULTS.concurrency})` },
    ...LIST_OPTIONS,
    ...WINDOW_OPTIONS,
    ...CONNECTION_OPTIONS,
    ...EMULATOR_OPTIONS,
    ...HELP_OPTION,
  },
  examples: [
    'rxsc delete --metadata user=42 --dry-run',
    'rxsc delete --metadata user=42 --yes',
    'rxsc delete --metadata run=test-123 --until 7d --yes --concurrency 16',
  ],

  async run(options, context) {
    const { params, max } = readWalkParams(options);
    const window = readWindow(options, context.now());
    const concurrency = options.integer('concurrency', 1, 100) ?? CLI_DEFAULTS.concurrency;
    const dryRun = options.flag('dry-run');
    const connection = readConnection(options, context.env);
    const selection = describeSelection(params, window, max);
    if (!dryRun && !options.flag('yes')) {
      if (context.stdin?.isTTY !== true) {
        throw new UsageError(`\`rxsc delete\` would delete ${selection}; it asks first, and stdin is not a terminal: pass --yes to delete without asking, or --dry-run to list them`);
      }
      if (!(await confirm(`Delete ${selection}?`, context))) {
        context.stderr.write('Nothing deleted.\n');
        return EXIT.failure;
      }
    }
    const outcome = await runWalk<unknown>(context, connection, (client, progress, signal) => {
      const selected = selectedCompletions(client, params, window, max, signal);
      if (dryRun) {
        return selected.pipe(
          tap((completion) => {
            context.stdout.write(`${completion.id}\n`);
            progress.item(completion.created);
          }),
        );
      }
      return selected.pipe(
        deleteEach(client, { concurrency, signal }),
        tap((result) => recordOutcome(result, progress, context.stdout, LABELS)),
      );
    });
    if (dryRun) {
      if (outcome.interrupted) return outcome.exitCode;
      context.stderr.write(`Would delete ${formatCount(outcome.progress.items)} completions.\n`);
      return EXIT.ok;
    }
    const counts = (['done', 'gone', 'failed'] as const).map((status) => outcome.progress.outcomeCount(LABELS[status]));
    if (outcome.interrupted) {
      context.stderr.write(`Interrupted: ${summary(counts)} Run the same command again to finish.\n`);
      return outcome.exitCode;
    }
    const failed = counts[2] !== 0;
    context.stderr.write(`${summary(counts)}${failed ? ' Run the same command again to retry the failed ones.' : ''}\n`);
    return failed ? EXIT.failure : EXIT.ok;
  },
};

const LABELS: OutcomeLabels = { done: 'deleted', gone: 'already gone', failed: 'failed' };

function summary([deleted = 0, gone = 0, failed = 0]: readonly number[]): string {
  return `${formatCount(deleted)} deleted, ${formatCount(gone)} already gone, ${formatCount(failed)} failed.`;
}
