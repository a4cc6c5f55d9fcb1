import { createHash } from 'node:crypto';
import { defer, first, lastValueFrom, map, mergeMap, of, type Observable } from 'rxjs';
import type { Client } from '../../client/createClient';
import { NotFoundError } from '../../errors';
import type { ListParams } from '../../resources/chat/completions/ListParams';
import { peekablePage } from '../../internal/core/peekablePage';
import { settledWalk, type DatedPageFetch } from '../../internal/walk/settledWalk';
import { joinMessages } from '../export/messageJoin';
import { pageLines, type CompletionLine } from '../export/pageLines';
import type { WalkProgress } from '../progress/WalkProgress';
import { messageSource } from '../walk/messageSource';
import type { Archive } from './Archive';
import { SyncTracker } from './SyncTracker';

/** How a sync walks and commits. */
export interface SyncSettings {
  /** The list filters: `model`, `metadata`. */
  readonly params: Pick<ListParams, 'model' | 'metadata'>;
  readonly lookbackSeconds: number;
  /** Commit once this many completions wait. */
  readonly commitEvery: number;
  /** Commit once the oldest completion waiting is this old. */
  readonly commitIntervalMs: number;
  /** Fetch the input messages of each new completion, this many at once; `undefined` for none. */
  readonly messagesConcurrency: number | undefined;
  readonly now: () => number;
}

/** How many times one run starts its walk again after the completion it starts after was deleted upstream. */
const RESTARTS = 3;

/**
 * One sync: walks the list, oldest first, from the archive's checkpoint to
 * its end, adds each new completion (and its messages) to the archive, and
 * commits as it goes and at the end.
 *
 * When the completion the walk starts after was deleted upstream (a 404 to
 * the cursor from a strict server), the walk starts again after another
 * completion created before the checkpoint, found newest first.
 *
 * @param client The client.
 * @param archive The archive, opened and locked.
 * @param tracker The checkpoint of the archive, or of the previous sync of this process (`--watch`).
 * @param settings Filters and commit thresholds.
 * @param progress The progress line.
 * @param signal The interrupt.
 * @returns How many completions were new.
 */
export async function syncOnce(
  client: Client,
  archive: Archive,
  tracker: SyncTracker,
  settings: SyncSettings,
  progress: WalkProgress,
  signal: AbortSignal,
): Promise<number> {
  const messages = messageSource(client, signal);
  const pages = (order: 'asc' | 'desc') => linePages(client, settings.params, order, signal);
  let added = 0;
  // The commit under way, if any. The walk goes on while it writes, and waits for it only when the
  // next one is due, so that at most one is under way: the walk stalled for each commit before.
  // Its failure is the run's, at the next commit or at the end; until then it is held here.
  let writing: Promise<void> = Promise.resolve();
  const commit = async (): Promise<void> => {
    await writing;
    writing = archive.commit(tracker.checkpoint(), settings.now());
    writing.catch(() => undefined);
  };
  const consume = (items: readonly CompletionLine[]): Observable<unknown> =>
    defer(() => {
      // Counted as the walk takes it: a page sent early on a wrong guess and dropped is not.
      progress.page();
      const fresh = items.filter((item) => tracker.isNew(item));
      const withMessages: Observable<ReadonlyArray<{ readonly line: CompletionLine; readonly texts: readonly string[] | null | undefined }>> =
        settings.messagesConcurrency === undefined || fresh.length === 0
          ? of(fresh.map((line) => ({ line, texts: undefined })))
          : joinMessages(fresh, messages, settings.messagesConcurrency, (line, texts) => ({ line, texts: texts ?? null }));
      return withMessages.pipe(
        mergeMap(async (records) => {
          // A page goes in whole, with no wait: a run stopped anywhere commits all of it or none.
          const now = settings.now();
          for (const { line, texts } of records) {
            archive.add('completions', line.created, line.line, now);
            if (texts !== undefined) archive.add('messages', line.created, messagesRecord(line, texts), now);
            progress.item(line.created);
          }
          for (const item of items) tracker.record(item);
          added += records.length;
          if (archive.due(now, settings.commitEvery, settings.commitIntervalMs)) await commit();
        }),
      );
    });
  for (let restarts = 0; ; restarts++) {
    const walk = settledWalk(pages('asc'), tracker.start, 1, consume);
    try {
      await lastValueFrom(walk, { defaultValue: undefined });
      tracker.walkedToEnd();
      break;
    } catch (error) {
      if (!(error instanceof NotFoundError) || tracker.start === undefined || restarts >= RESTARTS || signal.aborted) throw error;
      // What was read is whole: commit it, then start after a completion that still exists.
      await commit();
      tracker.restartAfter(await newStart(pages('desc'), tracker.created));
    }
  }
  await writing;
  return added;
}

/**
 * A completion created before `floor`, found newest first: where a walk
 * oldest first can start without missing anything created from `floor` on.
 *
 * @returns Its id, or `undefined` when none is (the walk starts at the beginning).
 */
function newStart(fetchDesc: DatedPageFetch<CompletionLine>, floor: number): Promise<string | undefined> {
  const found = settledWalk(fetchDesc, undefined, 0, (items) => [items.find((item) => item.created < floor)]).pipe(
    first((item) => item !== undefined, undefined),
    map((item) => item?.id),
  );
  return lastValueFrom(found);
}

/**
 * A record of the messages tree: the completion's id, and its input messages
 * as the server sent them; `null` when the completion was deleted before its
 * messages were read.
 */
function messagesRecord(completion: CompletionLine, texts: readonly string[] | null): string {
  return `{"completion_id":${JSON.stringify(completion.id)},"messages":${texts === null ? 'null' : `[${texts.join(',')}]`}}`;
}

/**
 * `--refresh`: reads again the completions created from `since` on, newest
 * first, and records in the `changes` tree each one whose text differs from
 * its archived version (its metadata was updated since): the completion as
 * the server sends it now, with the time it was observed. The archived line
 * itself is left as it was.
 *
 * @param client The client.
 * @param archive The archive.
 * @param params The list filters.
 * @param since Unix seconds.
 * @param progress The progress line.
 * @param signal The interrupt.
 * @param now The clock, in milliseconds.
 * @returns How many changes were recorded (not yet committed).
 */
export async function refreshWindow(
  client: Client,
  archive: Archive,
  params: Pick<ListParams, 'model' | 'metadata'>,
  since: number,
  progress: WalkProgress,
  signal: AbortSignal,
  now: () => number,
): Promise<number> {
  // A digest of each archived line, not the line: the window may hold days of completions.
  const latest = new Map<string, string>();
  const fromDay = new Date(since * 1000).toISOString().slice(0, 10);
  for await (const line of archive.records('completions', fromDay)) latest.set(idOf(line), digestOf(line));
  for await (const line of archive.records('changes', fromDay)) {
    const completion = changedCompletion(line);
    latest.set(idOf(completion), digestOf(completion));
  }
  let changes = 0;
  const walk = settledWalk(linePages(client, params, 'desc', signal), undefined, 0, (items) => {
    progress.page();
    const observed = Math.floor(now() / 1000);
    for (const item of items) {
      if (item.created < since) continue;
      const archived = latest.get(item.id);
      const digest = digestOf(item.line);
      if (archived === undefined || archived === digest) continue;
      archive.add('changes', item.created, `{"observed":${observed}${CHANGED}${item.line}}`, now());
      latest.set(item.id, digest);
      changes++;
    }
    return [items.some((item) => item.created < since)];
  }).pipe(first((reachedEnd) => reachedEnd, false));
  await lastValueFrom(walk);
  return changes;
}

function digestOf(line: string): string {
  return createHash('sha256').update(line).digest('base64');
}

function idOf(line: string): string {
  return (JSON.parse(line) as { id: string }).id;
}

/** The completion's text in a record of the changes tree, as the server sent it: the record is written by {@link refreshWindow}. */
function changedCompletion(record: string): string {
  return record.slice(record.indexOf(CHANGED) + CHANGED.length, -1);
}

const CHANGED = ',"completion":';

/**
 * The pages of the list in one order, one request each, as lines of raw text.
 *
 * @returns A page after `after`, its raw body peeked for the settled walk,
 *   which can then send the next request before the page is decoded.
 */
function linePages(client: Client, params: Pick<ListParams, 'model' | 'metadata'>, order: 'asc' | 'desc', signal: AbortSignal): DatedPageFetch<CompletionLine> {
  const fetchPage = peekablePage(client.chat.completions);
  return (after, peek) => fetchPage({ ...params, order, after }, { signal }, peek).pipe(map((page) => ({ items: pageLines(page), hasMore: page.has_more })));
}

