import { map } from 'rxjs';
import { sourceText } from '../../client/sourceText';
import { readConnection } from '../args/connectionOptions';
import { EXIT } from '../cliDefaults';
import { LineSink } from '../export/LineSink';
import { UsageError } from '../UsageError';
import { completionNotFound } from '../walk/completionNotFound';
import { runWalk } from '../walk/runWalk';
import type { ParsedOptions } from '../args/parseOptions';
import type { CommandContext } from '../Command';

/**
 * Runs `rxsc get`: see {@link getCommand} for what it does.
 *
 * @param options The parsed flags.
 * @param context The CLI's edges, and the status line.
 * @returns The exit code.
 */
export async function runGet(options: ParsedOptions, context: CommandContext): Promise<number> {
  const [id = ''] = options.positionals;
  if (id === '') throw new UsageError('Expected <ID> to be a non-empty completion id');
  const connection = readConnection(options, context.env);
  const sink = new LineSink(context.stdout);
  const outcome = await runWalk(context, connection, (client, _progress, signal) =>
    client.chat.completions.retrieve(id, { signal }).pipe(
      completionNotFound(id),
      map((completion) => sink.write(rawBody(completion))),
      sink.guard(),
    ),
  ).finally(() => sink.close());
  return outcome.interrupted ? outcome.exitCode : EXIT.ok;
}

/**
 * The text a decoded response was parsed from, without the line breaks a
 * pretty-printing server ends it with.
 *
 * @param body A value the client emitted.
 * @returns Its source text.
 * @throws {Error} when the client kept no source text for it.
 */
export function rawBody(body: object): string {
  const text = sourceText(body);
  if (text === undefined) throw new Error('A response came without its source text');
  return text.trimEnd();
}
