import { startEmulator } from '../../emulator/startEmulator';
import { readEmulatorSettings } from '../args/emulatorOptions';
import { EXIT } from '../cliDefaults';
import { formatCount } from '../format/formatCount';
import { emulatorOptions } from '../walk/connect';
import type { ParsedOptions } from '../args/parseOptions';
import type { CommandContext } from '../Command';

/**
 * Runs `rxsc emulator`: see {@link emulatorCommand} for what it does.
 *
 * @param options The parsed flags.
 * @param context The CLI's edges, and the status line.
 * @returns The exit code.
 */
export async function runEmulator(options: ParsedOptions, context: CommandContext): Promise<number> {
  const settings = readEmulatorSettings(options, '');
  const port = options.integer('port', 0, 65_535);
  const apiKey = options.string('api-key');
  const azure = options.flag('azure');
  const emulator = await startEmulator(emulatorOptions(settings, azure ? { port, azure: { apiKey } } : { port, apiKey }));
  const limit = settings.rateLimit === undefined ? 'no rate limit' : `${settings.rateLimit.requestsPerSecond} requests/s (burst ${settings.rateLimit.burst})`;
  context.stdout.write(`${azure ? emulator.endpoint : emulator.url}\n`);
  context.stderr.write(
    `Emulating ${formatCount(settings.count)} stored completions (seed ${settings.seed})${azure ? ' as Azure OpenAI' : ''}, ${limit}, ` +
      `fault rate ${settings.faultRate}, latency ${settings.latencyMs} ms` +
      `${settings.arrivalsPerSecond > 0 ? `, ${settings.arrivalsPerSecond} new completions/s` : ''}${apiKey === undefined ? '' : ', API key required'}. ` +
      'Ctrl-C to stop.\n',
  );
  await new Promise<void>((resolve) => {
    if (context.signal.aborted) resolve();
    context.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await emulator.close();
  return EXIT.ok;
}
