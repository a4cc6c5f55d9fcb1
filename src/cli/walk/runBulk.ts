import { identity, take, tap, type OperatorFunction } from 'rxjs';
import { createdWithin } from '../../bulk/createdWithin';
import type { BulkOutcome } from '../../bulk/BulkOutcome';
import type { ChatCompletion } from '../../codecs';
import type { Client } from '../../client/createClient';
import { AuthenticationError, PermissionDeniedError } from '../../errors';
import type { ListParams } from '../../resources/chat/completions/ListParams';
import { windowSeconds, type TimeWindow } from '../args/windowOptions';
import type { ConnectionSettings } from '../args/connectionOptions';
import { EXIT } from '../cliDefaults';
import type { CommandContext } from '../Command';
import { LineSink } from '../export/LineSink';
import { counted } from '../format/counted';
import { escapeControl } from '../format/escapeControl';
import { formatCount } from '../format/formatCount';
import type { WalkProgress } from '../progress/WalkProgress';
import { runWalk } from './runWalk';
import { isRetryable } from '../../internal/retry/isRetryable';

/** What `delete` or `tag` does, and how it says so. */
export interface BulkCommand {
  readonly params: ListParams;
  readonly window: TimeWindow;
  readonly max: number | undefined;
  /** Print the ids it would act on, and act on none. */
  readonly dryRun: boolean;
  /** The verb of the dry run's summary: `Would delete 3 completions.` */
  readonly verb: string;
  /** The past participle of its summary and progress: `deleted`, `updated`. */
  readonly done: string;
  /** The bulk operator that acts on each completion. */
  act(client: Client, signal: AbortSignal): OperatorFunction<ChatCompletion, BulkOutcome<unknown>>;
}

/**
 * Runs `delete` or `tag`: walks the completions the filters select and acts
 * on each with a bulk operator; prints each id done on stdout, each failure
 * through the progress (escaped, above the status line), and a summary on
 * stderr: `120 deleted, 2 already gone, 1 failed.` Ids are the server's text:
 * their control characters are escaped (`\n`, `\u001b`) on stdout too.
 *
 * When the reader of stdout goes away (`rxsc delete --yes | head -n 2`), the
 * command stops sending (the acts in flight are aborted, and may have been
 * done), says on stderr what it did, and exits as if done: 0 unless one failed.
 *
 * Without `--max`, the walk keeps the pacing handshake of `list()` (which
 * `createdWithin` forwards), so that the operator paces the walk to its work,
 * memory bounded by its concurrency. `take` does not forward it: under
 * `--max N`, the walk may list up to N completions ahead of the work.
 *
 * A key that may not write (401, 403) is not an outcome but the end of the
 * command, with exit 1: every other completion would fail the same way.
 *
 * @param context The CLI's edges.
 * @param settings Where to connect.
 * @param command What to do.
 * @returns The exit code: 0 when none failed, 1 otherwise, 130 or 143 when interrupted.
 * @throws {CommandFailure} when the walk fails.
 */
export async function runBulk(context: CommandContext, settings: ConnectionSettings, command: BulkCommand): Promise<number> {
  const { params, window, max, dryRun } = command;
  const labels = { done: command.done, gone: 'already gone', failed: 'failed' } as const;
  // Failures a rerun may fix (a 5xx, a reset), as opposed to those it would repeat (17 keys, a 400).
  let retryable = 0;
  const sink = new LineSink(context.stdout);
  const outcome = await runWalk<unknown>(context, settings, (client, progress, signal) => {
    const selected = client.chat.completions
      .list(params, { signal })
      .pipe(createdWithin(windowSeconds(window), params.order ?? 'asc'), max === undefined ? identity : take(max));
    if (dryRun) {
      return selected.pipe(
        tap((completion) => {
          sink.write(escapeControl(completion.id));
          progress.item(completion.created);
        }),
        sink.guard(),
      );
    }
    return selected.pipe(
      command.act(client, signal),
      tap((result) => {
        recordOutcome(result, progress, sink, labels);
        if (result.status === 'failed' && isRetryable(result.error)) retryable += 1;
      }),
      sink.guard(),
    );
  }, false).finally(() => sink.close());
  const stopped = 'Stopped: the reader of stdout went away';
  if (dryRun) {
    if (outcome.interrupted) return outcome.exitCode;
    const count = counted(outcome.progress.items, 'completion', 'completions');
    context.stderr.write(sink.readerGone ? `${stopped} after ${count}.\n` : `Would ${command.verb} ${count}.\n`);
    return EXIT.ok;
  }
  const [done, gone, failed] = [labels.done, labels.gone, labels.failed].map((label) => outcome.progress.outcomeCount(label)) as [number, number, number];
  const summary = `${formatCount(done)} ${labels.done}, ${formatCount(gone)} already gone, ${formatCount(failed)} failed.`;
  if (sink.readerGone && !outcome.interrupted) {
    context.stderr.write(`${stopped}. ${summary} Run the same command again to finish.\n`);
    return failed > 0 ? EXIT.failure : EXIT.ok;
  }
  if (outcome.interrupted) {
    context.stderr.write(`Interrupted: ${summary} Run the same command again to finish.\n`);
    return outcome.exitCode;
  }
  context.stderr.write(`${summary}${failedAdvice(failed, retryable)}\n`);
  return failed > 0 ? EXIT.failure : EXIT.ok;
}

/** What to do about the failures: run again for those a retry may fix; nothing for those it would repeat. */
function failedAdvice(failed: number, retryable: number): string {
  if (failed === 0) return '';
  if (retryable === failed) return ' Run the same command again to retry the failed ones.';
  if (retryable === 0) return ' Running the same command again would fail the same way (see why above).';
  return ` ${formatCount(retryable)} of the failures may pass if you run the same command again; the other ${formatCount(failed - retryable)} would fail the same way (see why above).`;
}

function recordOutcome(
  outcome: BulkOutcome<unknown>,
  progress: WalkProgress,
  stdout: LineSink,
  labels: Readonly<Record<BulkOutcome<unknown>['status'], string>>,
): void {
  if (outcome.status === 'failed' && (outcome.error instanceof AuthenticationError || outcome.error instanceof PermissionDeniedError)) {
    throw outcome.error;
  }
  progress.item();
  progress.outcome(labels[outcome.status]);
  if (outcome.status === 'done') stdout.write(escapeControl(outcome.id));
  if (outcome.status === 'failed') progress.print(`rxsc: ${outcome.id}: ${outcome.error.message}`);
}
