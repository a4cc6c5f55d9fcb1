import { lastValueFrom, toArray } from 'rxjs';
import { type ChatCompletion, createClient } from '../../../src';
import { startEmulator, type EmulatorHandle } from '../../../src/testing';
import { runCliInMemory } from '../../helpers/cliRun';

interface StatsJson {
  count: number;
  created: { first: string | null; last: string | null };
  tokens: { prompt: number; completion: number; total: number };
  models: { top: { value: string; count: number }[]; otherValues: number; otherCount: number };
  metadata: { key: string; items: number; top: { value: string; count: number }[]; otherValues: number; otherCount: number }[];
  walk: { pages: number; retries: number; elapsedMs: number };
}

/** Counts by value, most frequent first, ties by value: the order `stats` promises. */
function tally(values: readonly string[]): { value: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
}

describe('rxsc stats', () => {
  let emulator: EmulatorHandle;
  let all: ChatCompletion[];

  beforeAll(async () => {
    emulator = await startEmulator({ count: 640, seed: 11 });
    all = await lastValueFrom(createClient({ baseURL: emulator.url }).chat.completions.list().pipe(toArray()));
  });
  afterAll(() => emulator.close());

  it('reports the figures of a full walk', async () => {
    const run = await runCliInMemory(['stats', '--base-url', emulator.url, '--json', '--top', '1000']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const stats = JSON.parse(run.stdout) as StatsJson;
    const sum = (pick: (usage: NonNullable<ChatCompletion['usage']>) => number) =>
      all.reduce((total, item) => total + (item.usage ? pick(item.usage) : 0), 0);
    const created = all.map((item) => item.created);
    expect(stats.count).toBe(640);
    expect(stats.tokens).toEqual({
      prompt: sum((u) => u.prompt_tokens),
      completion: sum((u) => u.completion_tokens),
      total: sum((u) => u.total_tokens),
    });
    expect(stats.created).toEqual({
      first: new Date(Math.min(...created) * 1000).toISOString(),
      last: new Date(Math.max(...created) * 1000).toISOString(),
      invalid: 0,
    });
    expect(stats.models).toEqual({ top: tally(all.map((item) => item.model)), otherValues: 0, otherCount: 0 });
    const keys = [...new Set(all.flatMap((item) => Object.keys(item.metadata ?? {})))].sort();
    expect(stats.metadata.map((entry) => entry.key)).toEqual(keys);
    for (const entry of stats.metadata) {
      const values = all.flatMap((item) => (item.metadata?.[entry.key] === undefined ? [] : [item.metadata[entry.key] as string]));
      expect(entry).toEqual({ key: entry.key, items: values.length, top: tally(values), otherValues: 0, otherCount: 0 });
    }
    expect(stats.walk).toMatchObject({ pages: 7, retries: 0 });
  });

  it('counts the retries of a walk through faults and a rate limit', async () => {
    const run = await runCliInMemory(['stats', '--emulator', '--emulator-count', '2000', '--emulator-fault-rate', '0.2', '--json']);
    expect(run.code).toBe(0);
    const stats = JSON.parse(run.stdout) as StatsJson;
    expect(stats.count).toBe(2000);
    expect(stats.walk.pages).toBe(20);
    expect(stats.walk.retries).toBeGreaterThan(0);
  });

  it('cuts models and metadata values to --top, summing the rest', async () => {
    const run = await runCliInMemory(['stats', '--base-url', emulator.url, '--json', '--top', '2']);
    const stats = JSON.parse(run.stdout) as StatsJson;
    const models = tally(all.map((item) => item.model));
    expect(stats.models.top).toEqual(models.slice(0, 2));
    expect(stats.models.otherValues).toBe(models.length - 2);
    expect(stats.models.otherCount).toBe(640 - (models[0]?.count ?? 0) - (models[1]?.count ?? 0));
  });

  it('prints aligned tables by default, and applies filters and --max', async () => {
    const run = await runCliInMemory(['stats', '--base-url', emulator.url, '--metadata', 'env=prod', '--max', '25', '--limit', '10']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Completions +25$/m);
    expect(run.stdout).toMatch(/^env +prod +25 +100\.0%$/m);
    expect(run.stdout).toMatch(/^Pages +3$/m);
  });
});
