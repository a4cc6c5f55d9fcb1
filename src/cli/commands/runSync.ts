import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { defer } from 'rxjs';
import { DEFAULTS } from '../../defaults';
import { readConnection } from '../args/connectionOptions';
import { readWalkParams } from '../args/listOptions';
import type { ParsedOptions } from '../args/parseOptions';
import { parseTime, TIME_FORMS } from '../args/parseTime';
import { readPollSettings } from '../args/watchOptions';
import { CLI_DEFAULTS, EXIT } from '../cliDefaults';
import type { CommandContext } from '../Command';
import { formatCount } from '../format/formatCount';
import { Archive, LOCK_FILE } from '../sync/Archive';
import { JSONL_FORMAT, SYNC_FORMATS } from '../sync/partFormat';
import { refreshWindow, syncOnce } from '../sync/syncArchive';
import { SyncLock } from '../sync/SyncLock';
import { SyncTracker } from '../sync/SyncTracker';
import { UsageError } from '../UsageError';
import { runWalk } from '../walk/runWalk';

const SYNC = CLI_DEFAULTS.sync;

/**
 * Runs `rxsc sync DIR`: see {@link syncCommand} for what it does.
 *
 * @param options The parsed flags.
 * @param context The CLI's edges, and the status line.
 * @returns The exit code.
 */
export async function runSync(options: ParsedOptions, context: CommandContext): Promise<number> {
  const [dir = ''] = options.positionals;
  if (dir === '') throw new UsageError('Expected <DIR> to be a folder');
  const { params } = readWalkParams(options);
  const withMessages = options.flag('with-messages');
  const concurrency = options.integer('concurrency', 1, 100);
  if (concurrency !== undefined && !withMessages) throw new UsageError('`--concurrency` applies only with `--with-messages`');
  const refreshText = options.string('refresh');
  const refreshFrom = refreshText === undefined ? undefined : parseTime(refreshText, context.now());
  if (refreshText !== undefined && refreshFrom === undefined) options.fail('refresh', TIME_FORMS, refreshText);
  const watch = options.flag('watch');
  const { intervalMs, lookbackSeconds } = readPollSettings(options);
  if (!watch && options.has('interval')) throw new UsageError('`--interval` applies only with `--watch`');
  const commitEvery = options.integer('commit-every', 1) ?? SYNC.commitEvery;
  const [defaultFormat = JSONL_FORMAT] = SYNC_FORMATS;
  const formatName = options.choice('format', SYNC_FORMATS.map((format) => format.name)) ?? defaultFormat.name;
  const format = SYNC_FORMATS.find((candidate) => candidate.name === formatName) ?? defaultFormat;
  const connection = readConnection(options, context.env);

  await mkdir(dir, { recursive: true });
  const lock = await SyncLock.acquire(join(dir, LOCK_FILE), context.now, SYNC.lockHeartbeatMs, SYNC.lockStaleMs);
  try {
    const archive = await Archive.open(dir, { format: format.name, model: params.model ?? null, metadata: { ...params.metadata }, withMessages }, format);
    const before = archive.state.counts.completions;
    const tracker = new SyncTracker(archive.state.checkpoint, lookbackSeconds);
    const settings = {
      params: { model: params.model, metadata: params.metadata },
      lookbackSeconds,
      commitEvery,
      commitIntervalMs: watch ? SYNC.watchCommitIntervalMs : SYNC.commitIntervalMs,
      messagesConcurrency: withMessages ? (concurrency ?? DEFAULTS.bulk.concurrency) : undefined,
      now: context.now,
    };
    let changes = 0;
    const loop = runWalk(context, connection, (client, progress, signal) =>
      defer(async () => {
        for (let round = 0; ; round++) {
          await syncOnce(client, archive, tracker, settings, progress, signal);
          if (round === 0 && refreshFrom !== undefined) changes += await refreshWindow(client, archive, settings.params, refreshFrom, progress, signal, context.now);
          if (!watch) return;
          // The first round catches up and is committed at once; the next ones at most once a minute.
          if (round === 0 || archive.due(context.now(), commitEvery, SYNC.watchCommitIntervalMs)) await archive.commit(tracker.checkpoint(), context.now());
          await sleep(intervalMs, undefined, { signal });
        }
      }),
    );
    // What a run has read is whole at any moment (a page goes in at once): it is committed
    // however the run ends, interrupted or failed, but for a kill.
    const outcome = await loop.catch(async (error: unknown) => {
      await archive.commit(tracker.checkpoint(), context.now()).catch(() => undefined);
      throw error;
    });
    await archive.commit(tracker.checkpoint(), context.now());
    const added = archive.state.counts.completions - before;
    const summary = `${formatCount(added)} new ${added === 1 ? 'completion' : 'completions'} archived in ${dir} (${formatCount(archive.state.counts.completions)} in all)`;
    const changed = refreshFrom === undefined ? '' : `, ${formatCount(changes)} metadata ${changes === 1 ? 'change' : 'changes'} recorded`;
    if (outcome.interrupted) {
      context.stderr.write(`Interrupted: ${summary}${changed}; the next run goes on from there.\n`);
      return outcome.exitCode;
    }
    context.stderr.write(`${summary}${changed}.\n`);
    return EXIT.ok;
  } finally {
    await lock.release();
  }
}
