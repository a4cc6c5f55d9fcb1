import type { BulkOutcome } from '../../bulk/BulkOutcome';
import { AuthenticationError, PermissionDeniedError } from '../../errors';

/** How the progress line and the summary name each status of a {@link BulkOutcome}. */
export type OutcomeLabels = Readonly<Record<BulkOutcome<unknown>['status'], string>>;

/**
 * Counts an outcome of `delete` or `tag` on the progress, prints the id of a
 * completion done on stdout, and a failure on stderr, through the progress.
 *
 * A key that may not write (401, 403) is not an outcome but the end of the
 * command: every other completion would fail the same way.
 *
 * @param outcome What became of a completion.
 * @param progress The walk's counters and stderr writer.
 * @param stdout Where the ids of the completions done go.
 * @param labels How the progress names each status.
 * @throws {AuthenticationError | PermissionDeniedError} of a failed outcome.
 */
export function recordOutcome(
  outcome: BulkOutcome<unknown>,
  progress: { item(): void; outcome(label: string): void; print(line: string): void },
  stdout: NodeJS.WritableStream,
  labels: OutcomeLabels,
): void {
  if (outcome.status === 'failed' && (outcome.error instanceof AuthenticationError || outcome.error instanceof PermissionDeniedError)) {
    throw outcome.error;
  }
  progress.item();
  progress.outcome(labels[outcome.status]);
  if (outcome.status === 'done') stdout.write(`${outcome.id}\n`);
  if (outcome.status === 'failed') progress.print(`rxsc: ${outcome.id}: ${outcome.error.message}`);
}
