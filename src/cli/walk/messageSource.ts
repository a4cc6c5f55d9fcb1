import { catchError, concatMap, of, throwError, toArray } from 'rxjs';
import type { Client } from '../../client/createClient';
import { NotFoundError } from '../../errors';
import type { MessageSource } from '../export/messageJoin';
import { sourceItems } from '../export/pageLines';

/**
 * The input messages of a completion, through the client (with its retries
 * and rate limit), each as the raw text the server sent; `undefined` when
 * the completion is gone (404), deleted since the walk listed it.
 *
 * @param client The client of the walk.
 * @param signal The walk's interrupt.
 * @returns The source.
 */
export function messageSource(client: Client, signal: AbortSignal): MessageSource {
  return (completionId) =>
    client.chat.completions.messages.pages(completionId, undefined, { signal }).pipe(
      concatMap(sourceItems),
      toArray(),
      catchError((error: unknown) => (error instanceof NotFoundError ? of(undefined) : throwError(() => error))),
    );
}
