import { checkedOperator } from '../internal/core/checkedOperator';
import { concat, defer, ignoreElements, Observable, tap, type OperatorFunction } from 'rxjs';
import type { CompletionWithMessages } from '../bulk/withMessages';
import type { ChatCompletion } from '../codecs/chatCompletion';
import { checkRequestOptions } from '../internal/core/checkRequestOptions';
import { integerOfAtLeast } from '../internal/core/cursorList';
import { untilAborted } from '../internal/core/untilAborted';
import { DEFAULTS } from '../defaults';
import { InvalidArgumentError } from '../errors';
import type { CompletionRow } from '../internal/parquet/completionColumns';
import { ParquetFile } from '../internal/parquet/ParquetFile';
import type { ParquetWritten } from './ParquetWritten';

/** Options of {@link writeParquet}. */
export interface WriteParquetOptions {
  /**
   * `true`: the source emits {@link CompletionWithMessages} (from {@link withMessages}) and
   * the file has a `messages` column; `false`: the source emits completions.
   *
   * @default `false`
   */
  readonly messages?: boolean | undefined;
  /**
   * Rows per row group, the unit a reader skips or reads in parallel, and what memory holds at
   * most; a group is also written once its JSON texts reach 64 Mi characters.
   *
   * @default DEFAULTS.parquet.rowGroupRows
   */
  readonly rowGroupRows?: number | undefined;
  /**
   * Aborts the stream with an `AbortError`; the temporary file is removed.
   *
   * @default none
   */
  readonly signal?: AbortSignal | undefined;
}


/**
 * Writes the completions of the source to a Parquet file, and emits once the file is complete,
 * closed and under its final name; then completes.
 *
 * The schema is flat, one row per completion: `id`, `created` (a UTC timestamp), `model`, the
 * first choice's text and finish reason, the token counts, `metadata` as a MAP of strings, and
 * the whole completion as JSON text (see docs/parquet.md). DuckDB, pandas, Polars and Spark read
 * it; pages are compressed with GZIP.
 *
 * Rows go out a row group at a time, so memory holds one group whatever the number of
 * completions: a full group is encoded, compressed and written before the next item is taken.
 * The file is written under a temporary name beside `path` and renamed to `path` only when
 * complete: on an error, an abort or an unsubscribe, the temporary file is removed and `path`
 * is left as it was. `path` is replaced if it exists.
 *
 * The JSON columns hold `JSON.stringify` of the decoded values: an integer above 2^53 (`seed`)
 * has already lost digits in `JSON.parse`. `rxsc export --format parquet` writes the text the
 * server sent instead.
 *
 * ## Example
 * ```ts
 * import { createClient, writeParquet } from 'rx-stored-completions';
 *
 * const client = createClient();
 * client.chat.completions
 *   .list({ metadata: { env: 'prod' } })
 *   .pipe(writeParquet('prod.parquet'))
 *   .subscribe(({ rows, bytes }) => console.log(`${rows} completions, ${bytes} bytes`));
 * ```
 *
 * @param path The file to write.
 * @param options `messages` (default `false`), `rowGroupRows` (default 10,000), `signal`.
 * @returns An operator from completions (or, with `messages: true`, completions with their
 *   messages) to the one {@link ParquetWritten} of the file.
 * @throws {InvalidArgumentError} on subscribe, never at call: for an empty `path` or invalid options; as the
 *   stream's error, for an item that is not what `messages` says.
 * @see withMessages
 */
export function writeParquet(path: string, options?: WriteParquetOptions & { readonly messages?: false | undefined }): OperatorFunction<ChatCompletion, ParquetWritten>;
export function writeParquet(path: string, options: WriteParquetOptions & { readonly messages: true }): OperatorFunction<CompletionWithMessages, ParquetWritten>;
export function writeParquet(path: string, options: WriteParquetOptions = {}): OperatorFunction<ChatCompletion | CompletionWithMessages, ParquetWritten> {
  return checkedOperator(() => {
    if (typeof path !== 'string' || path === '') throw new InvalidArgumentError(`Expected \`path\` to be a non-empty string, got ${JSON.stringify(path)}`);
    checkRequestOptions(options);
    const messages = options.messages ?? false;
    if (typeof messages !== 'boolean') throw new InvalidArgumentError(`Expected \`messages\` to be a boolean, got ${String(messages)}`);
    const rowGroupRows = integerOfAtLeast('rowGroupRows', options.rowGroupRows ?? DEFAULTS.parquet.rowGroupRows, 1);
    const fileOptions = { messages, rowGroupRows };
    const rowOf = messages ? rowWithMessages : rowWithoutMessages;
    return (source) =>
      new Observable<ParquetWritten>((subscriber) => {
        let file: ParquetFile | undefined;
        let active = true;
        let written = false;
        ParquetFile.create(path, fileOptions).then(
          (opened) => {
            if (!active) return opened.discard();
            file = opened;
            const rows = source.pipe(
              tap((item) => opened.append(rowOf(item))),
              ignoreElements(),
            );
            const closed = defer(() => opened.close());
            subscriber.add(
              concat(rows, closed).subscribe({
                next: (done) => {
                  written = true;
                  subscriber.next(done);
                },
                error: (error: unknown) => subscriber.error(error),
                complete: () => subscriber.complete(),
              }),
            );
          },
          (error: unknown) => subscriber.error(error),
        );
        return () => {
          active = false;
          if (!written) file?.discard();
        };
      }).pipe(untilAborted(options.signal));
  });
}

function rowWithoutMessages(item: ChatCompletion | CompletionWithMessages): CompletionRow {
  if (!('id' in item)) throw new InvalidArgumentError('Expected completions, got an item with no `id`: pass `messages: true` to write completions with their messages');
  return { completion: item, json: JSON.stringify(item) };
}

function rowWithMessages(item: ChatCompletion | CompletionWithMessages): CompletionRow {
  if (!('completion' in item)) throw new InvalidArgumentError('Expected completions with their messages (`{ completion, messages }`, from `withMessages`) with `messages: true`, got an item with no `completion`');
  return { completion: item.completion, json: JSON.stringify(item.completion), messages: item.messages === null ? null : JSON.stringify(item.messages) };
}
