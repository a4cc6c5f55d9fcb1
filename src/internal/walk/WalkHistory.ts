/**
 * How many of its most recent item ids a walk remembers to catch a server
 * that repeats items (an inclusive cursor, overlapping pages): twenty pages of
 * 100, about 200 KB, whatever the length of the walk. Small enough that
 * `rxsc export --with-messages`, which walks thousands of conversations, does
 * not fill the heap with them; a repeat from further back is caught when it
 * reaches a cursor.
 */
export const DUPLICATE_WINDOW_ITEMS = 2_000;

/**
 * What a walk remembers of where it has been, to fail before it emits an item
 * twice: every cursor it has followed (one id per page, as many as the walk
 * has pages: a cycle is always caught), and the ids of its last
 * `windowItems` items (a repeat further back than that is caught only when
 * it reaches a cursor).
 *
 * ## Example
 * ```ts
 * import { nextCursor, WalkHistory } from 'rx-stored-completions';
 * const history = new WalkHistory();
 * nextCursor({ data: [{ id: 'a' }], has_more: true }, undefined, history); // { done: false, after: 'a' }
 * ```
 */
export class WalkHistory {
  private readonly cursors = new Set<string>();
  private readonly recent = new Set<string>();
  /** The recent ids in arrival order, a ring: `next` is where the oldest is overwritten. */
  private readonly ring: Array<string | undefined>;
  private next = 0;

  /**
   * @param start The cursor the walk starts after, if any: an item with that id would repeat it.
   * @param windowItems How many recent item ids to remember.
   */
  constructor(start?: string, windowItems: number = DUPLICATE_WINDOW_ITEMS) {
    if (start !== undefined) this.cursors.add(start);
    this.ring = new Array<string | undefined>(windowItems);
  }

  /** Whether `id` is a cursor this walk has followed. */
  isCursor(id: string): boolean {
    return this.cursors.has(id);
  }

  /** Whether `id` is a followed cursor or one of the recent items. */
  hasSeen(id: string): boolean {
    return this.cursors.has(id) || this.recent.has(id);
  }

  /** Remembers a cursor the walk follows. */
  addCursor(id: string): void {
    this.cursors.add(id);
  }

  /** Remembers an item id, forgetting the oldest beyond the window. */
  addItem(id: string): void {
    if (this.ring.length === 0) return;
    const oldest = this.ring[this.next];
    if (oldest !== undefined) this.recent.delete(oldest);
    this.ring[this.next] = id;
    this.recent.add(id);
    this.next = (this.next + 1) % this.ring.length;
  }
}
