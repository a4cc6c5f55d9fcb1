import type { ColumnSource, SchemaElement } from 'hyparquet-writer' with { 'resolution-mode': 'import' };
import type { ChatCompletion } from '../../codecs/chatCompletion';

/**
 * One row of the Parquet export: the decoded completion, which the flat
 * columns are read from, and the JSON texts kept whole.
 */
export interface CompletionRow {
  readonly completion: ChatCompletion;
  /** The completion as JSON text: as the server sent it where the caller has that text. */
  readonly json: string;
  /** The input messages as one JSON array text; `null` when they could not be listed. Read only by a file with messages. */
  readonly messages?: string | null | undefined;
}

/** How a column is stored, and so how its values are written. */
type ColumnKind = 'string' | 'timestamp' | 'int64' | 'map';

interface Column {
  readonly name: string;
  readonly kind: ColumnKind;
  /** Whether every row has a value: `id`, `created`, `model` and `completion` are required by the codec. */
  readonly required: boolean;
  /**
   * Min and max statistics in the footer: kept where a reader prunes row groups
   * by them (`created`, `model`, the tokens), dropped for long text, whose 16-byte
   * prefix prunes nothing and costs a comparison of every value.
   */
  readonly statistics: boolean;
  /**
   * Dictionary encoding, which `hyparquet-writer` tries on every column and keeps
   * where it halves the size: off for text that is unique to each row, where it
   * would hash megabytes of text to find no repeat.
   */
  readonly dictionary: boolean;
  readonly value: (row: CompletionRow) => unknown;
}

const firstChoice = (row: CompletionRow): ChatCompletion['choices'][number] | undefined => row.completion.choices[0];

/** A token count as INT64; a count that is not an integer (never seen from the API) is null here and kept in `completion`. */
const tokens = (count: number | undefined): bigint | null => (count !== undefined && Number.isSafeInteger(count) ? BigInt(count) : null);

const column = (name: string, kind: ColumnKind, value: Column['value'], flags: { required?: boolean; statistics?: boolean; dictionary?: boolean } = {}): Column => ({
  name,
  kind,
  value,
  required: flags.required ?? false,
  statistics: flags.statistics ?? true,
  dictionary: flags.dictionary ?? true,
});

/**
 * The columns of the file, in order: the schema that `docs/parquet.md`
 * documents, and that its test compares with this list.
 */
const COLUMNS: readonly Column[] = [
  column('id', 'string', (row) => row.completion.id, { required: true, dictionary: false }),
  column('created', 'timestamp', (row) => BigInt(Math.round(row.completion.created * 1000)), { required: true }),
  column('model', 'string', (row) => row.completion.model, { required: true }),
  column('service_tier', 'string', (row) => row.completion.service_tier ?? null),
  column('system_fingerprint', 'string', (row) => row.completion.system_fingerprint ?? null),
  column('request_id', 'string', (row) => row.completion.request_id ?? null, { dictionary: false }),
  column('finish_reason', 'string', (row) => firstChoice(row)?.finish_reason ?? null),
  column('content', 'string', (row) => firstChoice(row)?.message.content ?? null, { statistics: false, dictionary: false }),
  column('refusal', 'string', (row) => firstChoice(row)?.message.refusal ?? null, { statistics: false, dictionary: false }),
  column(
    'tool_calls',
    'string',
    (row) => {
      const calls = firstChoice(row)?.message.tool_calls;
      return calls === undefined || calls === null ? null : JSON.stringify(calls);
    },
    { statistics: false, dictionary: false },
  ),
  column('prompt_tokens', 'int64', (row) => tokens(row.completion.usage?.prompt_tokens)),
  column('completion_tokens', 'int64', (row) => tokens(row.completion.usage?.completion_tokens)),
  column('total_tokens', 'int64', (row) => tokens(row.completion.usage?.total_tokens)),
  column('cached_tokens', 'int64', (row) => tokens(row.completion.usage?.prompt_tokens_details?.cached_tokens)),
  column('reasoning_tokens', 'int64', (row) => tokens(row.completion.usage?.completion_tokens_details?.reasoning_tokens)),
  column('metadata', 'map', (row) => row.completion.metadata ?? null),
  column('completion', 'string', (row) => row.json, { required: true, statistics: false, dictionary: false }),
];

const MESSAGES = column('messages', 'string', (row) => row.messages ?? null, { statistics: false, dictionary: false });

const columnsOf = (messages: boolean): readonly Column[] => (messages ? [...COLUMNS, MESSAGES] : COLUMNS);

/**
 * The names of the columns, in order.
 *
 * @param messages Whether the file has the `messages` column.
 * @returns The names.
 */
export function completionColumnNames(messages: boolean): string[] {
  return columnsOf(messages).map(({ name }) => name);
}

/**
 * The Parquet schema of the file, as `hyparquet-writer` takes it: a flat
 * root of primitive columns, and `metadata` as a MAP of strings.
 *
 * @param messages Whether the file has the `messages` column.
 * @returns The schema elements, root first.
 */
export function completionSchema(messages: boolean): SchemaElement[] {
  const columns = columnsOf(messages);
  return [{ name: 'root', num_children: columns.length }, ...columns.flatMap(schemaElements)];
}

/**
 * The rows of a row group, held column by column: each row's values are read
 * from its completion as it is added, and its long texts are written as UTF-8
 * into buffers outside the JavaScript heap. The decoded completions and the
 * pages' texts, most of what a walk allocates, are then garbage as soon as
 * their page is done, instead of living on, copied and marked by the
 * collector, until their group is written.
 */
export class CompletionColumns {
  private readonly columns: readonly Column[];
  private values: ColumnValues[];
  /** Buffers of texts already written, for the next groups' texts. */
  private readonly spare: Buffer[] = [];

  /** @param messages Whether the file has the `messages` column. */
  constructor(messages: boolean) {
    this.columns = columnsOf(messages);
    this.values = this.emptyValues();
  }

  /** How many rows were added since the last {@link CompletionColumns.take}. */
  get rows(): number {
    return this.values[0]?.length ?? 0;
  }

  /**
   * Adds a row's values.
   *
   * @param row The row.
   */
  add(row: CompletionRow): void {
    this.columns.forEach(({ value }, index) => this.values[index]?.push(value(row)));
  }

  /**
   * Hands the values of each column of the rows added, as a row group, to
   * `write`; then holds none.
   *
   * The long texts are views into buffers that the next groups write their
   * texts into once `write` returns (each buffer reused is a megabyte that the
   * process neither allocates, nor faults in, nor has the collector free):
   * `write` must have copied them by then, as `hyparquet-writer` does into its
   * pages.
   *
   * @param write Encodes the group: one source per column, in schema order.
   */
  take(write: (columns: ColumnSource[]) => void): void {
    const values = this.values;
    this.values = this.emptyValues();
    write(
      this.columns.map(({ name, statistics, dictionary }, index) => {
        const column = values[index] ?? [];
        return { name, data: column instanceof Utf8Texts ? column.bytes : column, statistics, ...(dictionary ? {} : { encoding: 'PLAIN' as const }) };
      }),
    );
    for (const column of values) if (column instanceof Utf8Texts) this.spare.push(...column.reusable());
  }

  private emptyValues(): ColumnValues[] {
    // Texts with statistics or a dictionary stay strings, which hyparquet-writer compares and hashes faster than bytes.
    return this.columns.map(({ kind, statistics, dictionary }) => (kind === 'string' && !statistics && !dictionary ? new Utf8Texts(this.spare) : []));
  }
}

type ColumnValues = unknown[] | Utf8Texts;

/**
 * Texts as UTF-8, each a view into a buffer of a megabyte or more: the bytes
 * that `hyparquet-writer` writes, and would otherwise encode a value at a
 * time (`TextEncoder.encode`, an array each) when the group is written.
 */
class Utf8Texts {
  /** Each text's bytes, or `null`. */
  readonly bytes: Array<Uint8Array | null> = [];
  /** The buffers that `bytes` are views into. */
  private readonly buffers: Buffer[] = [];
  private buffer: Buffer = Buffer.allocUnsafeSlow(0);
  private offset = 0;

  /** @param spare Buffers of {@link UTF8_BUFFER_BYTES} free to write into, taken before any is allocated. */
  constructor(private readonly spare: Buffer[]) {}

  get length(): number {
    return this.bytes.length;
  }

  /** The buffers that other texts may write into once these are written: those of the common size. */
  reusable(): Buffer[] {
    return this.buffers.filter((buffer) => buffer.length === UTF8_BUFFER_BYTES);
  }

  push(text: unknown): void {
    if (typeof text !== 'string') {
      this.bytes.push(null);
      return;
    }
    // A UTF-16 unit takes at most three bytes: only a text that may not fit is measured.
    if (this.offset + text.length * 3 > this.buffer.length) {
      const length = Buffer.byteLength(text);
      if (this.offset + length > this.buffer.length) {
        this.buffer = (length <= UTF8_BUFFER_BYTES ? this.spare.pop() : undefined) ?? Buffer.allocUnsafeSlow(Math.max(UTF8_BUFFER_BYTES, length));
        this.buffers.push(this.buffer);
        this.offset = 0;
      }
    }
    const written = this.buffer.write(text, this.offset);
    this.bytes.push(new Uint8Array(this.buffer.buffer, this.buffer.byteOffset + this.offset, written));
    this.offset += written;
  }
}

/** The least size of the buffers of {@link Utf8Texts}. */
const UTF8_BUFFER_BYTES = 2 ** 20;

function schemaElements({ name, kind, required }: Column): SchemaElement[] {
  const repetition_type = required ? 'REQUIRED' : 'OPTIONAL';
  switch (kind) {
    case 'string':
      return [string(name, repetition_type)];
    case 'timestamp':
      // UTC instants: DuckDB reads TIMESTAMP WITH TIME ZONE, pandas datetime64[…, UTC].
      return [{ name, repetition_type, type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } }];
    case 'int64':
      return [{ name, repetition_type, type: 'INT64' }];
    case 'map':
      // The three-level MAP of the Parquet spec: an optional group, a repeated key_value, a required key.
      return [
        { name, repetition_type, converted_type: 'MAP', logical_type: { type: 'MAP' }, num_children: 1 },
        { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
        string('key', 'REQUIRED'),
        string('value', 'OPTIONAL'),
      ];
  }
}

function string(name: string, repetition_type: 'REQUIRED' | 'OPTIONAL'): SchemaElement {
  return { name, repetition_type, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
}
