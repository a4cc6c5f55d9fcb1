import { CONNECTION_OPTIONS } from '../args/connectionOptions';
import { EMULATOR_OPTIONS } from '../args/emulatorOptions';
import { FILTER_OPTIONS, POLL_OPTIONS } from '../args/watchOptions';
import type { Command } from '../Command';

/** `rxsc tail`: each completion stored from now on, as the server sent it, as `tail -f` does. */
export const tailCommand: Command = {
  name: 'tail',
  summary: 'Print each new stored completion as a JSONL line, as it is stored',
  description: [
    'Polls the list and prints each completion stored after it started on stdout, one',
    'JSON line each, exactly as the server sent it (as export does), oldest first within',
    'a poll, each once. --since T first prints those created from T on. A poll that meets',
    'a transient fault, once retried, is noted on stderr and the next poll comes after',
    'the interval. Ctrl-C ends it with exit 130.',
  ].join('\n'),
  options: {
    ...FILTER_OPTIONS,
    since: { type: 'string', value: 'T', help: 'First print the completions created from T on: ISO date or date-time, unix seconds, or 90m/24h/7d ago' },
    ...POLL_OPTIONS,
    ...CONNECTION_OPTIONS,
    ...EMULATOR_OPTIONS,
  },
  examples: ['rxsc tail --emulator --emulator-arrivals 2', 'rxsc tail --model gpt-4o-mini --since 1h | jq -c .metadata'],

  load: () => (require('./runTail') as typeof import('./runTail')).runTail,
};
