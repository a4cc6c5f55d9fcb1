import { UsageError } from '../UsageError';
import type { OptionSpecs, ParsedOptions } from './parseOptions';
import { parseTime, TIME_FORMS } from './parseTime';

/** `--since` and `--until`: the window of `created` a command keeps. */
export const WINDOW_OPTIONS: OptionSpecs = {
  since: { type: 'string', value: 'T', help: 'Only completions created at or after T: ISO date or date-time, unix seconds, or 90m/24h/7d ago' },
  until: { type: 'string', value: 'T', help: 'Only completions created before T (same forms as --since)' },
};

/** One end of a {@link TimeWindow}: the flag's text, and the time it stood for when read. */
export interface TimeBound {
  readonly given: string;
  /** Unix seconds. */
  readonly seconds: number;
}

/** The window `[since, until)` of `created`; an end left `undefined` is open. */
export interface TimeWindow {
  readonly since: TimeBound | undefined;
  readonly until: TimeBound | undefined;
}

/**
 * Reads {@link WINDOW_OPTIONS}: each value in one of the forms of
 * {@link parseTime}, spans counted back from `nowMs`.
 *
 * @param options The parsed command line.
 * @param nowMs The clock, in milliseconds.
 * @returns The window.
 * @throws {UsageError} for a value in none of the forms, or an empty window.
 */
export function readWindow(options: ParsedOptions, nowMs: number): TimeWindow {
  const bound = (name: string): TimeBound | undefined => {
    const given = options.string(name);
    if (given === undefined) return undefined;
    const seconds = parseTime(given, nowMs);
    if (seconds === undefined) options.fail(name, TIME_FORMS, given);
    return { given, seconds };
  };
  const since = bound('since');
  const until = bound('until');
  if (since !== undefined && until !== undefined && since.seconds >= until.seconds) {
    throw new UsageError(`\`--since ${since.given}\` is not before \`--until ${until.given}\`: no completion can match`);
  }
  return { since, until };
}

/**
 * The window as `createdWithin` takes it, in Unix seconds.
 *
 * @param window The flags' window.
 * @returns `{ since, until }`, an open end `undefined`.
 */
export function windowSeconds(window: TimeWindow): { readonly since: number | undefined; readonly until: number | undefined } {
  return { since: window.since?.seconds, until: window.until?.seconds };
}
