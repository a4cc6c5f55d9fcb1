import { writeSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { completionSchema, type CompletionColumns } from './completionColumns';

/** Encodes row groups into an open file, synchronously: in the encoding thread, or in this one. */
export interface RowGroupWriter {
  /**
   * Encodes, compresses and writes the rows added to `group` as one row group,
   * and empties it; writes nothing for a group of no rows.
   *
   * @returns How many rows were written.
   */
  write(group: CompletionColumns): number;
  /** Writes the footer. @returns The file's size in bytes. */
  finish(): number;
}

/**
 * A writer of the completions' schema (see `completionColumns`) into `fd`,
 * which it writes the header to at once.
 *
 * Pages are compressed with GZIP by Node's zlib at level 1: every engine reads
 * it (DuckDB, pyarrow and so pandas, Polars, Spark, Trino, Athena), and on this
 * data it is both faster and smaller than `hyparquet-writer`'s built-in Snappy,
 * which runs in JavaScript. ZSTD would beat both, and Node 20's zlib lacks it.
 *
 * @param fd The file, open for writing, empty.
 * @param messages Whether the file has the `messages` column.
 * @returns The writer.
 */
export async function rowGroupWriter(fd: number, messages: boolean): Promise<RowGroupWriter> {
  const { ByteWriter, ParquetWriter } = await import('hyparquet-writer');
  const bytes = new ByteWriter();
  // `ParquetWriter` calls `flush` after each row group and `finish` after the footer:
  // the encoded group goes to disk, and the buffer is reused for the next one.
  const flush = (): void => {
    writeAll(fd, new Uint8Array(bytes.buffer, 0, bytes.index));
    bytes.index = 0;
  };
  Object.assign(bytes, { flush, finish: flush });
  const writer = new ParquetWriter({
    writer: bytes,
    schema: completionSchema(messages),
    codec: 'GZIP',
    compressors: { GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input, { level: 1 })) },
    createdBy: 'rx-stored-completions',
  });
  return {
    write: (group) => {
      const rows = group.rows;
      if (rows > 0) group.take((columnData) => writer.write({ columnData, rowGroupSize: rows }));
      return rows;
    },
    finish: () => {
      void writer.finish();
      return bytes.offset;
    },
  };
}

function writeAll(fd: number, chunk: Uint8Array): void {
  for (let offset = 0; offset < chunk.length; ) offset += writeSync(fd, chunk, offset);
}
