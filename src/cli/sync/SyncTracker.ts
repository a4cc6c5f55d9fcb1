import type { DatedItem } from '../../internal/walk/settledWalk';

/** Where an archive stands, as its state file records it. */
export interface SyncCheckpoint {
  /** Unix seconds: completions created before it are behind the archive (or were too late, see `lookbackSeconds`). */
  readonly created: number;
  /** The completions created at or after `created` that are in the archive. */
  readonly ids: readonly string[];
  /** A completion created before `created`, where the next walk starts (oldest first); `null` for the start of the list. */
  readonly after: string | null;
}

/**
 * Follows a walk of the list, oldest first, from an archive's checkpoint:
 * says which completions are new, and where the checkpoint can move to.
 *
 * The checkpoint trails the newest `created` seen by `lookbackSeconds`, so
 * that each run reads that window again, for completions stored late (a
 * completion is stored when its answer is finished, with the `created` of
 * when its request started); the ids in the window keep those already
 * archived out. The walk starts after a completion created before the window.
 */
export class SyncTracker {
  private floor: number;
  private after: string | null;
  private highWater: number;
  /** Ids at or after the floor that are archived: given by the checkpoint, or seen by this walk. */
  private readonly known = new Set<string>();
  /** What the walks of this tracker have seen, oldest first, down to the floor. */
  private seen: DatedItem[] = [];
  private seenStart = 0;
  /** Ids of the checkpoint not seen again by a walk that went to the end: deleted upstream. */
  private unseen: Set<string>;

  constructor(
    checkpoint: SyncCheckpoint,
    private readonly lookbackSeconds: number,
  ) {
    this.floor = checkpoint.created;
    this.after = checkpoint.after;
    this.highWater = checkpoint.created;
    for (const id of checkpoint.ids) this.known.add(id);
    this.unseen = new Set(checkpoint.ids);
  }

  /** Where the next walk starts. */
  get start(): string | undefined {
    return this.after ?? undefined;
  }

  /** The floor: completions created before it are behind the archive. */
  get created(): number {
    return this.floor;
  }

  /**
   * @param item An item of the walk.
   * @returns Whether it is new to the archive: created from the floor on, and not archived yet.
   */
  isNew(item: DatedItem): boolean {
    return item.created >= this.floor && !this.known.has(item.id);
  }

  /**
   * Takes an item of the walk into account, once it is in the archive or
   * added to its next commit (or is not new).
   *
   * @param item The next item, oldest first.
   */
  record(item: DatedItem): void {
    this.seen.push({ id: item.id, created: item.created });
    this.unseen.delete(item.id);
    if (item.created > this.highWater) this.highWater = item.created;
    if (item.created >= this.floor) this.known.add(item.id);
  }

  /** A walk reached the end of the list: ids of the checkpoint it did not meet are gone upstream. */
  walkedToEnd(): void {
    for (const id of this.unseen) this.known.delete(id);
    this.unseen.clear();
  }

  /** When the walk must start elsewhere (its start was deleted upstream). */
  restartAfter(after: string | undefined): void {
    this.after = after ?? null;
  }

  /**
   * Moves the floor up to `lookbackSeconds` behind the newest item seen.
   * Every item seen must be in the archive, or be committed with it.
   *
   * @returns The checkpoint to record.
   */
  checkpoint(): SyncCheckpoint {
    const floor = Math.max(this.floor, this.highWater - this.lookbackSeconds);
    while (this.seenStart < this.seen.length && (this.seen[this.seenStart] as DatedItem).created < floor) {
      const item = this.seen[this.seenStart++] as DatedItem;
      this.after = item.id;
      this.known.delete(item.id);
    }
    if (this.seenStart > 4096 && this.seenStart * 2 > this.seen.length) {
      this.seen = this.seen.slice(this.seenStart);
      this.seenStart = 0;
    }
    this.floor = floor;
    return { created: floor, ids: [...this.known], after: this.after };
  }
}
