import { open } from 'node:fs/promises';

/** Where an interrupted export stopped. */
export interface ResumePoint {
  /** The file's length once its trailing partial line is dropped: just past its last `\n`. */
  readonly completeBytes: number;
  /** The last complete line, without its `\n`; `undefined` when the file holds no complete line. */
  readonly lastLine: string | undefined;
}

/**
 * Finds the resume point in the tail of a file: `tail` holds the file's bytes
 * from `tailStart` to its end. Bytes, not text, because a chunk boundary may
 * split a UTF-8 sequence, while a `\n` byte is always a line break in UTF-8.
 *
 * @param tail The last bytes of the file.
 * @param tailStart The offset of `tail` in the file.
 * @returns The resume point, or `'more'` when the tail is too short to hold the last complete line whole.
 */
export function findResumePoint(tail: Uint8Array, tailStart: number): ResumePoint | 'more' {
  const lastBreak = tail.lastIndexOf(LF);
  if (lastBreak < 0) return tailStart === 0 ? { completeBytes: 0, lastLine: undefined } : 'more';
  const previousBreak = lastBreak === 0 ? -1 : tail.lastIndexOf(LF, lastBreak - 1);
  if (previousBreak < 0 && tailStart > 0) return 'more';
  return {
    completeBytes: tailStart + lastBreak + 1,
    lastLine: Buffer.from(tail.buffer, tail.byteOffset + previousBreak + 1, lastBreak - previousBreak - 1).toString('utf8'),
  };
}

const LF = 0x0a;

/**
 * The id of the completion on the last complete line: where a resumed export
 * continues (`after`). A line of `export --with-messages` holds the completion
 * under `completion`.
 *
 * @param line The last complete line of the export.
 * @returns Its `id`, or its `completion.id`.
 * @throws {Error} when the line is not a JSON object with a string `id` or `completion.id`: the
 *   file is not an export of this tool, and appending to it would be a guess.
 */
export function resumeAfterId(line: string): string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`Cannot resume: the last complete line is not JSON: ${preview(line)}`);
  }
  const id = idOf(value) ?? idOf(typeof value === 'object' && value !== null ? (value as { completion?: unknown }).completion : undefined);
  if (id === undefined) throw new Error(`Cannot resume: the last complete line has no string \`id\` nor \`completion.id\`: ${preview(line)}`);
  return id;
}

function idOf(value: unknown): string | undefined {
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function preview(line: string): string {
  return JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}…` : line);
}

/**
 * Prepares a file for a resumed export: reads the id the export continues
 * after, then drops a trailing partial line (the write the interruption cut
 * short) by truncating the file to its last `\n`. Reads only the tail, in
 * chunks that double until they hold the last complete line.
 *
 * A missing file is an export that has not started: the result is empty and
 * the export starts from the beginning.
 *
 * @param path The export file.
 * @param chunkBytes The first read's size; exposed for tests of long lines.
 * @returns The id to continue after, or `undefined` to start from the beginning.
 * @throws {Error} when the last complete line is not a completion (see {@link resumeAfterId}); the file is left as it was.
 */
export async function prepareResume(path: string, chunkBytes = 64 * 1024): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, 'r+');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    let length = Math.min(size, chunkBytes);
    for (;;) {
      const tail = Buffer.alloc(length);
      await handle.read(tail, 0, length, size - length);
      const point = findResumePoint(tail, size - length);
      if (point !== 'more') {
        // The id first: a file that is not an export is refused as it is, not truncated.
        const after = point.lastLine === undefined ? undefined : resumeAfterId(point.lastLine);
        if (point.completeBytes < size) await handle.truncate(point.completeBytes);
        return after;
      }
      length = Math.min(size, length * 2);
    }
  } finally {
    await handle.close();
  }
}
