import { readFile, type FileHandle } from 'node:fs/promises';
import type { ChatCompletion } from '../../codecs';
import { DEFAULTS } from '../../defaults';
import { CompletionColumns } from '../../internal/parquet/completionColumns';
import { rowGroupWriter } from '../../internal/parquet/rowGroupWriter';

/**
 * Writes completions, each as the text the server sent, to an open empty file
 * as Parquet, in row groups of `DEFAULTS.parquet.rowGroupRows`.
 *
 * @param handle The file.
 * @param records The completions' texts.
 * @returns Once the file is written (not yet flushed to the disk).
 */
export async function writeCompletionRows(handle: FileHandle, records: readonly string[]): Promise<void> {
  const writer = await rowGroupWriter(handle.fd, false);
  const group = new CompletionColumns(false);
  for (const json of records) {
    group.add({ completion: JSON.parse(json) as ChatCompletion, json });
    if (group.rows === DEFAULTS.parquet.rowGroupRows) writer.write(group);
  }
  writer.write(group);
  writer.finish();
}

/**
 * The completions' texts of a Parquet part, from its `completion` column.
 *
 * @param path The file.
 * @returns The texts, in order.
 */
export async function readCompletionRows(path: string): Promise<string[]> {
  const { parquetReadObjects } = await import('hyparquet');
  const { gunzipSync } = await import('node:zlib');
  const bytes = await readFile(path);
  const rows = await parquetReadObjects({
    file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    columns: ['completion'],
    compressors: { GZIP: (input: Uint8Array, outputLength: number) => new Uint8Array(gunzipSync(input)).subarray(0, outputLength) },
  });
  return rows.map((row) => String(row['completion']));
}
