import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../../src/testing';
import { runCliInMemory } from '../../helpers/cliRun';
import { parquetRows } from '../../helpers/parquetRows';
import { until } from '../../helpers/until';
import { listStored } from '../../helpers/listStored';
import { startTieShufflingServer, tiedItems } from '../../helpers/tieShufflingServer';

/** Every record of a tree of an archive, each line parsed: a line that is not whole JSON fails here. */
async function archived(dir: string, tree = 'completions'): Promise<Array<Record<string, unknown>>> {
  const records: Array<Record<string, unknown>> = [];
  const days = await readdir(join(dir, tree)).catch(() => [] as string[]);
  for (const day of days.sort()) {
    expect(day).toMatch(/^day=\d{4}-\d{2}-\d{2}$/);
    for (const file of (await readdir(join(dir, tree, day))).sort()) {
      expect(file).toMatch(/^part-\d{6}\.jsonl$/);
      const text = await readFile(join(dir, tree, day, file), 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      for (const line of text.slice(0, -1).split('\n')) {
        const record = JSON.parse(line) as Record<string, unknown>;
        if (tree === 'completions') expect(new Date((record['created'] as number) * 1000).toISOString().slice(0, 10)).toBe(day.slice(4));
        records.push(record);
      }
    }
  }
  return records;
}

const idsOf = (records: ReadonlyArray<Record<string, unknown>>): string[] => records.map((record) => String(record['id'])).sort();

async function store(emulator: EmulatorHandle, count: number, metadata: Record<string, string> = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let k = 0; k < count; k++) {
    const response = await fetch(`${emulator.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', store: true, metadata, messages: [{ role: 'user', content: `new ${k}` }] }),
    });
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}

describe('rxsc sync', () => {
  let dir: string;
  let emulator: EmulatorHandle;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rxsc-sync-'));
    emulator = await startEmulator({ count: 1_200, seed: 5, strictCursor: true });
  });
  afterEach(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  const sync = (...flags: string[]) => runCliInMemory(['sync', dir, '--base-url', emulator.url, ...flags]);
  /** A sync whose commits cannot be written, a file standing where the tree's folder goes: it fails, says why, and saves no state. */
  const syncFailingToCommit = async (...flags: string[]): Promise<void> => {
    await writeFile(join(dir, 'completions'), '');
    const failed = await sync(...flags);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/ENOTDIR|EEXIST/);
    expect(existsSync(join(dir, 'rxsc-sync.json'))).toBe(false);
  };

  it('archives every completion once, then only what is new, in a handful of list requests', async () => {
    const first = await sync();
    expect(first).toMatchObject({ code: 0, stdout: '' });
    expect(first.stderr).toContain('1,200 new completions archived');
    await store(emulator, 250);
    const before = emulator.stats().byEndpoint.list;
    const second = await sync();
    expect(second.stderr).toContain('250 new completions archived');
    expect(emulator.stats().byEndpoint.list - before).toBeLessThanOrEqual(5);
    const records = await archived(dir);
    expect(idsOf(records)).toEqual((await listStored(emulator.url)).map((item) => item.id).sort());
    expect(new Set(idsOf(records)).size).toBe(records.length);
  });

  it('writes each completion exactly as the server sent it, and keeps those deleted upstream', async () => {
    await sync();
    const [first] = await listStored(emulator.url);
    const raw = await (await fetch(`${emulator.url}/chat/completions/${first?.id ?? ''}`)).text();
    await fetch(`${emulator.url}/chat/completions/${first?.id ?? ''}`, { method: 'DELETE' });
    await sync();
    const day = `day=${new Date((first?.created ?? 0) * 1000).toISOString().slice(0, 10)}`;
    const lines = (await readFile(join(dir, 'completions', day, 'part-000001.jsonl'), 'utf8')).split('\n');
    expect(lines).toContain(raw.trimEnd());
    expect(idsOf(await archived(dir))).toContain(first?.id);
  });

  it('goes on when the completion it would start after was deleted upstream and the server refuses it as a cursor', async () => {
    await sync();
    const state = JSON.parse(await readFile(join(dir, 'rxsc-sync.json'), 'utf8')) as { checkpoint: { after: string } };
    await fetch(`${emulator.url}/chat/completions/${state.checkpoint.after}`, { method: 'DELETE' });
    const added = await store(emulator, 30);
    const second = await sync();
    expect(second.code).toBe(0);
    const ids = idsOf(await archived(dir));
    expect(ids).toEqual(expect.arrayContaining(added));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('fails, saying why, when a commit cannot be written amid the walk, and records nothing of it', async () => {
    // The first commit, due after 100 completions, fails.
    await syncFailingToCommit('--commit-every', '100');
    // It stopped there, by the next commit at the latest, instead of walking 12 pages for nothing.
    expect(emulator.stats().byEndpoint.list).toBeLessThanOrEqual(6);
  });

  it('writes no checkpoint past a commit that failed, even when the commit after it has nothing to write: the next run archives them', async () => {
    // The one commit is due on the last page, and fails; the run's closing commit then holds no record.
    await syncFailingToCommit('--commit-every', '1200');
    await rm(join(dir, 'completions'));
    expect((await sync()).code).toBe(0);
    expect(idsOf(await archived(dir))).toEqual((await listStored(emulator.url)).map((item) => item.id).sort());
  });

  it('archives the input messages with --with-messages', async () => {
    await runCliInMemory(['sync', dir, '--base-url', emulator.url, '--with-messages', '--model', 'gpt-4o-mini']);
    const completions = await archived(dir);
    const messages = await archived(dir, 'messages');
    expect(messages.map((record) => String(record['completion_id'])).sort()).toEqual(idsOf(completions));
    expect(messages.every((record) => Array.isArray(record['messages']) && (record['messages'] as unknown[]).length > 0)).toBe(true);
  });

  it('records metadata changed after archiving with --refresh, once', async () => {
    const [id = ''] = await store(emulator, 3);
    await sync('--refresh', '1d');
    await fetch(`${emulator.url}/chat/completions/${id}`, { method: 'POST', body: JSON.stringify({ metadata: { reviewed: 'yes' } }) });
    const refreshed = await sync('--refresh', '1d');
    expect(refreshed.stderr).toContain('1 metadata change recorded');
    expect((await sync('--refresh', '1d')).stderr).toContain('0 metadata changes recorded');
    const changes = await archived(dir, 'changes');
    expect(changes).toEqual([{ observed: expect.any(Number), completion: expect.objectContaining({ id, metadata: { reviewed: 'yes' } }) }]);
  });

  it('archives the completions as Parquet with --format parquet, read back by hyparquet and by --refresh', async () => {
    const jsonl = join(dir, 'jsonl');
    await runCliInMemory(['sync', jsonl, '--base-url', emulator.url, '--model', 'gpt-4o-mini']);
    const parquet = join(dir, 'parquet');
    const sync = (...flags: string[]) => runCliInMemory(['sync', parquet, '--base-url', emulator.url, '--model', 'gpt-4o-mini', '--format', 'parquet', ...flags]);
    expect(await sync('--with-messages', '--refresh', '1d')).toMatchObject({ code: 0 });
    const texts: string[] = [];
    for (const day of (await readdir(join(parquet, 'completions'))).sort()) {
      for (const file of (await readdir(join(parquet, 'completions', day))).sort()) {
        expect(file).toMatch(/^part-\d{6}\.parquet$/);
        texts.push(...(await parquetRows(join(parquet, 'completions', day, file))).map((row) => String(row['completion'])));
      }
    }
    expect(texts.map((text) => JSON.parse(text) as Record<string, unknown>)).toEqual(await archived(jsonl));
    expect((await archived(parquet, 'messages')).length).toBe(texts.length);

    const [id = ''] = await store(emulator, 1);
    await sync('--with-messages');
    await fetch(`${emulator.url}/chat/completions/${id}`, { method: 'POST', body: JSON.stringify({ metadata: { reviewed: 'yes' } }) });
    expect((await sync('--with-messages', '--refresh', '1d')).stderr).toContain('1 metadata change recorded');
    expect((await sync('--with-messages', '--refresh', '1d')).stderr).toContain('0 metadata changes recorded');
  });

  it('keeps archiving with --watch, and commits what it read when interrupted', async () => {
    const interrupt = new AbortController();
    const run = runCliInMemory(['sync', dir, '--base-url', emulator.url, '--watch', '--interval', '20'], { signal: interrupt.signal });
    const statePath = join(dir, 'rxsc-sync.json');
    await until(() => existsSync(statePath));
    const added = await store(emulator, 12);
    // Each sync of the watch ends with a list request that finds nothing more: two after the stores, and they are read.
    const lists = emulator.stats().byEndpoint.list;
    await until(() => emulator.stats().byEndpoint.list >= lists + 2);
    interrupt.abort('SIGINT');
    const { code, stderr } = await run;
    expect(code).toBe(130);
    expect(stderr).toContain('Interrupted: 1,212 new completions archived');
    const ids = idsOf(await archived(dir));
    expect(ids).toEqual(expect.arrayContaining(added));
    expect(ids).toHaveLength(1_212);
    expect(existsSync(join(dir, 'rxsc-sync.lock'))).toBe(false);
  });

  it('refuses a run into an archive of other completions, and a second sync while one runs', async () => {
    await sync('--model', 'gpt-4o-mini');
    const other = await sync('--model', 'gpt-5.4');
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('it holds model "gpt-4o-mini", not "gpt-5.4"');
    // This test's own process holds the lock: alive, on this host.
    await writeFile(join(dir, 'rxsc-sync.lock'), JSON.stringify({ pid: process.pid, host: hostname(), started: 'now', nonce: 'a' }));
    const locked = await sync('--model', 'gpt-4o-mini');
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain(`Another sync holds ${join(dir, 'rxsc-sync.lock')}: process ${process.pid}`);
  });

  it('takes over the lock of a run that was killed', async () => {
    // No process has pid 2^22 + 1: Linux allocates pids below 2^22.
    await writeFile(join(dir, 'rxsc-sync.lock'), JSON.stringify({ pid: 4_194_305, host: hostname(), started: 'then', nonce: 'b' }));
    expect((await sync()).code).toBe(0);
    expect(existsSync(join(dir, 'rxsc-sync.lock'))).toBe(false);
  });
});

describe('rxsc sync against a server that is not the emulator', () => {
  it('archives each completion once when every call orders the completions of one second differently', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rxsc-sync-'));
    const server = await startTieShufflingServer(tiedItems('old', 300, 1_700_000_000, 40));
    try {
      // Pages of 100 against seconds of 40: most pages end inside a second.
      expect((await runCliInMemory(['sync', dir, '--base-url', server.url, '--lookback', '0'])).code).toBe(0);
      server.insert(...tiedItems('new', 90, 1_700_000_007, 40));
      expect((await runCliInMemory(['sync', dir, '--base-url', server.url, '--lookback', '0'])).code).toBe(0);
      const ids = idsOf(await archived(dir));
      expect(ids).toEqual([...tiedItems('old', 300, 1_700_000_000, 40), ...tiedItems('new', 90, 1_700_000_007, 40)].map((item) => item.id).sort());
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('archives each completion once, as sent, from pages written with their keys in another order and pretty-printed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rxsc-sync-'));
    const items = tiedItems('tied', 450, 1_700_000_000, 40);
    // has_more before data, each item's keys reversed (created before id), two spaces of indent.
    const reversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversed)
        : typeof value === 'object' && value !== null
          ? Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, reversed(inner)]))
          : value;
    const cursors: Array<string | null> = [];
    const pages: Array<{ data: Array<{ id: string; created: number }> }> = [];
    const server = await startTieShufflingServer(items, {
      beforeList: (after) => cursors.push(after),
      layout: (page) => {
        pages.push(page as (typeof pages)[number]);
        return JSON.stringify(reversed(page), null, 2);
      },
    });
    try {
      expect((await runCliInMemory(['sync', dir, '--base-url', server.url])).code).toBe(0);
      const records = await archived(dir);
      expect(idsOf(records)).toEqual(items.map((item) => item.id).sort());
      expect(Object.keys(records[0] ?? {})[0]).toBe('choices');
      // The peek read each page right: each request starts after the last item, in that page's
      // order, of the second before the page's last, and none went out on a wrong guess.
      const settledCursor = ({ data }: (typeof pages)[number]): string | undefined =>
        [...data].reverse().find((item) => item.created !== data[data.length - 1]?.created)?.id;
      expect(cursors.slice(1)).toEqual(pages.slice(0, -1).map(settledCursor));
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
