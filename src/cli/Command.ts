import type { OptionSpecs, ParsedOptions } from './args/parseOptions';
import type { CliContext } from './CliContext';
import type { StatusLine } from './progress/StatusLine';

/**
 * A subcommand of `rxsc`: its help and flags, which `rxsc --help` and
 * `rxsc <command> --help` read without loading anything else, and its code,
 * loaded only when it runs. A command's file imports nothing but option
 * specs and defaults; its code lives in a file of its own that `load`
 * requires:
 *
 * ```ts
 * export const fooCommand: Command = {
 *   name: 'foo',
 *   …,
 *   load: () => (require('./runFoo') as typeof import('./runFoo')).runFoo,
 * };
 * ```
 *
 * so that `rxsc --version`, the help, and each command start without
 * loading the code of the others (rxjs, undici and the codecs are most of a
 * start-up). `runCli` lists the commands; a test walks the imports of
 * `main.ts` to keep them light.
 */
export interface Command {
  readonly name: string;
  /** One line, for the top-level help. */
  readonly summary: string;
  /** What it does, for its own `--help`; lines of at most about 80 columns. */
  readonly description: string;
  /** Its flags; `runCli` adds `-h, --help` to every command. */
  readonly options: OptionSpecs;
  /** The names of the arguments it takes besides flags, for `rxsc get <ID>`; none when absent. */
  readonly arguments?: readonly string[];
  /** Command lines that run, for its `--help`. */
  readonly examples: readonly string[];
  /** Loads the command's code, when it runs. */
  load(): CommandRun;
}

/**
 * What a command does, once its flags are parsed; `--help` is answered before.
 *
 * @param options The parsed flags.
 * @param context Streams, environment, clock, the interrupt signal and the status line.
 * @returns The exit code.
 * @throws {UsageError} for a bad command line; {@link CommandFailure} or any error for a failure.
 */
export type CommandRun = (options: ParsedOptions, context: CommandContext) => Promise<number>;

/** The context a command runs in: the CLI's edges, and the one status line of the run. */
export interface CommandContext extends CliContext {
  /**
   * The status line on stderr, when stderr is a terminal: progress draws on
   * it, and when stdout is the same terminal, every write to `stdout` erases it first.
   */
  readonly status: StatusLine | undefined;
}
