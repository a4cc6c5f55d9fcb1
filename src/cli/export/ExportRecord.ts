import { readFile, writeFile } from 'node:fs/promises';
import type { TimeWindow, TimeBound } from '../args/windowOptions';
import { CommandFailure } from '../CommandFailure';

/** What an export writes on each line. */
export type ExportFormat = 'completions' | 'with-messages' | 'finetune';

/**
 * What selects the completions of an export, and how it writes them: kept
 * beside the export file, as `FILE.rxsc.json`, so that `--resume` can refuse
 * to continue it with other flags (which would append another selection, or
 * another order, after the last line: duplicates and gaps).
 *
 * Beside the file, not in it, so that the export stays plain JSONL, one
 * completion a line, readable by any tool.
 */
export interface ExportRecord {
  readonly format: ExportFormat;
  readonly order: 'asc' | 'desc';
  readonly model: string | null;
  /** The `--metadata` pairs, by key. */
  readonly metadata: Readonly<Record<string, string>>;
  /** `--since` as given, and the time it stood for when the export started; a resume reuses that time. */
  readonly since: TimeBound | null;
  readonly until: TimeBound | null;
  /** `--after` of the first run: where a resume starts when the file holds no complete line yet. */
  readonly after: string | null;
}

/**
 * The path of the record of an export file.
 *
 * @param file The export file.
 * @returns `FILE.rxsc.json`.
 */
export function recordPath(file: string): string {
  return `${file}.rxsc.json`;
}

/**
 * Writes the record of an export, replacing any.
 *
 * @param file The export file.
 * @param record Its flags.
 * @returns Once written.
 */
export async function writeRecord(file: string, record: ExportRecord): Promise<void> {
  await writeFile(recordPath(file), `${JSON.stringify({ rxsc: RECORD_VERSION, ...record }, null, 2)}\n`);
}

/**
 * Reads the record of an export.
 *
 * @param file The export file.
 * @returns The record, or `undefined` when there is none.
 * @throws {CommandFailure} when the record is not one `rxsc` wrote.
 */
export async function readRecord(file: string): Promise<ExportRecord | undefined> {
  let text: string;
  try {
    text = await readFile(recordPath(file), 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!isRecord(value)) throw new CommandFailure(`${recordPath(file)} is not a record of an rxsc export: remove it to resume without checking the flags`);
  return value;
}

/**
 * The differences between the flags of the export being resumed and those of
 * the resume, one sentence each; none when they select and write the same.
 * `--max`, `--limit` and `--concurrency` may differ: they change how much a
 * run does, not what it selects.
 *
 * @param recorded The record of the export.
 * @param current The record the resume's flags would write.
 * @returns The differences.
 */
export function recordMismatches(recorded: ExportRecord, current: ExportRecord): string[] {
  const flags = (record: ExportRecord): Record<string, string> => ({
    format: record.format === 'with-messages' ? '--with-messages' : `--format ${record.format}`,
    order: `--order ${record.order}`,
    model: record.model === null ? 'no --model' : `--model ${record.model}`,
    metadata: metadataFlags(record.metadata),
    since: record.since === null ? 'no --since' : `--since ${record.since.given}`,
    until: record.until === null ? 'no --until' : `--until ${record.until.given}`,
  });
  const before = flags(recorded);
  const now = flags(current);
  return Object.keys(before)
    .filter((key) => before[key] !== now[key])
    .map((key) => `the export has ${before[key]}, this command ${now[key]}`);
}

/**
 * The window a resume walks: the times the original export's `--since` and
 * `--until` stood for, so that a span (`7d`) means the same days as then.
 *
 * @param record The record of the export.
 * @returns The window.
 */
export function recordedWindow(record: ExportRecord): TimeWindow {
  return { since: record.since ?? undefined, until: record.until ?? undefined };
}

const RECORD_VERSION = 1;

function metadataFlags(metadata: Readonly<Record<string, string>>): string {
  const pairs = Object.keys(metadata)
    .sort()
    .map((key) => `--metadata ${key}=${metadata[key] ?? ''}`);
  return pairs.length === 0 ? 'no --metadata' : pairs.join(' ');
}

function isRecord(value: unknown): value is ExportRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const isBound = (bound: unknown): boolean =>
    bound === null || (typeof bound === 'object' && typeof (bound as TimeBound).given === 'string' && typeof (bound as TimeBound).seconds === 'number');
  const metadata = record['metadata'];
  return (
    record['rxsc'] === RECORD_VERSION &&
    (record['format'] === 'completions' || record['format'] === 'with-messages' || record['format'] === 'finetune') &&
    (record['order'] === 'asc' || record['order'] === 'desc') &&
    (record['model'] === null || typeof record['model'] === 'string') &&
    typeof metadata === 'object' &&
    metadata !== null &&
    Object.values(metadata).every((v) => typeof v === 'string') &&
    isBound(record['since']) &&
    isBound(record['until']) &&
    (record['after'] === null || typeof record['after'] === 'string')
  );
}
