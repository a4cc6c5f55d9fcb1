import { readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { ArchiveTree } from './Archive';

/**
 * How the records of one part file are written and read back: the seam where
 * an archive format plugs in. A record is a completion (or its messages, or a
 * change) as one line of JSON text, exactly as the server sent it.
 */
export interface PartFormat {
  /** The name of the format, as `--format` takes it and the state file records it. */
  readonly name: string;
  /**
   * The extension of a tree's files, without the dot.
   *
   * @param tree The kind of record.
   */
  extension(tree: ArchiveTree): string;
  /**
   * Writes the records of a part to an open, empty file. The archive then
   * flushes and renames it.
   *
   * @param handle The temporary file.
   * @param tree The kind of record.
   * @param records The records, in order, each a line of JSON without its `\n`.
   */
  write(handle: FileHandle, tree: ArchiveTree, records: readonly string[]): Promise<void>;
  /**
   * Reads the records of a part back, as they were given to {@link PartFormat.write}.
   *
   * @param path The part file.
   * @param tree The kind of record.
   * @returns The records, in order.
   */
  read(path: string, tree: ArchiveTree): Promise<string[]>;
}

/** JSON Lines: each record on a line of its own, as `cat`, `jq` and DuckDB read them. */
export const JSONL_FORMAT: PartFormat = {
  name: 'jsonl',
  extension: () => 'jsonl',
  async write(handle, _tree, records) {
    // A buffer per line: joining the lines of a commit (tens of MB) into one string, then encoding
    // it, took several times as long, all of it blocking the event loop (docs/performance.md).
    await handle.writev(records.map((record) => Buffer.from(`${record}\n`)));
  },
  read: readLines,
};

/**
 * Parquet for the completions, in the schema of `rxsc export --format parquet`
 * (docs/parquet.md), the completion's text as sent in its `completion` column,
 * which is what is read back. The messages and changes trees stay JSON Lines:
 * their records are nested JSON that one column of text would hold no better,
 * and DuckDB reads JSON Lines as well.
 */
export const PARQUET_FORMAT: PartFormat = {
  name: 'parquet',
  extension: (tree) => (tree === 'completions' ? 'parquet' : 'jsonl'),
  async write(handle, tree, records) {
    if (tree !== 'completions') return JSONL_FORMAT.write(handle, tree, records);
    return parquetParts().writeCompletionRows(handle, records);
  },
  async read(path, tree) {
    if (tree !== 'completions') return readLines(path);
    return parquetParts().readCompletionRows(path);
  },
};

/** The formats `rxsc sync --format` takes, the first its default. */
export const SYNC_FORMATS: readonly PartFormat[] = [JSONL_FORMAT, PARQUET_FORMAT];

/** The Parquet code, loaded when a Parquet part is written or read: `rxsc sync --help` stays light. */
function parquetParts(): typeof import('./parquetParts') {
  return require('./parquetParts') as typeof import('./parquetParts');
}

async function readLines(path: string): Promise<string[]> {
  return (await readFile(path, 'utf8')).split('\n').filter((line) => line !== '');
}
