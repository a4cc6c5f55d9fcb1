import { escapeControl } from '../format/escapeControl';
import { formatCount } from '../format/formatCount';
import { formatTable } from '../format/table';
import { formatDailyCharts, type ChartStyle } from './dailyCharts';
import type { StatsSummary, TopTallies } from './statsReducer';

/** How the walk behind a summary went, for the last lines of the report. */
export interface WalkFigures {
  readonly pages: number;
  readonly retries: number;
  readonly elapsedMs: number;
}

/**
 * Renders a summary as the aligned plain-text report of `rxsc stats`:
 * totals, then models, then metadata values by key, each with its share of
 * all completions; then the charts of completions and tokens per day (see
 * {@link formatDailyCharts}). The `--json` output carries the same figures unformatted.
 * Models, keys and values come from the server: their control characters are
 * escaped, so that none can redraw the terminal. Items whose `created` is out
 * of range are counted on an `Invalid created` row, when there are any.
 *
 * @param summary The summary, from `summarizeStats`.
 * @param walk Pages, retries and time of the walk.
 * @param style The width the charts fit, and whether they are in color.
 * @returns The report, ending with a newline.
 */
export function formatStats(summary: StatsSummary, walk: WalkFigures, style: ChartStyle): string {
  const totals = formatTable(
    [
      ['Completions', formatCount(summary.count)],
      ['First created', summary.created.first ?? '-'],
      ['Last created', summary.created.last ?? '-'],
      ...(summary.created.invalid > 0 ? [['Invalid created', formatCount(summary.created.invalid)]] : []),
      ['Prompt tokens', formatCount(summary.tokens.prompt)],
      ['Completion tokens', formatCount(summary.tokens.completion)],
      ['Total tokens', formatCount(summary.tokens.total)],
      ['Pages', formatCount(walk.pages)],
      ['Retries', formatCount(walk.retries)],
      ['Elapsed', `${(walk.elapsedMs / 1000).toFixed(1)} s`],
    ],
    ['left', 'right'],
  );
  const share = (n: number): string => (summary.count === 0 ? '-' : `${((100 * n) / summary.count).toFixed(1)}%`);
  const tallyRows = (tallies: TopTallies, label: (value: string) => string[]): string[][] => [
    ...tallies.top.map(({ value, count: n }) => [...label(value), formatCount(n), share(n)]),
    ...(tallies.otherValues > 0
      ? [[...label(`(${formatCount(tallies.otherValues)} more)`), formatCount(tallies.otherCount), share(tallies.otherCount)]]
      : []),
  ];
  const models = formatTable(
    [['Model', 'Count', 'Share'], ...tallyRows(summary.models, (value) => [escapeControl(value)])],
    ['left', 'right', 'right'],
  );
  const metadataRows = summary.metadata.flatMap(({ key, items, ...tallies }) => {
    const absent = summary.count - items;
    const rows = tallyRows(tallies, (value) => ['', escapeControl(value)]);
    if (absent > 0) rows.push(['', '(absent)', formatCount(absent), share(absent)]);
    const [first, ...rest] = rows;
    return first === undefined ? [] : [[escapeControl(key), ...first.slice(1)], ...rest];
  });
  const metadata =
    metadataRows.length === 0
      ? 'No metadata.\n'
      : formatTable([['Metadata key', 'Value', 'Count', 'Share'], ...metadataRows], ['left', 'left', 'right', 'right']);
  const charts = formatDailyCharts(summary.days, summary.models, style);
  return `${totals}\n${models}\n${metadata}${charts === '' ? '' : `\n${charts}`}`;
}
