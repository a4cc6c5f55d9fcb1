import { concatMap, identity, take, tap } from 'rxjs';
import { CONNECTION_OPTIONS, readConnection } from '../args/connectionOptions';
import { EMULATOR_OPTIONS } from '../args/emulatorOptions';
import { HELP_OPTION } from '../args/commonOptions';
import { EXIT } from '../cliDefaults';
import type { Command } from '../Command';
import { LineSink } from '../export/LineSink';
import { sourceItems } from '../export/pageLines';
import { UsageError } from '../UsageError';
import { completionNotFound } from '../walk/completionNotFound';
import { runWalk } from '../walk/runWalk';

/** `rxsc messages ID`: the input messages of one stored completion, as JSONL. */
export const messagesCommand: Command = {
  name: 'messages',
  summary: 'Print the input messages of one stored completion as JSONL',
  description: [
    'Prints the input messages of the stored completion with this id, one per line,',
    'each exactly as the server sent it, every page of them. A completion that does not',
    'exist fails with exit 1.',
  ].join('\n'),
  arguments: ['ID'],
  options: {
    order: { type: 'string', value: 'asc|desc', help: 'In the order they were sent (asc, the default) or the reverse' },
    limit: { type: 'string', value: 'N', help: 'Page size, 1 to 100 (default: the server’s)' },
    after: { type: 'string', value: 'MESSAGE_ID', help: 'Start after the message with this id' },
    max: { type: 'string', value: 'N', help: 'Stop after N messages (default: all)' },
    ...CONNECTION_OPTIONS,
    ...EMULATOR_OPTIONS,
    ...HELP_OPTION,
  },
  examples: ['rxsc messages chatcmpl-abc123', 'rxsc messages chatcmpl-abc123 --order desc --max 1'],

  async run(options, context) {
    const [id = ''] = options.positionals;
    if (id === '') throw new UsageError('Expected <ID> to be a non-empty completion id');
    const params = {
      order: options.choice('order', ['asc', 'desc'] as const),
      limit: options.integer('limit', 1, 100),
      after: options.string('after'),
    };
    const max = options.integer('max', 1);
    const connection = readConnection(options, context.env);
    const sink = new LineSink(context.stdout, false);
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
  },
};
