import type { OptionSpecs, ParsedOptions } from './args/parseOptions';
import type { CliContext } from './CliContext';

/** A subcommand of `rxsc`: its help, its flags and what it does. */
export interface Command {
  readonly name: string;
  /** One line, for the top-level help. */
  readonly summary: string;
  /** What it does, for its own `--help`; lines of at most about 80 columns. */
  readonly description: string;
  readonly options: OptionSpecs;
  /** The names of the arguments it takes besides flags, for `rxsc get <ID>`; none when absent. */
  readonly arguments?: readonly string[];
  /** Command lines that run, for its `--help`. */
  readonly examples: readonly string[];
  /**
   * Runs the command; `--help` is handled before.
   *
   * @param options The parsed flags.
   * @param context Streams, environment, clock and the interrupt signal.
   * @returns The exit code.
   * @throws {UsageError} for a bad command line; {@link CommandFailure} or any error for a failure.
   */
  run(options: ParsedOptions, context: CliContext): Promise<number>;
}
