import { from, lastValueFrom, reduce, defer } from 'rxjs';
import { formatStats } from '../../../src/cli/stats/formatStats';
import { addToStats, emptyStats, summarizeStats, type StatsInput } from '../../../src/cli/stats/statsReducer';

const usage = (prompt: number, completion: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
});

const ITEMS: StatsInput[] = [
  { created: 1_704_067_260, model: 'gpt-4o', metadata: { env: 'prod', user: 'alice' }, usage: usage(10, 5) },
  { created: 1_704_067_200, model: 'gpt-4o-mini', metadata: { env: 'dev' }, usage: usage(1, 2) },
  { created: 1_704_067_300, model: 'gpt-4o', metadata: null },
  { created: 1_704_067_230, model: 'o3', metadata: { env: 'prod' }, usage: usage(100, 50) },
  { created: 1_704_067_240, model: 'gpt-4o', metadata: {} },
];

const summarize = (items: readonly StatsInput[], top = 10) => summarizeStats(items.reduce(addToStats, emptyStats()), top);

describe('addToStats and summarizeStats', () => {
  it('counts items, models, metadata values and tokens', () => {
    const summary = summarize(ITEMS);
    expect(summary.count).toBe(5);
    expect(summary.tokens).toEqual({ prompt: 111, completion: 57, total: 168 });
    expect(summary.models.top).toEqual([
      { value: 'gpt-4o', count: 3 },
      { value: 'gpt-4o-mini', count: 1 },
      { value: 'o3', count: 1 },
    ]);
    expect(summary.metadata).toEqual([
      { key: 'env', items: 3, top: [{ value: 'prod', count: 2 }, { value: 'dev', count: 1 }], otherValues: 0, otherCount: 0 },
      { key: 'user', items: 1, top: [{ value: 'alice', count: 1 }], otherValues: 0, otherCount: 0 },
    ]);
  });

  it('reports the earliest and latest created whatever the order of the walk', () => {
    const expected = { first: '2024-01-01T00:00:00.000Z', last: '2024-01-01T00:01:40.000Z', invalid: 0 };
    expect(summarize(ITEMS).created).toEqual(expected);
    expect(summarize([...ITEMS].reverse()).created).toEqual(expected);
  });

  it('counts items without usage as zero tokens', () => {
    expect(summarize([ITEMS[2] as StatsInput]).tokens).toEqual({ prompt: 0, completion: 0, total: 0 });
  });

  it('keeps the top N, most frequent first with ties by value, and sums what it cut', () => {
    const summary = summarize(ITEMS, 1);
    expect(summary.models).toEqual({ top: [{ value: 'gpt-4o', count: 3 }], otherValues: 2, otherCount: 2 });
    expect(summary.metadata[0]).toEqual({ key: 'env', items: 3, top: [{ value: 'prod', count: 2 }], otherValues: 1, otherCount: 1 });
  });

  it('summarizes an empty walk', () => {
    expect(summarize([])).toEqual({
      count: 0,
      created: { first: null, last: null, invalid: 0 },
      days: [],
      tokens: { prompt: 0, completion: 0, total: 0 },
      models: { top: [], otherValues: 0, otherCount: 0 },
      metadata: [],
    });
  });

  it('works as an rxjs reduce, a fresh accumulator per subscription', async () => {
    const stats$ = defer(() => from(ITEMS).pipe(reduce(addToStats, emptyStats())));
    const first = await lastValueFrom(stats$);
    const second = await lastValueFrom(stats$);
    expect(second).not.toBe(first);
    expect(second.count).toBe(5);
  });
});

describe('formatStats', () => {
  it('prints totals, models and metadata as aligned tables with shares', () => {
    const text = formatStats(summarize(ITEMS, 2), { pages: 3, retries: 1, elapsedMs: 1234 }, { width: 44, color: false });
    expect(text).toBe(
      [
        'Completions                               5',
        'First created      2024-01-01T00:00:00.000Z',
        'Last created       2024-01-01T00:01:40.000Z',
        'Prompt tokens                           111',
        'Completion tokens                        57',
        'Total tokens                            168',
        'Pages                                     3',
        'Retries                                   1',
        'Elapsed                               1.2 s',
        '',
        'Model        Count  Share',
        'gpt-4o           3  60.0%',
        'gpt-4o-mini      1  20.0%',
        '(1 more)         1  20.0%',
        '',
        'Metadata key  Value     Count  Share',
        'env           prod          2  40.0%',
        '              dev           1  20.0%',
        '              (absent)      2  40.0%',
        'user          alice         1  20.0%',
        '              (absent)      4  80.0%',
        '',
        'Completions per day (UTC)',
        `2024-01-01  ${'█'.repeat(29)}  5`,
        '',
        'Tokens per day by model (UTC)',
        'gpt-4o       ▁   15',
        'gpt-4o-mini  ▁    3',
        '(1 more)     █  150',
        '',
      ].join('\n'),
    );
  });

  it('prints dashes for the dates of an empty walk, and says there is no metadata', () => {
    const text = formatStats(summarize([]), { pages: 1, retries: 0, elapsedMs: 0 }, { width: 80, color: false });
    expect(text).toMatch(/^First created +-$/m);
    expect(text).toContain('No metadata.');
    expect(text).toMatch(/^Model  Count  Share\n\n/m);
  });
});
