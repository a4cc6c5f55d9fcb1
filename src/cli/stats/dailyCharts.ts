import { escapeControl } from '../format/escapeControl';
import { formatCount } from '../format/formatCount';
import { displayWidth } from '../format/table';
import { utcDate, type DailyFigures, type TopTallies } from './statsReducer';

/** How the charts are drawn: to fit `width` columns, in color or not. */
export interface ChartStyle {
  /** Terminal columns every line must fit in. */
  readonly width: number;
  /** ANSI colors around the bars: on a terminal, unless `NO_COLOR` is set. */
  readonly color: boolean;
}

/** Bars longer than this many rows are grouped: a row per week, per month… rather than per day. */
const MAX_BAR_ROWS = 31;
/** A model's name is cut to this many columns, so that its sparkline keeps the room. */
const MAX_NAME_WIDTH = 24;
/** A bar's eighths, from one eighth of a column to a full one. */
const EIGHTHS = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
/** A sparkline's levels, lowest first; a period without tokens is a space. */
const LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const COLORS = [36, 32, 33, 35, 34, 31];

/**
 * The charts of `rxsc stats`, in Unicode blocks: completions per UTC day as
 * horizontal bars, one row per day (or per few days, past a month), and the
 * tokens of each of the top models per day as sparklines on a common scale, so
 * that models compare. Days without completions inside the walked window count
 * as zero. Every line fits `style.width` columns; without `style.color`, the
 * lines are plain text, with no escape sequence.
 *
 * @param days The summary's days, oldest first.
 * @param models The summary's models, whose top ones get a sparkline each.
 * @param style The width to fit and whether to color.
 * @returns The charts, each line ending with `\n`; `''` when there is no day.
 */
export function formatDailyCharts(days: readonly DailyFigures[], models: TopTallies, style: ChartStyle): string {
  const first = days[0];
  const last = days.at(-1);
  if (first === undefined || last === undefined) return '';
  const start = dayNumber(first.date);
  const span = dayNumber(last.date) - start + 1;
  const byDay = new Map(days.map((day) => [dayNumber(day.date) - start, day]));
  return `${completionBars(byDay, start, span, style)}\n${tokenSparklines(byDay, start, span, models, style)}`;
}

function completionBars(byDay: ReadonlyMap<number, DailyFigures>, start: number, span: number, style: ChartStyle): string {
  const perRow = Math.ceil(span / MAX_BAR_ROWS);
  const rows = bucketed(span, perRow, (offset) => byDay.get(offset)?.completions ?? 0);
  const counts = rows.map(formatCount);
  const countWidth = Math.max(...counts.map((count) => count.length));
  const label = (row: number): string => utcDate(start + row * perRow);
  // `YYYY-MM-DD  bar  count`: the bar takes what the date, the count and two gaps leave.
  const barWidth = Math.max(1, style.width - 10 - countWidth - 4);
  const max = Math.max(...rows);
  const lines = rows.map((value, row) => {
    const bar = blocks(value, max, barWidth);
    return `${label(row)}  ${paint(bar, COLORS[0], style)}${' '.repeat(barWidth - bar.length)}  ${(counts[row] ?? '').padStart(countWidth)}`;
  });
  return `${truncate(`Completions per ${period(perRow)} (UTC)`, style.width)}\n${lines.join('\n')}\n`;
}

function tokenSparklines(byDay: ReadonlyMap<number, DailyFigures>, start: number, span: number, models: TopTallies, style: ChartStyle): string {
  const names = models.top.map(({ value }) => value);
  const named = new Set(names);
  const series = names.map((model) => (offset: number): number => byDay.get(offset)?.tokens[model] ?? 0);
  if (models.otherValues > 0) {
    series.push((offset) => Object.entries(byDay.get(offset)?.tokens ?? {}).reduce((sum, [model, tokens]) => (named.has(model) ? sum : sum + tokens), 0));
  }
  const labels = [...names.map((name) => truncate(escapeControl(name), MAX_NAME_WIDTH)), ...(models.otherValues > 0 ? [`(${formatCount(models.otherValues)} more)`] : [])];
  const totals = series.map((tokensOn) => formatCount(sumOver(span, tokensOn)));
  const labelWidth = Math.max(...labels.map(displayWidth));
  const totalWidth = Math.max(...totals.map((total) => total.length));
  const room = Math.max(1, style.width - labelWidth - totalWidth - 4);
  const perMark = Math.ceil(span / room);
  const rows = series.map((tokensOn) => bucketed(span, perMark, tokensOn));
  const max = Math.max(...rows.flat());
  const lines = rows.map((values, index) => {
    const label = labels[index] ?? '';
    const line = values.map((value) => level(value, max)).join('');
    const padding = ' '.repeat(labelWidth - displayWidth(label));
    return `${label}${padding}  ${paint(line, COLORS[index % COLORS.length], style)}  ${(totals[index] ?? '').padStart(totalWidth)}`;
  });
  const title = `Tokens per ${period(perMark)} by model (UTC)`;
  const dated = `${title}, ${utcDate(start)} to ${utcDate(start + span - 1)}`;
  return `${truncate(displayWidth(dated) <= style.width ? dated : title, style.width)}\n${lines.join('\n')}\n`;
}

/** The sums of `valueOn` over consecutive runs of `size` days, covering `span` days. */
function bucketed(span: number, size: number, valueOn: (offset: number) => number): number[] {
  const buckets: number[] = [];
  for (let offset = 0; offset < span; offset += size) {
    let sum = 0;
    for (let day = offset; day < Math.min(offset + size, span); day++) sum += valueOn(day);
    buckets.push(sum);
  }
  return buckets;
}

function sumOver(span: number, valueOn: (offset: number) => number): number {
  return bucketed(span, span, valueOn)[0] ?? 0;
}

/** A bar of `value` on a scale where `max` fills `width` columns, to the eighth; at least an eighth when `value` is not 0. */
function blocks(value: number, max: number, width: number): string {
  if (value <= 0 || max <= 0) return '';
  const eighths = Math.max(1, Math.round((value / max) * width * 8));
  const full = Math.floor(eighths / 8);
  const rest = eighths % 8;
  return '█'.repeat(full) + (rest === 0 ? '' : (EIGHTHS[rest - 1] ?? ''));
}

/** A sparkline's mark for `value` on a scale up to `max`: a space for 0, at least the lowest block otherwise. */
function level(value: number, max: number): string {
  if (value <= 0 || max <= 0) return ' ';
  return LEVELS[Math.min(LEVELS.length, Math.max(1, Math.ceil((value / max) * LEVELS.length))) - 1] ?? ' ';
}

function period(days: number): string {
  return days === 1 ? 'day' : `${days} days`;
}

function paint(text: string, color: number | undefined, style: ChartStyle): string {
  return style.color && text !== '' ? `\x1b[${color ?? 0}m${text}\x1b[39m` : text;
}

function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let cut = '';
  for (const char of text) {
    if (displayWidth(cut + char) > width - 1) break;
    cut += char;
  }
  return `${cut}…`;
}

function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}
