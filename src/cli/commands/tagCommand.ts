import { DEFAULTS } from '../../defaults';
import { WALK_COMMAND_OPTIONS } from '../args/commonOptions';
import type { Command } from '../Command';

/**
 * `rxsc tag`: sets and removes metadata keys on every stored completion the
 * filters select, keeping their other keys.
 */
export const tagCommand: Command = {
  name: 'tag',
  summary: 'Set or remove metadata keys on the stored completions matching the filters',
  description: [
    'Merges --set KEY=VALUE and --unset KEY into the metadata of every stored completion',
    'matching the filters, keeping its other keys, --concurrency at a time. A completion',
    'that would hold more than 16 keys fails alone, with a message; the others are updated.',
    '',
    'Prints each updated id on stdout, each failure and a summary (updated, already gone,',
    'failed) on stderr; exits 0 when none failed, 1 otherwise. --dry-run prints the ids',
    'it would update, and sends no update.',
    '',
    '--unset without a filter removes keys from every stored completion: like delete, it',
    'asks first on a terminal, and otherwise refuses (exit 2) without --yes.',
  ].join('\n'),
  options: {
    set: { type: 'string', multiple: true, value: 'KEY=VALUE', help: 'Set KEY to VALUE; repeatable' },
    unset: { type: 'string', multiple: true, value: 'KEY', help: 'Remove KEY; repeatable' },
    yes: { type: 'boolean', help: 'With --unset and no filter: update every completion without asking' },
    'dry-run': { type: 'boolean', help: 'Print the ids it would update, one a line, and update nothing' },
    concurrency: { type: 'string', value: 'N', help: `Updates at once, 1 to 100 (default ${DEFAULTS.bulk.concurrency})` },
    ...WALK_COMMAND_OPTIONS,
  },
  examples: [
    'rxsc tag --model gpt-4o --since 7d --set purpose=distill',
    'rxsc tag --metadata purpose=distill --unset purpose --dry-run',
  ],
  load: () => (require('./runTag') as typeof import('./runTag')).runTag,
};
