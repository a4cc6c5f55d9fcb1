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
 * The values of each column for a row group.
 *
 * @param rows The rows of the group.
 * @param messages Whether the file has the `messages` column.
 * @returns One source per column, in schema order.
 */
export function completionColumnData(rows: readonly CompletionRow[], messages: boolean): ColumnSource[] {
  return columnsOf(messages).map(({ name, value, statistics, dictionary }) => ({ name, data: rows.map(value), statistics, ...(dictionary ? {} : { encoding: 'PLAIN' as const }) }));
}

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
