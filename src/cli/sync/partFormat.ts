import type { FileHandle } from 'node:fs/promises';

/**
 * How the records of one part file are written: the seam where an archive
 * format plugs in. A record is a completion (or its messages, or a change)
 * as one line of JSON text, exactly as the server sent it.
 */
export interface PartFormat {
  /** The name of the format, as `--format` takes it and the state file records it. */
  readonly name: string;
  /** The files' extension, without the dot. */
  readonly extension: string;
  /**
   * Writes the records of a part to an open, empty file. The archive then
   * flushes and renames it.
   *
   * @param handle The temporary file.
   * @param records The records, in order, each a line of JSON without its `\n`.
   */
  write(handle: FileHandle, records: readonly string[]): Promise<void>;
}

/** JSON Lines: each record on a line of its own, as `cat`, `jq` and DuckDB read them. */
export const JSONL_FORMAT: PartFormat = {
  name: 'jsonl',
  extension: 'jsonl',
  async write(handle, records) {
    await handle.writeFile(records.length === 0 ? '' : `${records.join('\n')}\n`);
  },
};

/** The formats `rxsc sync --format` takes, the first its default. Parquet plugs in here. */
export const SYNC_FORMATS: readonly PartFormat[] = [JSONL_FORMAT];
