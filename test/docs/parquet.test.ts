import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { createClient, withMessages, writeParquet } from '../../src';
import { startEmulator } from '../../src/testing';

// docs/parquet.md's schema table is the file's schema: the same columns in the same order, each
// of the type the table says, as DuckDB reads them.

const DOC = readFileSync(join(__dirname, '..', '..', 'docs', 'parquet.md'), 'utf8');

/** `| `name` | TYPE… |` rows of the schema table: each column's name and the first word of its type. */
const documented = [...DOC.matchAll(/^\| `(\w+)` \| `([A-Z0-9]+)/gm)].map(([, name, type]) => [name, type]);

/** How DuckDB names each Parquet type of the table. */
const DUCKDB_TYPE: Readonly<Record<string, string>> = {
  STRING: 'VARCHAR',
  TIMESTAMP: 'TIMESTAMP WITH TIME ZONE',
  INT64: 'BIGINT',
  MAP: 'MAP(VARCHAR, VARCHAR)',
};

describe('docs/parquet.md', () => {
  it('documents the columns of the file, in order, with the types DuckDB reads', async () => {
    const emulator = await startEmulator({ count: 3, seed: 2 });
    const dir = await mkdtemp(join(tmpdir(), 'rxsc-parquet-doc-'));
    try {
      const client = createClient({ baseURL: emulator.url, apiKey: 'test' });
      const file = join(dir, 'schema.parquet');
      await lastValueFrom(client.chat.completions.list().pipe(withMessages(client), writeParquet(file, { messages: true })));
      const duckdb = await (await DuckDBInstance.create()).connect();
      const described = (await duckdb.runAndReadAll(`select column_name, column_type from (describe select * from '${file}')`)).getRowsJson();
      duckdb.closeSync();

      expect(documented.length).toBeGreaterThan(10);
      expect(described).toEqual(documented.map(([name, type]) => [name, DUCKDB_TYPE[type ?? '']]));
    } finally {
      await rm(dir, { recursive: true, force: true });
      await emulator.close();
    }
  });
});
