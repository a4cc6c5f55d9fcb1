import { map } from 'rxjs';
import { sourceText } from '../../client/sourceText';
import { CONNECTION_OPTIONS, readConnection } from '../args/connectionOptions';
import { EMULATOR_OPTIONS } from '../args/emulatorOptions';
import { HELP_OPTION } from '../args/commonOptions';
import { EXIT } from '../cliDefaults';
import type { Command } from '../Command';
import { LineSink } from '../export/LineSink';
import { UsageError } from '../UsageError';
import { completionNotFound } from '../walk/completionNotFound';
import { runWalk } from '../walk/runWalk';

/** `rxsc get ID`: one stored completion, as the server sent it. */
export const getCommand: Command = {
  name: 'get',
  summary: 'Print one stored completion, as the server sent it',
  description: [
    'Prints the stored completion with this id on stdout exactly as the server sent it:',
    'the body of the response, unknown fields and every digit kept, followed by a line',
    'break. A completion that does not exist fails with exit 1.',
  ].join('\n'),
  arguments: ['ID'],
  options: { ...CONNECTION_OPTIONS, ...EMULATOR_OPTIONS, ...HELP_OPTION },
  examples: ['rxsc get chatcmpl-abc123', 'rxsc get chatcmpl-abc123 | jq .choices[0].message.content'],

  async run(options, context) {
    const [id = ''] = options.positionals;
    if (id === '') throw new UsageError('Expected <ID> to be a non-empty completion id');
    const connection = readConnection(options, context.env);
    const sink = new LineSink(context.stdout, false);
    const outcome = await runWalk(context, connection, (client, _progress, signal) =>
      client.chat.completions.retrieve(id, { signal }).pipe(
        completionNotFound(id),
        map((completion) => sink.write(rawBody(completion))),
        sink.guard(),
      ),
    ).finally(() => sink.close());
    return outcome.interrupted ? outcome.exitCode : EXIT.ok;
  },
};

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
