import { CONNECTION_OPTIONS } from '../args/connectionOptions';
import { EMULATOR_OPTIONS } from '../args/emulatorOptions';
import type { Command } from '../Command';

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
  options: { ...CONNECTION_OPTIONS, ...EMULATOR_OPTIONS },
  examples: ['rxsc get chatcmpl-abc123', 'rxsc get chatcmpl-abc123 | jq .choices[0].message.content'],
  load: () => (require('./runGet') as typeof import('./runGet')).runGet,
};
