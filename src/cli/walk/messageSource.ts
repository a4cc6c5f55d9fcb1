import { catchError, defer, EMPTY, endWith, map, of, throwError } from 'rxjs';
import type { Client } from '../../client/createClient';
import { NotFoundError } from '../../errors';
import { CommandFailure } from '../CommandFailure';
import type { MessagePages } from '../export/joinInOrder';
import type { MessageSource } from '../export/messageJoin';
import { sourceItemsText } from '../export/pageLines';

/**
 * The input messages of a completion, page by page, through the client (with
 * its retries and rate limit), as the raw text the server sent, the walk
 * paced by the consumer (see {@link MessagePages}). A completion gone (404),
 * deleted since the walk listed it, is not a failure; any other failure is a
 * {@link CommandFailure} that names the completion, its cause the client's error.
 *
 * @param client The client of the walk.
 * @param signal The walk's interrupt.
 * @returns The pages.
 */
export function messagePages(client: Client, signal: AbortSignal): MessagePages {
  return (completionId, page) =>
    client.chat.completions.messages.processPages(completionId, undefined, (list) => page(sourceItemsText(list)), { signal }).pipe(
      endWith(true),
      catchError((error: unknown) =>
        error instanceof NotFoundError
          ? of(false)
          : throwError(() => new CommandFailure(`The input messages of ${JSON.stringify(completionId)} could not be read`, { cause: error })),
      ),
    );
}

/**
 * The input messages of a completion, every page of them at once (see
 * {@link MessageSource}), read as {@link messagePages} reads them: for a
 * caller that stores a page of completions whole (`rxsc sync`).
 *
 * @param client The client of the walk.
 * @param signal The walk's interrupt.
 * @returns The source.
 */
export function messageSource(client: Client, signal: AbortSignal): MessageSource {
  const pages = messagePages(client, signal);
  return (completionId) =>
    defer(() => {
      const texts: string[] = [];
      const keep = (text: string) => {
        if (text !== '') texts.push(text);
        return EMPTY;
      };
      return pages(completionId, keep).pipe(map((read) => (read ? texts : undefined)));
    });
}
