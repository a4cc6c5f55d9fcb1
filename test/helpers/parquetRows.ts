import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { ChatCompletion } from '../../src';

/**
 * Every row of a Parquet file, read by `hyparquet`, a reader nobody here wrote; GZIP pages are
 * inflated by Node's zlib, the decompressor hyparquet takes for codecs beyond Snappy.
 *
 * @param path The file.
 * @returns Its rows, each an object of its columns.
 */
export async function parquetRows(path: string): Promise<Array<Record<string, unknown>>> {
  const { parquetReadObjects } = await import('hyparquet');
  return parquetReadObjects({
    file: await arrayBuffer(path),
    compressors: { GZIP: (input: Uint8Array, outputLength: number) => new Uint8Array(gunzipSync(input)).subarray(0, outputLength) },
  });
}

/**
 * How many row groups a Parquet file has.
 *
 * @param path The file.
 * @returns The count, from its footer.
 */
export async function parquetRowGroups(path: string): Promise<number> {
  const { parquetMetadata } = await import('hyparquet');
  return parquetMetadata(await arrayBuffer(path)).row_groups.length;
}

/**
 * The row that docs/parquet.md promises for a completion, as hyparquet reads it back.
 *
 * @param completion The completion, as the server sent it.
 * @param json Its JSON text, as the file holds it.
 * @returns The row.
 */
export function expectedRow(completion: ChatCompletion, json: string): Record<string, unknown> {
  const choice = completion.choices[0];
  const usage = completion.usage ?? undefined;
  const int = (n: number | undefined): bigint | null => (n === undefined ? null : BigInt(n));
  return {
    id: completion.id,
    created: new Date(completion.created * 1000),
    model: completion.model,
    service_tier: completion.service_tier ?? null,
    system_fingerprint: completion.system_fingerprint ?? null,
    request_id: completion.request_id ?? null,
    finish_reason: choice?.finish_reason ?? null,
    content: choice?.message.content ?? null,
    refusal: choice?.message.refusal ?? null,
    tool_calls: choice?.message.tool_calls ? JSON.stringify(choice.message.tool_calls) : null,
    prompt_tokens: int(usage?.prompt_tokens),
    completion_tokens: int(usage?.completion_tokens),
    total_tokens: int(usage?.total_tokens),
    cached_tokens: int(usage?.prompt_tokens_details?.cached_tokens),
    reasoning_tokens: int(usage?.completion_tokens_details?.reasoning_tokens),
    // hyparquet reads a null MAP as undefined.
    metadata: completion.metadata ?? undefined,
    completion: json,
  };
}

async function arrayBuffer(path: string): Promise<ArrayBuffer> {
  const bytes = await readFile(path);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}
