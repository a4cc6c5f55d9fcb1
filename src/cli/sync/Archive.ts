import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CommandFailure } from '../CommandFailure';
import { foldersOf, syncDirectory, writeDurably } from './durableFiles';
import type { PartFormat } from './partFormat';
import type { SyncCheckpoint } from './SyncTracker';

/** The kinds of record an archive holds, each in a folder of its own. */
export type ArchiveTree = 'completions' | 'messages' | 'changes';

const TREES: readonly ArchiveTree[] = ['completions', 'messages', 'changes'];

/** The state file, beside the trees. */
export const STATE_FILE = 'rxsc-sync.json';
/** The lock file, beside the state. */
export const LOCK_FILE = 'rxsc-sync.lock';

/** What selects the completions an archive holds: given on the first run, required the same on the next. */
export interface ArchiveSelection {
  readonly format: string;
  readonly model: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly withMessages: boolean;
}

/** The state file: what is archived, and where the next run starts. */
export interface SyncState extends ArchiveSelection {
  readonly version: 1;
  readonly checkpoint: SyncCheckpoint;
  /** The number of the next part file: files numbered from it on were written by a run that did not commit them. */
  readonly nextPart: number;
  /** Records archived, by tree. */
  readonly counts: Readonly<Record<ArchiveTree, number>>;
  /** When the last commit was made, ISO 8601. */
  readonly committedAt: string | null;
}

const PART = /^part-(\d+)\.[a-z]+$/;

/**
 * An archive folder: its state, and its part files under
 * `TREE/day=YYYY-MM-DD/part-NNNNNN.EXT`, the day being the UTC day of the
 * completion's `created`.
 *
 * Writes are commits: {@link Archive.add} buffers records; {@link Archive.commit}
 * writes one new part per tree and day touched (temporary file, fsync, rename),
 * flushes their folders, then writes the state the same way. The state is the
 * commit point: part files numbered from its `nextPart` on belong to no commit,
 * and {@link Archive.open} deletes them, with any temporary file, before
 * anything else. A run killed at any moment thus leaves the archive as of its
 * last commit, every file whole.
 */
export class Archive {
  private pending = new Map<string, { readonly tree: ArchiveTree; readonly day: string; readonly records: string[] }>();
  private pendingSince: number | undefined;
  private pendingRecords = 0;
  private committing: Promise<void> = Promise.resolve();
  /** The error of a commit that failed: its records are lost to this run, so no later checkpoint may be written. */
  private failure: { readonly error: unknown } | undefined;

  private constructor(
    readonly dir: string,
    private current: SyncState,
    private readonly format: PartFormat,
  ) {}

  /**
   * Opens an archive folder, creating it on the first run, and drops what a
   * killed run left uncommitted.
   *
   * @param dir The folder.
   * @param selection What the run selects; must match the state's on later runs.
   * @param format The format of the part files.
   * @returns The archive.
   * @throws {CommandFailure} when the folder holds an archive of another selection, or a state it cannot read.
   */
  static async open(dir: string, selection: ArchiveSelection, format: PartFormat): Promise<Archive> {
    await mkdir(dir, { recursive: true });
    const state = (await readState(dir)) ?? initialState(selection);
    const mismatches = selectionMismatches(state, selection);
    if (mismatches.length > 0) {
      throw new CommandFailure(`${dir} is an archive of other completions than this run selects: ${mismatches.join('; ')}. Give the same flags, or another folder.`);
    }
    await dropUncommitted(dir, state.nextPart);
    return new Archive(dir, state, format);
  }

  /** The state as of the last commit. */
  get state(): SyncState {
    return this.current;
  }

  /** Records waiting for the next commit. */
  get pendingCount(): number {
    return this.pendingRecords;
  }

  /**
   * Whether the records waiting are many or old enough to commit.
   *
   * @param now The clock, in milliseconds.
   * @param maxRecords Commit at this many records.
   * @param maxAgeMs Commit once the oldest waits this long.
   */
  due(now: number, maxRecords: number, maxAgeMs: number): boolean {
    return this.pendingRecords >= maxRecords || (this.pendingSince !== undefined && now - this.pendingSince >= maxAgeMs);
  }

  /**
   * Buffers a record for the next commit.
   *
   * @param tree Its kind.
   * @param created The `created` of its completion, which picks its day.
   * @param record The record, one line of JSON.
   * @param now The clock, in milliseconds.
   */
  add(tree: ArchiveTree, created: number, record: string, now: number): void {
    const day = new Date(created * 1000).toISOString().slice(0, 10);
    const key = `${tree}/${day}`;
    let part = this.pending.get(key);
    if (part === undefined) {
      part = { tree, day, records: [] };
      this.pending.set(key, part);
    }
    part.records.push(record);
    this.pendingRecords++;
    this.pendingSince ??= now;
  }

  /**
   * Writes the records waiting, and the checkpoint with them.
   *
   * Once a commit has failed, every later one fails with its error and writes
   * nothing: its checkpoint would stand past the records the failed one lost,
   * and the next run would never read them again. The state stays at the last
   * commit that succeeded, where the next run goes on from.
   *
   * @param checkpoint Where the archive stands once they are written.
   * @param now The clock, in milliseconds.
   */
  commit(checkpoint: SyncCheckpoint, now: number): Promise<void> {
    // One commit at a time: a commit cut short by an interrupt may still be writing when the next starts.
    // The records are taken now, with the checkpoint that has them behind it.
    const parts = [...this.pending.values()];
    this.pending = new Map();
    this.pendingRecords = 0;
    this.pendingSince = undefined;
    const commit = this.committing.then(async () => {
      if (this.failure !== undefined) throw this.failure.error;
      try {
        await this.write(parts, checkpoint, now);
      } catch (error) {
        this.failure = { error };
        throw error;
      }
    });
    this.committing = commit.catch(() => undefined);
    return commit;
  }

  /** Resolves once no commit is under way. */
  settled(): Promise<void> {
    return this.committing;
  }

  private async write(parts: ReadonlyArray<{ readonly tree: ArchiveTree; readonly day: string; readonly records: readonly string[] }>, checkpoint: SyncCheckpoint, now: number): Promise<void> {
    let nextPart = this.current.nextPart;
    const counts = { ...this.current.counts };
    const written: string[] = [];
    for (const part of parts) {
      const folder = join(this.dir, part.tree, `day=${part.day}`);
      const path = join(folder, `part-${String(nextPart++).padStart(6, '0')}.${this.format.extension(part.tree)}`);
      await mkdir(folder, { recursive: true });
      await writeDurably(path, (handle) => this.format.write(handle, part.tree, part.records));
      written.push(path);
      counts[part.tree] += part.records.length;
    }
    // A new day folder is an entry of its tree folder: both must reach the disk before the state says so.
    for (const folder of [...foldersOf(written), ...foldersOf(foldersOf(written))]) await syncDirectory(folder);
    const state: SyncState = { ...this.current, checkpoint, nextPart, counts, committedAt: new Date(now).toISOString() };
    await writeDurably(join(this.dir, STATE_FILE), (handle) => handle.writeFile(`${JSON.stringify(state, null, 2)}\n`));
    await syncDirectory(this.dir);
    this.current = state;
  }

  /**
   * The records of a tree for the days from `fromDay` on, part by part in commit order.
   *
   * @param tree The kind.
   * @param fromDay `YYYY-MM-DD`.
   * @returns The records, each a line.
   */
  async *records(tree: ArchiveTree, fromDay: string): AsyncGenerator<string> {
    const days = (await readdir(join(this.dir, tree)).catch(() => [] as string[])).filter((name) => name >= `day=${fromDay}`).sort();
    for (const day of days) {
      const files = (await readdir(join(this.dir, tree, day))).filter((name) => PART.test(name)).sort();
      for (const file of files) {
        for (const line of await this.format.read(join(this.dir, tree, day, file), tree)) yield line;
      }
    }
  }
}

function initialState(selection: ArchiveSelection): SyncState {
  return {
    version: 1,
    ...selection,
    checkpoint: { created: 0, ids: [], after: null },
    nextPart: 1,
    counts: { completions: 0, messages: 0, changes: 0 },
    committedAt: null,
  };
}

async function readState(dir: string): Promise<SyncState | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, STATE_FILE), 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
  let state: Partial<SyncState>;
  try {
    state = JSON.parse(text) as Partial<SyncState>;
  } catch {
    throw new CommandFailure(`${join(dir, STATE_FILE)} is not JSON: it was not written by rxsc sync, or was edited`);
  }
  if (state.version !== 1 || typeof state.nextPart !== 'number' || typeof state.checkpoint?.created !== 'number') {
    throw new CommandFailure(`${join(dir, STATE_FILE)} is not a state this version of rxsc sync reads (version ${String(state.version)})`);
  }
  return state as SyncState;
}

function selectionMismatches(state: ArchiveSelection, selection: ArchiveSelection): string[] {
  const show = (value: unknown): string => JSON.stringify(value);
  const mismatches: string[] = [];
  if (state.format !== selection.format) mismatches.push(`it is in format ${state.format}, not ${selection.format}`);
  if (state.model !== selection.model) mismatches.push(`it holds model ${show(state.model)}, not ${show(selection.model)}`);
  if (show(sorted(state.metadata)) !== show(sorted(selection.metadata))) {
    mismatches.push(`it holds metadata ${show(state.metadata)}, not ${show(selection.metadata)}`);
  }
  if (state.withMessages !== selection.withMessages) {
    mismatches.push(state.withMessages ? 'it holds input messages (--with-messages)' : 'it holds no input messages (no --with-messages)');
  }
  return mismatches;
}

function sorted(metadata: Readonly<Record<string, string>>): Array<[string, string]> {
  return Object.entries(metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Deletes the temporary files and the parts numbered from `nextPart` on: what no commit recorded. */
async function dropUncommitted(dir: string, nextPart: number): Promise<void> {
  for (const tree of TREES) {
    const days = await readdir(join(dir, tree)).catch(() => [] as string[]);
    for (const day of days) {
      for (const file of await readdir(join(dir, tree, day)).catch(() => [] as string[])) {
        const number = PART.exec(file)?.[1];
        if (file.endsWith('.tmp') || (number !== undefined && Number(number) >= nextPart)) await unlink(join(dir, tree, day, file));
      }
    }
  }
  await unlink(join(dir, `${STATE_FILE}.tmp`)).catch(() => undefined);
}
