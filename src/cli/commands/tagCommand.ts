import { of, tap } from 'rxjs';
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
import type { ParsedOptions } from '../args/parseOptions';
import { CLI_DEFAULTS, EXIT } from '../cliDefaults';
import type { Command } from '../Command';
import { formatCount } from '../format/formatCount';
import { MAX_METADATA_KEYS, mergeMetadata } from '../tag/mergeMetadata';
import { UsageError } from '../UsageError';
import { eachSelected } from '../walk/eachSelected';
import { asOutcome, recordOutcome, type Outcome } from '../walk/outcome';
import { runWalk } from '../walk/runWalk';

/** The API's limits on a metadata key and value, in characters. */
const MAX_KEY_CHARS = 64;
const MAX_VALUE_CHARS = 512;

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
    'whose metadata would not change is not sent. One that would hold more than 16 keys',
    'fails alone, with a message; the others are updated.',
    '',
    'Prints each updated id on stdout, each failure and a summary (updated, unchanged,',
    'already gone, failed) on stderr; exits 0 when none failed, 1 otherwise. --dry-run',
    'prints the ids it would update, and the failures it foresees, and sends no update.',
  ].join('\n'),
  options: {
    set: { type: 'string', multiple: true, value: 'KEY=VALUE', help: 'Set KEY to VALUE; repeatable' },
    unset: { type: 'string', multiple: true, value: 'KEY', help: 'Remove KEY; repeatable' },
    'dry-run': { type: 'boolean', help: 'Print the ids it would update, one a line, and update nothing' },
    concurrency: { type: 'string', value: 'N', help: `Updates at once, 1 to 100 (default ${CLI_DEFAULTS.concurrency})` },
    ...LIST_OPTIONS,
    ...WINDOW_OPTIONS,
    ...CONNECTION_OPTIONS,
    ...EMULATOR_OPTIONS,
    ...HELP_OPTION,
  },
  examples: [
    'rxsc tag --model gpt-4o --since 7d --set purpose=distill',
    'rxsc tag --metadata purpose=distill --unset purpose --dry-run',
  ],

  async run(options, context) {
    const { params, max } = readWalkParams(options);
    const window = readWindow(options, context.now());
    const { set, unset } = readChanges(options);
    const concurrency = options.integer('concurrency', 1, 100) ?? CLI_DEFAULTS.concurrency;
    const dryRun = options.flag('dry-run');
    const connection = readConnection(options, context.env);
    const outcome = await runWalk(context, connection, (client, progress, signal) =>
      eachSelected(client, { params, window, max, concurrency, signal }, progress, (completion) => {
        const change = mergeMetadata(completion.metadata, set, unset);
        const { id } = completion;
        const result =
          change.kind === 'unchanged'
            ? of<Outcome>({ id, kind: 'unchanged' })
            : change.kind === 'too-many'
              ? of<Outcome>({
                  id,
                  kind: 'failed',
                  reason: `its metadata would hold ${change.keys} keys, more than the ${MAX_METADATA_KEYS} allowed: --unset some of its keys`,
                })
              : dryRun
                ? of<Outcome>({ id, kind: 'done' })
                : asOutcome(client.chat.completions.update(id, { metadata: change.metadata }, { signal }), id, signal);
        return result.pipe(
          tap((outcome) => {
            progress.item(completion.created);
            recordOutcome(outcome, progress, context.stdout, dryRun ? DRY_RUN_LABELS : LABELS);
          }),
        );
      }),
    );
    const counts = (['done', 'unchanged', 'gone', 'failed'] as const).map((kind) => outcome.progress.outcomeCount((dryRun ? DRY_RUN_LABELS : LABELS)[kind]));
    const [done = 0, unchanged = 0, gone = 0, failed = 0] = counts;
    context.stderr.write(
      `${outcome.interrupted ? 'Interrupted: ' : ''}${formatCount(done)} ${dryRun ? 'to update' : 'updated'}, ` +
        `${formatCount(unchanged)} unchanged, ${formatCount(gone)} already gone, ${formatCount(failed)} failed.\n`,
    );
    if (outcome.interrupted) return outcome.exitCode;
    return failed === 0 ? EXIT.ok : EXIT.failure;
  },
};

const LABELS = { done: 'updated', unchanged: 'unchanged', gone: 'already gone', failed: 'failed' } as const;
const DRY_RUN_LABELS = { ...LABELS, done: 'to update' } as const;

/** Reads `--set` and `--unset`, refusing what the API would refuse for every completion. */
function readChanges(options: ParsedOptions): { set: Map<string, string>; unset: Set<string> } {
  const set = new Map<string, string>();
  for (const pair of options.strings('set')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) options.fail('set', 'KEY=VALUE with a non-empty KEY', pair);
    const key = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    if (set.has(key)) throw new UsageError(`\`--set\` gives the key ${JSON.stringify(key)} twice`);
    if (key.length > MAX_KEY_CHARS) options.fail('set', `a KEY of at most ${MAX_KEY_CHARS} characters`, pair);
    if (value.length > MAX_VALUE_CHARS) options.fail('set', `a VALUE of at most ${MAX_VALUE_CHARS} characters`, pair);
    set.set(key, value);
  }
  const unset = new Set(options.strings('unset'));
  for (const key of unset) {
    if (key === '') options.fail('unset', 'a non-empty KEY', key);
    if (set.has(key)) throw new UsageError(`The key ${JSON.stringify(key)} is given to both \`--set\` and \`--unset\``);
  }
  if (set.size === 0 && unset.size === 0) throw new UsageError('Nothing to do: give at least one `--set KEY=VALUE` or `--unset KEY`');
  if (set.size > MAX_METADATA_KEYS) throw new UsageError(`\`--set\` gives ${set.size} keys; a completion holds at most ${MAX_METADATA_KEYS}`);
  return { set, unset };
}
