import { formatOptionsHelp, parseOptions } from './args/parseOptions';
import { EXIT } from './cliDefaults';
import type { CliContext } from './CliContext';
import type { Command } from './Command';
import { deleteCommand } from './commands/deleteCommand';
import { emulatorCommand } from './commands/emulatorCommand';
import { exportCommand } from './commands/exportCommand';
import { getCommand } from './commands/getCommand';
import { messagesCommand } from './commands/messagesCommand';
import { statsCommand } from './commands/statsCommand';
import { tagCommand } from './commands/tagCommand';
import { InvalidArgumentError } from '../errors';
import { PROXY_URL_VARIABLES } from '../internal/fetch/proxyFromEnv';
import { Redactor } from '../internal/redact/Redactor';
import { escapeControl } from './format/escapeControl';
import { packageVersion } from './packageVersion';
import { UsageError } from './UsageError';

/** The subcommands, in the order of the top-level help. */
export const COMMANDS: readonly Command[] = [
  exportCommand,
  statsCommand,
  getCommand,
  messagesCommand,
  deleteCommand,
  tagCommand,
  emulatorCommand,
];

/**
 * Runs `rxsc` with the arguments after the program name: picks the command,
 * answers `--help`, runs the command, and turns every failure into a message
 * on stderr and an exit code: 0 ok, 1 failure, 2 usage error, 130 (143)
 * interrupted by SIGINT (SIGTERM).
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
  if (name === undefined) {
    context.stderr.write(topLevelHelp());
    return EXIT.usage;
  }
  if (name === '--version' || name === '-V') {
    context.stdout.write(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const command = COMMANDS.find((candidate) => candidate.name === args[0]);
    context.stdout.write(command === undefined ? topLevelHelp() : commandHelp(command));
    return EXIT.ok;
  }
  const redactor = redactorOf(argv, context.env);
  const report = (message: string, hint = ''): void =>
    void context.stderr.write(`rxsc: ${escapeControl(redactor.text(message))}${hint}\n`);
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    report(`Unknown command ${JSON.stringify(name)}; expected one of ${COMMANDS.map((c) => c.name).join(', ')}. Run 'rxsc --help'.`);
    return EXIT.usage;
  }
  try {
    const options = parseOptions(args, command.options, command.arguments);
    if (options.flag('help')) {
      context.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    return await command.run(options, context);
  } catch (error) {
    if (error instanceof UsageError || error instanceof InvalidArgumentError) {
      report(error.message, `\nRun 'rxsc ${command.name} --help' for usage.`);
      return EXIT.usage;
    }
    report(error instanceof Error ? error.message : String(error));
    return EXIT.failure;
  }
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
    "Run 'rxsc <command> --help' for a command's options, 'rxsc --version' for the version.",
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
    formatOptionsHelp(command.options).trimEnd(),
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
