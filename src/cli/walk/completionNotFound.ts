import { catchError, throwError, type MonoTypeOperatorFunction } from 'rxjs';
import { NotFoundError } from '../../errors';
import { CommandFailure } from '../CommandFailure';

/**
 * Says that a 404 of a request about one completion means no completion has
 * that id (the CLI's generic explanation of a 404 suspects `--base-url`).
 *
 * @param id The id the user gave.
 * @returns An operator that passes everything else through.
 */
export function completionNotFound<T>(id: string): MonoTypeOperatorFunction<T> {
  return catchError((error: unknown) =>
    throwError(() =>
      error instanceof NotFoundError ? new CommandFailure(`No stored completion has the id ${JSON.stringify(id)}: ${error.message}`, { cause: error }) : error,
    ),
  );
}
