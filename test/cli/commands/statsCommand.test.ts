import { lastValueFrom, toArray } from 'rxjs';
import { type ChatCompletion, createClient } from '../../../src';
import { startEmulator, type EmulatorHandle } from '../../../src/testing';
import { displayWidth } from '../../../src/cli/format/table';
import { runCliInMemory } from '../../helpers/cliRun';
import { json, startScriptedServer, type ScriptedServer } from '../../helpers/scriptedServer';

interface StatsJson {
  count: number;
  created: { first: string | null; last: string | null };
  tokens: { prompt: number; completion: number; total: number };
  models: { top: { value: string; count: number }[]; otherValues: number; otherCount: number };
  metadata: { key: string; items: number; top: { value: string; count: number }[]; otherValues: number; otherCount: number }[];
  days: { date: string; completions: number; tokens: Record<string, number> }[];
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

  it('keeps the completions and the tokens by model of each UTC day in --json', async () => {
    const stats = JSON.parse((await runCliInMemory(['stats', '--base-url', emulator.url, '--json'])).stdout) as StatsJson;
    const days = new Map<string, { completions: number; tokens: Record<string, number> }>();
    for (const item of all) {
      const date = new Date(item.created * 1000).toISOString().slice(0, 10);
      const day = days.get(date) ?? { completions: 0, tokens: {} };
      day.completions += 1;
      day.tokens[item.model] = (day.tokens[item.model] ?? 0) + (item.usage?.total_tokens ?? 0);
      days.set(date, day);
    }
    expect(stats.days).toEqual([...days].sort(([a], [b]) => a.localeCompare(b)).map(([date, day]) => ({ date, ...day })));
  });

  describe('its charts, over a history of several days', () => {
    const completion = (day: number, model: string, tokens: number) => ({
      id: `chatcmpl-${day}-${model}-${tokens}`,
      object: 'chat.completion',
      created: 1_704_067_200 + day * 86_400,
      model,
      choices: [],
      usage: { prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens },
      metadata: {},
    });
    const page = JSON.stringify({
      object: 'list',
      data: [completion(0, 'gpt-4o', 100), completion(0, 'o3', 50), completion(2, 'gpt-4o', 10), completion(5, 'o3', 300)],
      first_id: 'a',
      last_id: 'b',
      has_more: false,
    });
    let server: Awaited<ReturnType<typeof startScriptedServer>>;
    beforeAll(async () => {
      server = await startScriptedServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(page));
    });
    afterAll(() => server.close());
    const stats = (options: Parameters<typeof runCliInMemory>[1]) => runCliInMemory(['stats', '--base-url', server.url], options);

    it('are in color and as wide as the terminal stdout is', async () => {
      const { stdout } = await stats({ stdoutColumns: 50 });
      expect(stdout).toContain('Completions per day (UTC)\n2024-01-01  \x1b[36m');
      expect(stdout).toMatch(/^Tokens per day by model \(UTC\)/m);
      const plain = stdout.replace(/\x1b\[\d+m/g, '').split('\n');
      expect(plain.filter((line) => line.startsWith('2024-01-0'))).toHaveLength(6);
      expect(plain.filter((line) => displayWidth(line) > 50)).toEqual([]);
    });

    it('are plain text when NO_COLOR is set, or stdout is not a terminal (80 columns, or COLUMNS)', async () => {
      expect((await stats({ stdoutColumns: 50, env: { NO_COLOR: '1' } })).stdout).not.toContain('\x1b');
      for (const [env, width] of [[{}, 80], [{ COLUMNS: '120' }, 120]] as const) {
        const { stdout } = await stats({ env });
        expect(stdout).not.toContain('\x1b');
        const bar = stdout.split('\n').find((line) => line.startsWith('2024-01-01'));
        expect(bar === undefined ? 0 : displayWidth(bar)).toBe(width);
      }
    });
  });
});

describe('rxsc stats --max-wait against a server that answers every request 429 with retry-after: 0', () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedServer((_req, res) => json(res, 429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after': '0' }));
  });
  afterAll(() => server.close());

  it('exits 1 once a page has spent the budget, saying how many 429s over how long', async () => {
    const run = await runCliInMemory(['stats', '--base-url', server.url, '--api-key', 'sk-test', '--max-wait', '300ms']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/gave up after (?:one answer|\d+ answers) 429 over \d+ ms \(maxWaitPerPageMs: 300 ms\)/);
  });

  it('refuses a budget that is no duration', async () => {
    const before = server.requests.length;
    const run = await runCliInMemory(['stats', '--base-url', server.url, '--api-key', 'sk-test', '--max-wait', 'soon']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--max-wait');
    expect(server.requests).toHaveLength(before);
  });
});
