import { notFound } from './apiError';
import { completionBytes, listBytes, pushCompletion, pushMessage, type CompletionParts } from '../seeded/completionText';
import { SEEDED_MODELS } from '../seeded/corpus';
import { randomCompletionId, seededCompletionId, seededIndexOf } from '../seeded/ids';
import type { ListQuery, PageQuery } from './listQuery';
import { matchesMetadata, type Metadata, type MetadataPair } from './metadata';
import { hash32, mulberry32, type Rng } from '../seeded/prng';
import { compilePackedFilter, packedMetadataBytes, RECORD_METADATA } from '../seeded/seededMetadata';
import { seededCompletionParts, seededMessageTails, seedHistory, type SeededHistory } from '../seeded/seededHistory';

/** A completion created over HTTP, as the create endpoint hands it to the store. */
export interface NewCompletion {
  /** Raw model name, for the `model` filter. */
  readonly model: string;
  readonly metadata: Metadata;
  readonly parts: CompletionParts;
  /** Per input message, its messages-endpoint bytes after the id. */
  readonly messageTails: readonly Buffer[];
}

/** What the store knows beyond the seeded arrays: created completions, and seeded ones updated. */
interface StoredRecord {
  readonly model: string;
  readonly parts: CompletionParts;
  /** `null` for a seeded completion: its messages come from its index. */
  readonly messageTails: readonly Buffer[] | null;
  metadata: Metadata;
  /** The whole JSON bytes, rendered at creation and again only when metadata changes. */
  bytes: Buffer;
  /** Only for a created completion: a seeded one's deletion is in `seededDeleted`, record or not. */
  deleted: boolean;
}

const ID_STREAM = 0x1dc0de;
const EMPTY = Buffer.alloc(0);
/** Below this many tombstones, skipping them costs less than rebuilding the order. */
const MIN_TOMBSTONES_TO_COMPACT = 1024;

/**
 * The stored completions and the list semantics of the API over them.
 *
 * Each completion has a handle: seeded ones their index, created ones the next integers, so
 * handles grow in insertion order. `order` holds the live handles sorted by `(created, handle)`,
 * which is `created` with ties in insertion order; `desc` walks the same array backwards, so it is
 * the exact reverse of `asc`.
 *
 * An `after` cursor is found by binary search on `(created, handle)`, never by scanning. Deleted
 * completions stay in `order` as tombstones (skipped by walks) until they outnumber the live ones,
 * then `order` is rebuilt once; a deleted id keeps its `(created, handle)` and so stays a valid
 * cursor, which lets a client delete the items of a page and then ask for the page after it, unless
 * the store is strict about cursors.
 */
export class CompletionStore {
  private readonly history: SeededHistory;
  private readonly seededDeleted: Uint8Array;
  private readonly records = new Map<number, StoredRecord>();
  private readonly createdHandles = new Map<string, number>();
  private readonly idRng: Rng;
  private order: Int32Array;
  private size: number;
  private tombstones = 0;
  private nextHandle: number;

  /**
   * @param seed the seed of the history.
   * @param count how many seeded completions.
   * @param strictCursor whether a deleted completion's id stops being a valid `after`.
   */
  constructor(
    seed: number,
    count: number,
    private readonly strictCursor = false,
  ) {
    this.history = seedHistory(seed, count);
    this.seededDeleted = new Uint8Array(count);
    this.order = new Int32Array(count + 64);
    for (let handle = 0; handle < count; handle++) this.order[handle] = handle;
    this.size = count;
    this.nextHandle = count;
    this.idRng = mulberry32(hash32(seed, count, ID_STREAM));
  }

  /**
   * A fresh completion id, unique among seeded and created ones.
   *
   * @returns `chatcmpl-` and 29 base62 characters.
   */
  newId(): string {
    for (;;) {
      const id = randomCompletionId(this.idRng);
      if (this.handleOf(id) === undefined) return id;
    }
  }

  /**
   * Stores a created completion after every completion with an equal or earlier `created`.
   *
   * @param completion from the create endpoint, with an id from {@link newId}.
   */
  insert(completion: NewCompletion): void {
    const handle = this.nextHandle++;
    const { id, created } = completion.parts.identity;
    this.records.set(handle, {
      model: completion.model,
      parts: completion.parts,
      messageTails: completion.messageTails,
      metadata: completion.metadata,
      bytes: completionBytes(completion.parts, metadataBytes(completion.metadata)),
      deleted: false,
    });
    this.createdHandles.set(id, handle);
    if (this.size === this.order.length) {
      const grown = new Int32Array(this.order.length * 2);
      grown.set(this.order);
      this.order = grown;
    }
    // Wall-clock creations nearly always sort last; only a history seeded into the future makes
    // this a move.
    const position = this.lowerBound(created, handle);
    this.order.copyWithin(position + 1, position, this.size);
    this.order[position] = handle;
    this.size++;
  }

  /** How many completions are stored now: seeded and created, minus deleted. */
  get stored(): number {
    return this.size - this.tombstones;
  }

  /**
   * One page of the completions list.
   *
   * @param query pagination and filters.
   * @returns the list's JSON bytes.
   * @throws APIError 404 when `after` names no completion, or a deleted one when strict about cursors.
   */
  list(query: ListQuery): Buffer {
    const matches = this.matcher(query.model, query.metadata);
    const step = query.order === 'asc' ? 1 : -1;
    let position = query.order === 'asc' ? 0 : this.size - 1;
    if (query.after !== undefined) {
      const handle = this.handleOf(query.after);
      if (handle === undefined || (this.strictCursor && this.isDeleted(handle))) {
        throw notFound('after', `Invalid value for 'after': no chat completion found with id '${query.after}'.`);
      }
      position = this.lowerBound(this.createdOf(handle), handle);
      // lowerBound lands on the cursor itself, or (once it was compacted away) on its successor.
      if (query.order === 'asc' && this.order[position] === handle) position++;
      if (query.order === 'desc') position--;
    }
    const page: number[] = [];
    let hasMore = false;
    for (; position >= 0 && position < this.size; position += step) {
      const handle = this.order[position] ?? -1;
      if (this.isDeleted(handle) || !matches(handle)) continue;
      if (page.length === query.limit) {
        hasMore = true;
        break;
      }
      page.push(handle);
    }
    return listBytes(page, (handle) => this.idOf(handle), (chunks, handle) => this.pushItem(chunks, handle), hasMore);
  }

  /**
   * One stored completion.
   *
   * @param id the completion's id.
   * @returns its JSON bytes.
   * @throws APIError 404 when no live completion has this id.
   */
  retrieve(id: string): Buffer {
    const chunks: Buffer[] = [];
    this.pushItem(chunks, this.liveHandleOf(id));
    return Buffer.concat(chunks);
  }

  /**
   * Replaces a completion's metadata.
   *
   * @param id the completion's id.
   * @param metadata the new metadata, already validated.
   * @returns the updated completion's JSON bytes.
   * @throws APIError 404 when no live completion has this id.
   */
  update(id: string, metadata: Metadata): Buffer {
    const handle = this.liveHandleOf(id);
    const record = this.records.get(handle);
    const parts = record?.parts ?? seededCompletionParts(this.history, handle);
    const bytes = completionBytes(parts, metadataBytes(metadata));
    if (record !== undefined) {
      record.metadata = metadata;
      record.bytes = bytes;
    } else {
      // From now on this seeded completion is read from its record, metadata filters included.
      const model = SEEDED_MODELS[this.history.models[handle] ?? 0] ?? '';
      this.records.set(handle, { model, parts, messageTails: null, metadata, bytes, deleted: false });
      this.history.metadataCodes[handle] = RECORD_METADATA;
    }
    return bytes;
  }

  /**
   * Deletes a completion.
   *
   * @param id the completion's id.
   * @returns the deletion object's JSON bytes.
   * @throws APIError 404 when no live completion has this id.
   */
  delete(id: string): Buffer {
    const handle = this.liveHandleOf(id);
    // A seeded completion that was updated has a record too, but its deletion goes by its handle.
    const record = this.records.get(handle);
    if (handle < this.history.count) this.seededDeleted[handle] = 1;
    else if (record !== undefined) record.deleted = true;
    this.tombstones++;
    if (this.tombstones >= MIN_TOMBSTONES_TO_COMPACT && this.tombstones * 2 > this.size) this.compact();
    return Buffer.from(`{"object":"chat.completion.deleted","id":"${id}","deleted":true}`);
  }

  /**
   * One page of a completion's input messages, in input order for `asc`.
   *
   * @param id the completion's id.
   * @param query pagination; `after` is a message id `${id}-${index}`.
   * @returns the list's JSON bytes.
   * @throws APIError 404 when no live completion has this id, or `after` names no message of it.
   */
  messages(id: string, query: PageQuery): Buffer {
    const handle = this.liveHandleOf(id);
    const tails = this.records.get(handle)?.messageTails ?? seededMessageTails(this.history, handle);
    const ascending = query.order === 'asc';
    let start = ascending ? 0 : tails.length - 1;
    if (query.after !== undefined) {
      const index = messageIndexOf(id, query.after, tails.length);
      if (index === undefined) {
        const message = `Invalid value for 'after': no message found with id '${query.after}' in chat completion '${id}'.`;
        throw notFound('after', message);
      }
      start = ascending ? index + 1 : index - 1;
    }
    const end = ascending ? Math.min(tails.length, start + query.limit) : Math.max(-1, start - query.limit);
    const positions = ascending ? range(start, end) : range(end + 1, start + 1).reverse();
    const messageId = (position: number) => `${id}-${position}`;
    const pushItem = (chunks: Buffer[], position: number) => pushMessage(chunks, messageId(position), tails[position] ?? EMPTY);
    return listBytes(positions, messageId, pushItem, ascending ? end < tails.length : end >= 0);
  }

  private matcher(model: string | undefined, metadata: readonly MetadataPair[]): (handle: number) => boolean {
    const { count, models, metadataCodes } = this.history;
    const seededModel = model === undefined ? -1 : SEEDED_MODELS.findIndex((name) => name === model);
    const packed = metadata.length === 0 ? undefined : compilePackedFilter(metadata);
    const modelMatches = (handle: number): boolean => {
      if (model === undefined) return true;
      if (handle >= count) return this.records.get(handle)?.model === model;
      return models[handle] === seededModel;
    };
    const metadataMatches = (handle: number): boolean => {
      if (metadata.length === 0) return true;
      const code = handle < count ? (metadataCodes[handle] ?? 0) : RECORD_METADATA;
      if (code === RECORD_METADATA) {
        const record = this.records.get(handle);
        return record !== undefined && matchesMetadata(record.metadata, metadata);
      }
      return packed !== undefined && ((code & packed.mask) >>> 0) === packed.expected;
    };
    return (handle) => modelMatches(handle) && metadataMatches(handle);
  }

  private pushItem(chunks: Buffer[], handle: number): void {
    const record = this.records.get(handle);
    if (record !== undefined) {
      chunks.push(record.bytes);
    } else {
      const metadata = packedMetadataBytes(this.history.metadataCodes[handle] ?? 0);
      pushCompletion(chunks, seededCompletionParts(this.history, handle), metadata);
    }
  }

  private idOf(handle: number): string {
    return this.records.get(handle)?.parts.identity.id ?? seededCompletionId(this.history.seed, handle);
  }

  private createdOf(handle: number): number {
    return handle < this.history.count
      ? (this.history.created[handle] ?? 0)
      : (this.records.get(handle)?.parts.identity.created ?? 0);
  }

  private isDeleted(handle: number): boolean {
    return handle < this.history.count ? this.seededDeleted[handle] === 1 : this.records.get(handle)?.deleted !== false;
  }

  /** Any completion's handle, deleted ones included (they remain valid cursors). */
  private handleOf(id: string): number | undefined {
    return this.createdHandles.get(id) ?? seededIndexOf(this.history.seed, this.history.count, id);
  }

  private liveHandleOf(id: string): number {
    const handle = this.handleOf(id);
    if (handle === undefined || this.isDeleted(handle)) {
      throw notFound(null, `No chat completion found with id '${id}'.`);
    }
    return handle;
  }

  /** The first position whose `(created, handle)` is not below the given one. */
  private lowerBound(created: number, handle: number): number {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const other = this.order[middle] ?? 0;
      const otherCreated = this.createdOf(other);
      if (otherCreated < created || (otherCreated === created && other < handle)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private compact(): void {
    let kept = 0;
    for (let position = 0; position < this.size; position++) {
      const handle = this.order[position] ?? 0;
      if (!this.isDeleted(handle)) this.order[kept++] = handle;
    }
    this.size = kept;
    this.tombstones = 0;
  }
}

function metadataBytes(metadata: Metadata): Buffer {
  return Buffer.from(JSON.stringify(metadata));
}

/** The index in `${completionId}-${index}`, when it names one of `count` messages. */
function messageIndexOf(completionId: string, messageId: string, count: number): number | undefined {
  const suffix = messageId.startsWith(`${completionId}-`) ? messageId.slice(completionId.length + 1) : '';
  const index = /^(0|[1-9]\d*)$/.test(suffix) ? Number(suffix) : -1;
  return index >= 0 && index < count ? index : undefined;
}

function range(start: number, end: number): number[] {
  return Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
}
