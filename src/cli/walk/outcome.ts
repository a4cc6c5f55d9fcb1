import { catchError, map, of, throwError, type Observable } from 'rxjs';
import { AuthenticationError, NotFoundError, PermissionDeniedError } from '../../errors';

/** What became of one completion of `delete` or `tag`. */
export type Outcome =
  | { readonly id: string; readonly kind: 'done' | 'gone' | 'unchanged' }
  | { readonly id: string; readonly kind: 'failed'; readonly reason: string };

/**
 * One write (a deletion, an update) as an outcome: a 404 on the first attempt
 * means someone else deleted the completion since the walk listed it (the
 * library counts a 404 after an attempt that may have acted as done); any
 * other error is a failure of this completion alone. Not outcomes, but the
 * end of the command: an interrupt, and a key that may not write (401, 403),
 * for which every other completion would fail the same way.
 *
 * @param request The write.
 * @param id The completion.
 * @param signal The interrupt.
 * @returns One outcome.
 */
export function asOutcome(request: Observable<unknown>, id: string, signal: AbortSignal): Observable<Outcome> {
  return request.pipe(
    map((): Outcome => ({ id, kind: 'done' })),
    catchError((error: unknown) => {
      if (signal.aborted || error instanceof AuthenticationError || error instanceof PermissionDeniedError) return throwError(() => error);
      if (error instanceof NotFoundError) return of<Outcome>({ id, kind: 'gone' });
      return of<Outcome>({ id, kind: 'failed', reason: error instanceof Error ? error.message : String(error) });
    }),
  );
}

/**
 * Counts an outcome on the progress, prints a done id on stdout and a failure on stderr.
 *
 * @param outcome What became of a completion.
 * @param progress The walk's counters and stderr writer.
 * @param stdout Where the ids of the completions done go.
 * @param labels How the progress names each kind.
 */
export function recordOutcome(
  outcome: Outcome,
  progress: { outcome(label: string): void; print(line: string): void },
  stdout: NodeJS.WritableStream,
  labels: Readonly<Record<Outcome['kind'], string>>,
): void {
  progress.outcome(labels[outcome.kind]);
  if (outcome.kind === 'done') stdout.write(`${outcome.id}\n`);
  if (outcome.kind === 'failed') progress.print(`rxsc: ${outcome.id}: ${outcome.reason}`);
}
