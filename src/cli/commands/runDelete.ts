import { deleteEach } from '../../bulk/deleteEach';
import { DEFAULTS } from '../../defaults';
import { readConnection } from '../args/connectionOptions';
import { readWalkParams } from '../args/listOptions';
import { readWindow } from '../args/windowOptions';
import { askFirst } from '../confirm';
import { describeSelection } from '../format/describeSelection';
import { runBulk } from '../walk/runBulk';
import type { ParsedOptions } from '../args/parseOptions';
import type { CommandContext } from '../Command';

/**
 * Runs `rxsc delete`: see {@link deleteCommand} for what it does.
 *
 * @param options The parsed flags.
 * @param context The CLI's edges, and the status line.
 * @returns The exit code.
 */
export async function runDelete(options: ParsedOptions, context: CommandContext): Promise<number> {
  const { params, max } = readWalkParams(options);
  const window = readWindow(options, context.now());
  const concurrency = options.integer('concurrency', 1, 100) ?? DEFAULTS.bulk.concurrency;
  const dryRun = options.flag('dry-run');
  const connection = readConnection(options, context.env);
  const selection = describeSelection(params, window, max);
  if (!dryRun && !options.flag('yes')) {
    const declined = await askFirst(`Delete ${selection}?`, `\`rxsc delete\` would delete ${selection}`, 'Nothing deleted.', context);
    if (declined !== undefined) return declined;
  }
  return runBulk(context, connection, {
    params,
    window,
    max,
    dryRun,
    verb: 'delete',
    done: 'deleted',
    act: (client, signal) => deleteEach(client, { concurrency, signal }),
  });
}
