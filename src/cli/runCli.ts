import { HELP_OPTION } from './args/commonOptions';
import { formatOptionsHelp, parseOptions } from './args/parseOptions';
import { EXIT } from './cliDefaults';
import type { CliContext } from './CliContext';
import type { Command, CommandContext } from './Command';
import { deleteCommand } from './commands/deleteCommand';
import { emulatorCommand } from './commands/emulatorCommand';
import { exportCommand } from './commands/exportCommand';
import { getCommand } from './commands/getCommand';
import { messagesCommand } from './commands/messagesCommand';
import { statsCommand } from './commands/statsCommand';
import { syncCommand } from './commands/syncCommand';
import { tailCommand } from './commands/tailCommand';
import { tagCommand } from './commands/tagCommand';
import { InvalidArgumentError } from '../errors';
import { PROXY_URL_VARIABLES } from '../internal/fetch/proxyUrlVariables';
import { Redactor } from '../internal/redact/Redactor';
import { escapeControl } from './format/escapeControl';
import { packageVersion } from './packageVersion';
import { erasingStatusFirst } from './progress/erasingStatusFirst';
import { StatusLine } from './progress/StatusLine';
import { UsageError } from './UsageError';

/**
 * The subcommands, in the order of the top-level help. Each is its help and
 * flags only; its code loads when it runs (see {@link Command}).
 */
export const COMMANDS: readonly Command[] = [
  exportCommand,
  syncCommand,
  tailCommand,
  statsCommand,
  getCommand,
  messagesCommand,
  deleteCommand,
  tagCommand,
  emulatorCommand,
];

/**
 * Runs `rxsc` with the arguments after the program name: picks the command,
 * answers `--help` (`-h`) and `--version`, loads and runs the command, and
 * turns every failure into a message on stderr and an exit code: 0 ok, 1
 * failure, 2 usage error, 130 (143) interrupted by SIGINT (SIGTERM).
 *
 * - `rxsc --help`, `rxsc -h` and `rxsc help` print the commands;
 *   `rxsc help <command>` and `rxsc <command> --help` (or `-h`, anywhere
 *   among its flags) print a command's help. An unknown command, `help` of
 *   one, and an argument after `--version` or `help <command>` are usage errors.
 * - A command that walks draws its progress on one status line on stderr,
 *   when stderr is a terminal; when stdout is a terminal too, each write to
 *   stdout erases the line first, so that the two never share a line.
 *
 * No message ever holds a credential: whatever the source of a message, the
 * key given by `--api-key`, `OPENAI_API_KEY` or `AZURE_OPENAI_API_KEY` and
 * the user info of the base URL, the Azure endpoint and the proxy variables
 * are masked before it is printed (a key
 * shorter than 8 characters only where it stands alone, so that a typo such
 * as `--api-key e` does not garble the text). Control characters in a message,
 * which may quote a server, are escaped, so that a server cannot forge a line.
 *
 * ## Example
 * ```ts
 * const code = await runCli(['stats', '--emulator', '--json'], context);
 * ```
 *
 * @param argv The arguments, without `node` and the script.
 * @param context Streams, environment, clock and the interrupt signal.
 * @returns The exit code.
 */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  const [name, ...args] = argv;
  const report = (message: string, hint = ''): void =>
    void context.stderr.write(`rxsc: ${escapeControl(redactorOf(argv, context.env).text(message))}${hint}\n`);
  if (name === undefined) {
    context.stderr.write(topLevelHelp());
    return EXIT.usage;
  }
  if (name === '--version' || name === '-V') {
    if (args.length > 0) {
      report(`\`${name}\` takes no argument, got ${args.length}.`, " Run 'rxsc --help'.");
      return EXIT.usage;
    }
    context.stdout.write(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const [topic, ...extra] = args;
    if (topic === undefined) {
      context.stdout.write(topLevelHelp());
      return EXIT.ok;
    }
    const command = COMMANDS.find((candidate) => candidate.name === topic);
    if (command === undefined || extra.length > 0) {
      report(command === undefined ? unknownCommand(topic) : `\`rxsc ${name} ${topic}\` takes no further argument, got ${extra.length}.`, " Run 'rxsc --help'.");
      return EXIT.usage;
    }
    context.stdout.write(commandHelp(command));
    return EXIT.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    report(unknownCommand(name), " Run 'rxsc --help'.");
    return EXIT.usage;
  }
  if (asksForHelp(args)) {
    context.stdout.write(commandHelp(command));
    return EXIT.ok;
  }
  try {
    const options = parseOptions(args, { ...command.options, ...HELP_OPTION }, command.arguments);
    return await command.load()(options, commandContext(context));
  } catch (error) {
    if (error instanceof UsageError || error instanceof InvalidArgumentError) {
      report(error.message, `\nRun 'rxsc ${command.name} --help' for usage.`);
      return EXIT.usage;
    }
    report(error instanceof Error ? error.message : String(error));
    return EXIT.failure;
  }
}

function unknownCommand(name: string): string {
  return `Unknown command ${JSON.stringify(name)}; expected one of ${COMMANDS.map((c) => c.name).join(', ')}.`;
}

/** Whether a command's arguments hold `--help` or `-h` before any `--`, whatever else they hold. */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** The context of a command: the status line, and a stdout that erases it first when both are one terminal. */
function commandContext(context: CliContext): CommandContext {
  if (context.stderr.isTTY !== true) return { ...context, status: undefined };
  const status = new StatusLine((text) => void context.stderr.write(text));
  const stdout = context.stdout.isTTY === true ? erasingStatusFirst(context.stdout, status) : context.stdout;
  return { ...context, stdout, status };
}

function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'rxsc: stream OpenAI stored Chat Completions',
    '',
    'Usage: rxsc <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    "Run 'rxsc <command> --help' (or -h) for a command's options, 'rxsc --version' for the version.",
    'Exit codes: 0 ok, 1 failure, 2 usage error, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).',
    '',
  ].join('\n');
}

function commandHelp(command: Command): string {
  return [
    `Usage: rxsc ${command.name} [options]${(command.arguments ?? []).map((name) => ` <${name}>`).join('')}`,
    '',
    command.description,
    '',
    'Options:',
    formatOptionsHelp({ ...command.options, ...HELP_OPTION }).trimEnd(),
    '',
    'Examples:',
    ...command.examples.map((example) => `  ${example}`),
    '',
  ].join('\n');
}

/**
 * The credentials this run knows of: the API key (`--api-key` in either
 * spelling, `OPENAI_API_KEY`, `AZURE_OPENAI_API_KEY`) and the user info of
 * the URLs it may be given (`--base-url`, `OPENAI_BASE_URL`,
 * `--azure-endpoint`, `AZURE_OPENAI_ENDPOINT`, the proxy variables).
 */
function redactorOf(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Redactor {
  const valuesOf = (flag: string): Array<string | undefined> =>
    argv.flatMap((arg, index) => (arg === flag ? [argv[index + 1]] : arg.startsWith(`${flag}=`) ? [arg.slice(flag.length + 1)] : []));
  const proxies = PROXY_URL_VARIABLES.map((name) => env[name]);
  return Redactor.of({
    keys: [env['OPENAI_API_KEY'], env['AZURE_OPENAI_API_KEY'], ...valuesOf('--api-key')],
    urls: [env['OPENAI_BASE_URL'], env['AZURE_OPENAI_ENDPOINT'], ...valuesOf('--base-url'), ...valuesOf('--azure-endpoint'), ...proxies],
  });
}
