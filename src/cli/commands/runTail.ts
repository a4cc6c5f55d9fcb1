import { concat, concatMap, map } from 'rxjs';
import { watchList } from '../../internal/watch/watchList';
import { readConnection } from '../args/connectionOptions';
import { readWalkParams } from '../args/listOptions';
import type { ParsedOptions } from '../args/parseOptions';
import { readPollSettings } from '../args/watchOptions';
import { readWindow } from '../args/windowOptions';
import { EXIT } from '../cliDefaults';
import type { CommandContext } from '../Command';
import { LineSink } from '../export/LineSink';
import { pageLines } from '../export/pageLines';
import { runWalk } from '../walk/runWalk';

/**
 * Runs `rxsc tail`: see {@link tailCommand} for what it does.
 *
 * @param options The parsed flags.
 * @param context The CLI's edges, and the status line.
 * @returns The exit code: 130 (143) once interrupted, as it runs until then.
 */
export async function runTail(options: ParsedOptions, context: CommandContext): Promise<number> {
  const { params } = readWalkParams(options);
  const since = readWindow(options, context.now()).since;
  const { intervalMs, lookbackSeconds } = readPollSettings(options);
  const connection = readConnection(options, context.env);
  const sink = new LineSink(context.stdout);
  const outcome = await runWalk(context, connection, (client, progress, signal) => {
    const watchOptions = {
      signal,
      intervalMs,
      lookbackSeconds,
      // `created` is whole seconds: at or after T is at or after T rounded up.
      from: since === undefined ? undefined : { created: Math.max(0, Math.ceil(since.seconds)), ids: [] },
      onPollError: (error: unknown) => progress.print(`rxsc: a poll failed, polling again in ${intervalMs} ms: ${error instanceof Error ? error.message : String(error)}`),
    };
    const pages = client.chat.completions.pages.bind(client.chat.completions);
    return watchList(pages, { model: params.model, metadata: params.metadata }, watchOptions, pageLines).pipe(
      concatMap(({ item }) => {
        sink.write(item.line);
        progress.item(item.created);
        return concat(sink.drained(), [undefined]);
      }),
      map(() => undefined),
      sink.guard(),
    );
  }).finally(() => sink.close());
  return outcome.interrupted ? outcome.exitCode : EXIT.ok;
}
