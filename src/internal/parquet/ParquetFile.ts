import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import type { ParquetWritten } from '../../parquet/ParquetWritten';
import { CompletionColumns, type CompletionRow } from './completionColumns';
import { rowGroupWriter, type RowGroupWriter } from './rowGroupWriter';

/** How a {@link ParquetFile} is written. */
export interface ParquetFileOptions {
  /** Whether the file has the `messages` column. */
  readonly messages: boolean;
  /** A row group is written once it holds this many rows, or {@link ROW_GROUP_MAX_CHARS} of JSON. */
  readonly rowGroupRows: number;
}

/**
 * A row group is also written once its JSON texts add up to this many
 * characters (64 Mi), so that long conversations (`--with-messages`) make
 * smaller groups instead of filling memory.
 */
const ROW_GROUP_MAX_CHARS = 64 * 2 ** 20;

/**
 * A Parquet file of completions, written a row group at a time under a
 * temporary name beside the final one (`FILE.<random>.partial`), and renamed
 * to it by {@link ParquetFile.close}: the final name only ever holds a whole
 * file, and a rename within a directory is atomic.
 *
 * Memory holds one row group, column by column (see `CompletionColumns`), and
 * its encoded bytes, whatever the number of rows: a group is encoded,
 * compressed and written as soon as it is full, and the footer keeps only each
 * group's offsets and statistics.
 *
 * Encoding runs in this thread. A worker thread was measured, and cost twice
 * the memory (a second heap, and each group copied into it) for no gain on a
 * busy two-core machine: see docs/performance.md.
 */
export class ParquetFile {
  private readonly group: CompletionColumns;
  private chars = 0;
  private written = 0;
  private discarded = false;

  private constructor(
    private readonly path: string,
    private readonly temporary: string,
    private readonly handle: FileHandle,
    private readonly writer: RowGroupWriter,
    private readonly options: ParquetFileOptions,
  ) {
    this.group = new CompletionColumns(options.messages);
  }

  /**
   * Creates the temporary file and writes the file's header.
   *
   * @param path The final name of the file, replaced when it is closed.
   * @param options The columns and the size of row groups.
   * @returns The file, open.
   * @throws the error of `open` (a missing directory, no permission).
   */
  static async create(path: string, options: ParquetFileOptions): Promise<ParquetFile> {
    const temporary = `${path}.${randomBytes(6).toString('hex')}.partial`;
    const handle = await open(temporary, 'wx');
    try {
      return new ParquetFile(path, temporary, handle, await rowGroupWriter(handle.fd, options.messages), options);
    } catch (error) {
      await handle.close();
      unlinkQuietly(temporary);
      throw error;
    }
  }

  /**
   * Adds a row; encodes and writes the row group when it is full.
   *
   * @param row The row.
   * @throws the error of the write (a full disk); the file must then be discarded.
   */
  append(row: CompletionRow): void {
    this.group.add(row);
    this.chars += row.json.length + (row.messages?.length ?? 0);
    if (this.group.rows >= this.options.rowGroupRows || this.chars >= ROW_GROUP_MAX_CHARS) this.writeGroup();
  }

  /**
   * Writes the last row group and the footer, closes the file and renames it
   * to its final name.
   *
   * @returns The file written.
   * @throws the error of a write, the close or the rename; the temporary file is then removed.
   */
  async close(): Promise<ParquetWritten> {
    try {
      this.writeGroup();
      const bytes = this.writer.finish();
      await this.handle.close();
      if (this.discarded) throw new Error(`${this.path} was discarded while it was being closed`);
      await rename(this.temporary, this.path);
      return { path: this.path, rows: this.written, bytes };
    } catch (error) {
      this.discard();
      throw error;
    }
  }

  /**
   * Removes the temporary file, at once and synchronously, so that nothing is
   * left behind even if the process exits right after; the file is closed in
   * the background. The final name is not touched.
   */
  discard(): void {
    if (this.discarded) return;
    this.discarded = true;
    unlinkQuietly(this.temporary);
    this.handle.close().catch(() => undefined);
  }

  private writeGroup(): void {
    this.chars = 0;
    this.written += this.writer.write(this.group);
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone (renamed, or removed by someone else): nothing to clean.
  }
}
