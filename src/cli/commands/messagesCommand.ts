import { CONNECTION_OPTIONS } from '../args/connectionOptions';
import { EMULATOR_OPTIONS } from '../args/emulatorOptions';
import type { Command } from '../Command';

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
  },
  examples: ['rxsc messages chatcmpl-abc123', 'rxsc messages chatcmpl-abc123 --order desc --max 1'],
  load: () => (require('./runMessages') as typeof import('./runMessages')).runMessages,
};
