import { formatDailyCharts } from '../../../src/cli/stats/dailyCharts';
import { displayWidth } from '../../../src/cli/format/table';
import { addToStats, emptyStats, summarizeStats, type StatsInput } from '../../../src/cli/stats/statsReducer';

const DAY = 86_400;
const JAN_1 = 1_704_067_200;

/** `count` completions a day for each of `days` days from 2024-01-01, alternating two models, 10 tokens each. */
function history(days: number, count: (day: number) => number): StatsInput[] {
  const items: StatsInput[] = [];
  for (let day = 0; day < days; day++) {
    for (let i = 0; i < count(day); i++) {
      items.push({ created: JAN_1 + day * DAY + i, model: i % 2 === 0 ? 'gpt-4o' : 'o3', metadata: null, usage: { prompt_tokens: 4, completion_tokens: 6, total_tokens: 10 } });
    }
  }
  return items;
}

const summary = (items: readonly StatsInput[], top = 10) => summarizeStats(items.reduce(addToStats, emptyStats()), top);
const charts = (items: readonly StatsInput[], width: number, color = false, top = 10): string => {
  const { days, models } = summary(items, top);
  return formatDailyCharts(days, models, { width, color });
};

describe('addToStats and summarizeStats, per day', () => {
  it('count completions and tokens by model per UTC day, days without completions left out', () => {
    const items = [...history(1, () => 3), { created: JAN_1 + 2 * DAY + 5, model: 'o3', metadata: null }];
    expect(summary(items).days).toEqual([
      { date: '2024-01-01', completions: 3, tokens: { 'gpt-4o': 20, o3: 10 } },
      { date: '2024-01-03', completions: 1, tokens: { o3: 0 } },
    ]);
  });
});

describe('formatDailyCharts', () => {
  it('draws a bar per day, empty days included, and a sparkline per model on one scale', () => {
    const text = charts(history(4, (day) => [8, 0, 2, 4][day] ?? 0), 40);
    expect(text).toBe(
      [
        'Completions per day (UTC)',
        `2024-01-01  ${'█'.repeat(25)}  8`,
        `2024-01-02  ${' '.repeat(25)}  0`,
        `2024-01-03  ${'█'.repeat(6)}▎${' '.repeat(18)}  2`,
        `2024-01-04  ${'█'.repeat(12)}▌${' '.repeat(12)}  4`,
        '',
        'Tokens per day by model (UTC)',
        'gpt-4o  █ ▂▄  70',
        'o3      █ ▂▄  70',
        '',
      ].join('\n'),
    );
  });

  it.each([20, 40, 80, 200])('fits %i columns, whatever the span', (width) => {
    for (const days of [1, 7, 45, 400]) {
      const lines = charts(history(days, (day) => (day * 7) % 5), width).split('\n');
      expect(lines.filter((line) => displayWidth(line) > width)).toEqual([]);
    }
  });

  it('groups days past a month: a row per few days, and as many days per mark as the width needs', () => {
    const text = charts(history(90, () => 1), 40);
    expect(text).toMatch(/^Completions per 3 days \(UTC\)$/m);
    expect(text.split('\n').filter((line) => line.startsWith('2024-'))).toHaveLength(30);
    expect(text).toMatch(/^Tokens per 4 days by model \(UTC\)$/m);
    expect(charts(history(90, () => 1), 80)).toMatch(/^Tokens per 2 days by model \(UTC\), 2024-01-01 to 2024-03-30$/m);
  });

  it('sums the models past --top into one line', () => {
    expect(charts(history(2, () => 3), 60, false, 1)).toMatch(/^\(1 more\) +\S+ +20$/m);
  });

  it('colors the bars only when asked, and escapes control characters in model names', () => {
    const items = history(2, () => 2).map((item) => ({ ...item, model: 'evil\x1b[2Jmodel' }));
    expect(charts(items, 60)).not.toContain('\x1b');
    expect(charts(items, 60, true)).toContain('\x1b[36m█');
    expect(charts(items, 60, true)).not.toContain('\x1b[2J');
  });

  it('draws nothing for a walk without completions', () => {
    expect(charts([], 80)).toBe('');
  });
});
