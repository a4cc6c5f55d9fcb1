import { updateEach } from '../../bulk/updateEach';
import { DEFAULTS } from '../../defaults';
import { METADATA_LIMITS, metadataLength } from '../../internal/metadata/metadataLimits';
import { readConnection } from '../args/connectionOptions';
import { readWalkParams } from '../args/listOptions';
import { readWindow } from '../args/windowOptions';
import type { ParsedOptions } from '../args/parseOptions';
import { UsageError } from '../UsageError';
import { askFirst } from '../confirm';
import { runBulk } from '../walk/runBulk';
import type { CommandContext } from '../Command';

/**
 * Runs `rxsc tag`: see {@link tagCommand} for what it does.
 *
 * @param options The parsed flags.
 * @param context The CLI's edges, and the status line.
 * @returns The exit code.
 */
export async function runTag(options: ParsedOptions, context: CommandContext): Promise<number> {
  const { params, max } = readWalkParams(options);
  const window = readWindow(options, context.now());
  const { set, unset } = readChanges(options);
  const concurrency = options.integer('concurrency', 1, 100) ?? DEFAULTS.bulk.concurrency;
  const dryRun = options.flag('dry-run');
  const connection = readConnection(options, context.env);
  const unfiltered = [params.model, params.metadata, params.after, window.since, window.until, max].every((filter) => filter === undefined);
  if (unset.size > 0 && unfiltered && !dryRun && !options.flag('yes')) {
    const keys = [...unset].map((key) => JSON.stringify(key)).join(', ');
    const removal = `remove ${keys} from every stored completion`;
    const declined = await askFirst(`Without a filter, ${removal}?`, `\`rxsc tag --unset\` without a filter would ${removal}`, 'Nothing updated.', context);
    if (declined !== undefined) return declined;
  }
  return runBulk(context, connection, {
    params,
    window,
    max,
    dryRun,
    verb: 'update',
    done: 'updated',
    act: (client, signal) => updateEach(client, { set: Object.fromEntries(set), unset: [...unset] }, { concurrency, signal }),
  });
}

/** Reads `--set` and `--unset`, refusing what the API would refuse for every completion. */
function readChanges(options: ParsedOptions): { set: Map<string, string>; unset: Set<string> } {
  const set = new Map<string, string>();
  for (const pair of options.strings('set')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) options.fail('set', 'KEY=VALUE with a non-empty KEY', pair);
    const key = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    if (set.has(key)) throw new UsageError(`\`--set\` gives the key ${JSON.stringify(key)} twice`);
    if (metadataLength(key) > METADATA_LIMITS.maxKeyLength) options.fail('set', `a KEY of at most ${METADATA_LIMITS.maxKeyLength} characters`, pair);
    if (metadataLength(value) > METADATA_LIMITS.maxValueLength) options.fail('set', `a VALUE of at most ${METADATA_LIMITS.maxValueLength} characters`, pair);
    set.set(key, value);
  }
  const unset = new Set(options.strings('unset'));
  for (const key of unset) {
    if (key === '') options.fail('unset', 'a non-empty KEY', key);
    if (set.has(key)) throw new UsageError(`The key ${JSON.stringify(key)} is given to both \`--set\` and \`--unset\``);
  }
  if (set.size === 0 && unset.size === 0) throw new UsageError('Nothing to do: give at least one `--set KEY=VALUE` or `--unset KEY`');
  if (set.size > METADATA_LIMITS.maxKeys) throw new UsageError(`\`--set\` gives ${set.size} keys; a completion holds at most ${METADATA_LIMITS.maxKeys}`);
  return { set, unset };
}
