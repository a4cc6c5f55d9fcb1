import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatCompletion } from '../../../src';
import { startEmulator, type EmulatorHandle } from '../../../src/testing';
import { runCliInMemory } from '../../helpers/cliRun';
import { lines } from '../../helpers/listStored';
import { expectedRow, parquetRows } from '../../helpers/parquetRows';
import { startScriptedServer } from '../../helpers/scriptedServer';

// `rxsc export --format parquet`, judged by readers nobody here wrote: hyparquet reads every row
// back, DuckDB answers queries; both equal to what the JSONL export of the same flags says.

const COUNT = 300;

let emulator: EmulatorHandle;
let duckdb: DuckDBConnection;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ count: COUNT, seed: 11 });
  duckdb = await (await DuckDBInstance.create()).connect();
});
afterAll(async () => {
  duckdb.closeSync();
  await emulator.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rxsc-parquet-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function exportBoth(flags: readonly string[]): Promise<{ readonly jsonl: string[]; readonly file: string }> {
  const jsonl = await runCliInMemory(['export', '--base-url', emulator.url, ...flags]);
  expect(jsonl).toMatchObject({ code: 0, stderr: '' });
  const file = join(dir, 'export.parquet');
  const parquet = await runCliInMemory(['export', '--base-url', emulator.url, ...flags, '--format', 'parquet', '--out', file]);
  expect(parquet).toMatchObject({ code: 0, stdout: '', stderr: '' });
  return { jsonl: lines(jsonl.stdout), file };
}

async function query(sql: string): Promise<unknown[][]> {
  return (await duckdb.runAndReadAll(sql)).getRowsJson();
}

describe('rxsc export --format parquet', () => {
  it('writes every completion of the JSONL export, each column equal to the server’s value, `completion` byte for byte', async () => {
    const { jsonl, file } = await exportBoth([]);
    expect(jsonl).toHaveLength(COUNT);
    expect(await parquetRows(file)).toEqual(jsonl.map((line) => expectedRow(JSON.parse(line) as ChatCompletion, line)));
    expect(await readdir(dir)).toEqual(['export.parquet']);
  });

  it('gives DuckDB the JSONL export’s figures: counts, tokens by model, completions by a metadata key', async () => {
    const { jsonl, file } = await exportBoth([]);
    const completions = jsonl.map((line) => JSON.parse(line) as ChatCompletion);
    const tally = (key: (c: ChatCompletion) => string, value: (c: ChatCompletion) => number): unknown[][] => {
      const sums = new Map<string, number>();
      for (const c of completions) sums.set(key(c), (sums.get(key(c)) ?? 0) + value(c));
      return [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, String(v)]);
    };

    expect(await query(`select count(*), count(distinct id) from '${file}'`)).toEqual([[String(COUNT), String(new Set(completions.map((c) => c.id)).size)]]);
    expect(await query(`select model, sum(total_tokens) from '${file}' group by model order by model`)).toEqual(
      tally((c) => c.model, (c) => c.usage?.total_tokens ?? 0),
    );
    expect(await query(`select coalesce(metadata['env'], '(none)') as env, count(*) from '${file}' group by env order by env`)).toEqual(
      tally((c) => c.metadata?.['env'] ?? '(none)', () => 1),
    );
  });

  it.each([
    ['a model and a metadata pair', ['--model', 'gpt-4o-mini', '--metadata', 'env=prod']],
    ['a date window, newest first, at most 7', ['--since', '2024-01-01T01:00:00Z', '--until', '2024-01-01T02:00:00Z', '--order', 'desc', '--max', '7']],
  ])('selects what the JSONL export selects, with %s', async (_name, flags) => {
    const { jsonl, file } = await exportBoth(flags);
    expect(jsonl.length).toBeGreaterThan(0);
    expect((await parquetRows(file)).map((row) => row['completion'])).toEqual(jsonl);
  });

  it('with --with-messages, adds the input messages as the JSONL export has them', async () => {
    const { jsonl, file } = await exportBoth(['--with-messages', '--max', '12']);
    const rows = await parquetRows(file);
    expect(rows.map((row) => `{"completion":${String(row['completion'])},"messages":${String(row['messages'])}}`)).toEqual(jsonl);
  });

  it('leaves no file, and the one it would replace untouched, when the walk fails: exit 1', async () => {
    const page = await (await fetch(`${emulator.url}/chat/completions?limit=5`)).text();
    const server = await startScriptedServer((_req, res, n) => {
      const body = n === 0 ? page : JSON.stringify({ error: { message: 'bad cursor', type: 'invalid_request_error', param: 'after', code: null } });
      res.writeHead(n === 0 ? 200 : 400, { 'content-type': 'application/json' }).end(body);
    });
    try {
      const file = join(dir, 'kept.parquet');
      await writeFile(file, 'the previous export');
      const run = await runCliInMemory(['export', '--base-url', server.url, '--limit', '5', '--format', 'parquet', '--out', file]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^.*kept\.parquet was not written\.\nrxsc: .*bad cursor/s);
      expect(await readFile(file, 'utf8')).toBe('the previous export');
      expect(await readdir(dir)).toEqual(['kept.parquet']);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ])('leaves no file when stopped by %s, and exits %i', async (signal, code) => {
    const slow = await startEmulator({ count: 50, seed: 12, latencyMs: 30 });
    try {
      const interrupt = new AbortController();
      const file = join(dir, 'stopped.parquet');
      const run = runCliInMemory(['export', '--base-url', slow.url, '--limit', '5', '--format', 'parquet', '--out', file], { signal: interrupt.signal });
      setTimeout(() => interrupt.abort(signal), 100);
      expect(await run).toMatchObject({ code, stderr: expect.stringMatching(/^Interrupted: .*stopped\.parquet was not written/) });
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await slow.close();
    }
  });

  it('needs --out, and refuses --resume', async () => {
    const noOut = await runCliInMemory(['export', '--base-url', emulator.url, '--format', 'parquet']);
    expect(noOut).toMatchObject({ code: 2, stderr: expect.stringContaining('`--format parquet` writes a file: give it with `--out FILE`') });
    const resume = await runCliInMemory(['export', '--base-url', emulator.url, '--format', 'parquet', '--resume', join(dir, 'x.parquet')]);
    expect(resume).toMatchObject({ code: 2, stderr: expect.stringContaining('nothing to resume') });
    expect(await readdir(dir)).toEqual([]);
  });
});
