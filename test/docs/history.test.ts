import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../src/testing';
import { runCliInMemory } from '../helpers/cliRun';

// The ```sql blocks of docs/history.md run here, in DuckDB, on an archive that rxsc sync made: the
// files are read as they are, and the queries say what the page says they do.

const DOC = readFileSync(join(__dirname, '..', '..', 'docs', 'history.md'), 'utf8');
const queries = [...DOC.matchAll(/```sql\n([\s\S]*?)```/g)].map(([, sql]) => sql ?? '');

describe('docs/history.md', () => {
  it('has queries that DuckDB runs on an archive, reading its files as they are', async () => {
    const emulator = await startEmulator({ count: 400, seed: 8 });
    const dir = await mkdtemp(join(tmpdir(), 'rxsc-history-doc-'));
    try {
      const created = await fetch(`${emulator.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', store: true, metadata: { team: 'red' }, messages: [{ role: 'user', content: 'hi' }] }),
      });
      const { id } = (await created.json()) as { id: string };
      expect((await runCliInMemory(['sync', dir, '--base-url', emulator.url])).code).toBe(0);
      await fetch(`${emulator.url}/chat/completions/${id}`, { method: 'POST', body: JSON.stringify({ metadata: { team: 'blue' } }) });
      expect((await runCliInMemory(['sync', dir, '--base-url', emulator.url, '--refresh', '1d'])).code).toBe(0);

      const duckdb = await (await DuckDBInstance.create()).connect();
      const run = async (sql: string) => (await duckdb.runAndReadAll(sql.replaceAll("'archive/", `'${dir}/`))).getRowObjectsJson();
      expect(queries).toHaveLength(2);
      const days = await run(queries[0] ?? '');
      expect(days.reduce((sum, row) => sum + Number(row['count_star()']), 0)).toBe(401);
      const latest = await run(queries[1] ?? '');
      expect(latest).toHaveLength(401);
      // DuckDB reads metadata as a STRUCT of every key it has seen, null where a completion has none.
      expect(latest.find((row) => row['id'] === id)?.['metadata']).toMatchObject({ team: 'blue', env: null });
      duckdb.closeSync();
    } finally {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
