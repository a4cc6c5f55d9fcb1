import { concatMap, identity, take, tap } from 'rxjs';
import { readConnection } from '../args/connectionOptions';
import { EXIT } from '../cliDefaults';
import { LineSink } from '../export/LineSink';
import { sourceItems } from '../export/pageLines';
import { UsageError } from '../UsageError';
import { completionNotFound } from '../walk/completionNotFound';
import { runWalk } from '../walk/runWalk';
import type { ParsedOptions } from '../args/parseOptions';
import type { CommandContext } from '../Command';

/**
 * Runs `rxsc messages`: see {@link messagesCommand} for what it does.
 *
 * @param options The parsed flags.
 * @param context The CLI's edges, and the status line.
 * @returns The exit code.
 */
export async function runMessages(options: ParsedOptions, context: CommandContext): Promise<number> {
  const [id = ''] = options.positionals;
  if (id === '') throw new UsageError('Expected <ID> to be a non-empty completion id');
  const params = {
    order: options.choice('order', ['asc', 'desc'] as const),
    limit: options.integer('limit', 1, 100),
    after: options.string('after'),
  };
  const max = options.integer('max', 1);
  const connection = readConnection(options, context.env);
  const sink = new LineSink(context.stdout);
  const outcome = await runWalk(context, connection, (client, progress, signal) =>
    client.chat.completions.messages.pages(id, params, { signal }).pipe(
      completionNotFound(id),
      tap(() => progress.page()),
      concatMap(sourceItems),
      max === undefined ? identity : take(max),
      tap((line) => {
        sink.write(line);
        progress.item();
      }),
      sink.guard(),
    ),
  ).finally(() => sink.close());
  return outcome.interrupted ? outcome.exitCode : EXIT.ok;
}
