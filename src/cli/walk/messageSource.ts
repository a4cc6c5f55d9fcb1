import { catchError, filter, map, of, throwError, toArray } from 'rxjs';
import type { Client } from '../../client/createClient';
import { NotFoundError } from '../../errors';
import { CommandFailure } from '../CommandFailure';
import type { MessageSource } from '../export/joinInOrder';
import { sourceItems } from '../export/pageLines';

/**
 * The input messages of a completion, through the client (with its retries
 * and rate limit), as the raw text the server sent: a string per page that
 * holds any, its messages separated by commas; `undefined` when the
 * completion is gone (404), deleted since the walk listed it. Any other
 * failure is a {@link CommandFailure} that names the completion, its cause
 * the client's error.
 *
 * @param client The client of the walk.
 * @param signal The walk's interrupt.
 * @returns The source.
 */
export function messageSource(client: Client, signal: AbortSignal): MessageSource {
  return (completionId) =>
    client.chat.completions.messages.pages(completionId, undefined, { signal }).pipe(
      map((page) => sourceItems(page).join(',')),
      filter((text) => text !== ''),
      toArray(),
      catchError((error: unknown) =>
        error instanceof NotFoundError
          ? of(undefined)
          : throwError(() => new CommandFailure(`The input messages of ${JSON.stringify(completionId)} could not be read`, { cause: error })),
      ),
    );
}
