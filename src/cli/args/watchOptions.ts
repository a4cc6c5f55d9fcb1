import { DEFAULTS } from '../../defaults';
import type { OptionSpecs, ParsedOptions } from './parseOptions';
import { LIST_OPTIONS } from './listOptions';

/** `--model` and `--metadata`: the list filters a watch takes. */
export const FILTER_OPTIONS: OptionSpecs = { model: LIST_OPTIONS['model'], metadata: LIST_OPTIONS['metadata'] } as OptionSpecs;

/** `--interval` and `--lookback`: how `tail` and `sync --watch` poll. */
export const POLL_OPTIONS: OptionSpecs = {
  interval: { type: 'string', value: 'MS', help: `Milliseconds from the end of a poll to the next (default ${DEFAULTS.watch.intervalMs})` },
  lookback: {
    type: 'string',
    value: 'S',
    help: `Seconds behind the newest completion read again, for those stored late (default ${DEFAULTS.watch.lookbackSeconds})`,
  },
};

/** How a command polls. */
export interface PollSettings {
  readonly intervalMs: number;
  readonly lookbackSeconds: number;
}

/**
 * Reads {@link POLL_OPTIONS}.
 *
 * @param options The parsed command line.
 * @returns The settings, defaults filled in.
 * @throws {UsageError} for a bad value.
 */
export function readPollSettings(options: ParsedOptions): PollSettings {
  return {
    intervalMs: options.integer('interval', 0) ?? DEFAULTS.watch.intervalMs,
    lookbackSeconds: options.integer('lookback', 0) ?? DEFAULTS.watch.lookbackSeconds,
  };
}
