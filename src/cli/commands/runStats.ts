import { counted } from '../format/counted';
import { defer, reduce } from 'rxjs';
import { readConnection } from '../args/connectionOptions';
import { readWalkParams } from '../args/listOptions';
import { readWindow, windowSeconds } from '../args/windowOptions';
import { createdWithin } from '../../bulk/createdWithin';
import { CLI_DEFAULTS, EXIT } from '../cliDefaults';
import type { ChartStyle } from '../stats/dailyCharts';
import { formatStats } from '../stats/formatStats';
import { addToStats, emptyStats, summarizeStats } from '../stats/statsReducer';
import { countedItems } from '../walk/countedItems';
import { fullWalkPrefetch, runWalk } from '../walk/runWalk';
import type { ParsedOptions } from '../args/parseOptions';
import type { CommandContext } from '../Command';

/**
 * Runs `rxsc stats`: see {@link statsCommand} for what it does.
 *
 * @param options The parsed flags.
 * @param context The CLI's edges, and the status line.
 * @returns The exit code.
 */
export async function runStats(options: ParsedOptions, context: CommandContext): Promise<number> {
  const { params, max } = readWalkParams(options);
  const window = readWindow(options, context.now());
  const top = options.integer('top', 1) ?? CLI_DEFAULTS.top;
  const json = options.flag('json');
  const connection = readConnection(options, context.env);
  const outcome = await runWalk(context, connection, (client, progress, signal) =>
    // `defer`: the accumulator is mutated, so each subscription needs its own.
    defer(() =>
      client.chat.completions.pages(params, { signal, prefetch: fullWalkPrefetch(max) }).pipe(
        countedItems(progress, (page) => page.data, max, createdWithin(windowSeconds(window), params.order ?? 'asc')),
        reduce(addToStats, emptyStats()),
      ),
    ),
  );
  if (outcome.interrupted) {
    context.stderr.write(`Interrupted after ${counted(outcome.progress.items, 'completion', 'completions')}: no summary.\n`);
    return outcome.exitCode;
  }
  const summary = summarizeStats(outcome.last ?? emptyStats(), top);
  const walk = { pages: outcome.progress.pages, retries: outcome.progress.retries, elapsedMs: outcome.progress.elapsedMs() };
  context.stdout.write(json ? `${JSON.stringify({ ...summary, walk }, null, 2)}\n` : formatStats(summary, walk, chartStyle(context)));
  return EXIT.ok;
}

/**
 * How the charts are drawn: on a terminal, its width, in color unless `NO_COLOR` is set
 * (https://no-color.org); elsewhere, plain text as wide as `COLUMNS` says, else 80 columns.
 */
function chartStyle(context: CommandContext): ChartStyle {
  const terminal = context.stdout.isTTY === true;
  const columns = Number(context.env['COLUMNS']);
  const width = terminal && context.stdout.columns !== undefined ? context.stdout.columns : Number.isInteger(columns) && columns > 0 ? columns : CLI_DEFAULTS.chartColumns;
  const noColor = (context.env['NO_COLOR'] ?? '') !== '';
  return { width, color: terminal && !noColor };
}
