import { DEFAULTS } from '../../defaults';
import { WALK_COMMAND_OPTIONS } from '../args/commonOptions';
import type { Command } from '../Command';

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
    concurrency: { type: 'string', value: 'N', help: `Deletions at once, 1 to 100 (default ${DEFAULTS.bulk.concurrency})` },
    ...WALK_COMMAND_OPTIONS,
  },
  examples: [
    'rxsc delete --metadata user=42 --dry-run',
    'rxsc delete --metadata user=42 --yes',
    'rxsc delete --metadata run=test-123 --until 7d --yes --concurrency 16',
  ],
  load: () => (require('./runDelete') as typeof import('./runDelete')).runDelete,
};
