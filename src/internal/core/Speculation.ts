import type { MonoTypeOperatorFunction, Observable } from 'rxjs';
import { peekNextCursor } from '../fetch/peekNextCursor';
import type { HttpResponse } from '../fetch/httpRequest';
import type { RetryEvent } from '../../client/RetryOptions';
import { EarlyPage } from '../walk/EarlyPage';
import { peekBeforeParse } from './peekBeforeParse';

/**
 * Starts the next page's request as soon as the current page's raw body
 * names its cursor, before that body is parsed and decoded: the server then
 * works on page k+1 while this process parses page k, instead of idling.
 *
 * The guess comes from {@link peekNextCursor} and is only a guess: the walk
 * asks for the page after the real cursor through {@link Speculation.claim},
 * which hands over the speculative page when the cursors agree and cancels it
 * when they do not. Nothing is emitted twice or skipped either way; a wrong
 * guess costs one wasted request.
 *
 * Only for walks whose consumer allows a page of prefetch: the speculative
 * request goes out before the consumer has seen the current page.
 */
export class Speculation<P> {
  private readonly early = new EarlyPage<P>();

  /**
   * @param fetchPage Fetches a page; `speculation.afterResponse(pageIndex)`
   *   must be applied to its raw responses, before they are parsed. It tells
   *   `onRetry` of each retry.
   * @param onRetry Told of the retries of a speculative request once it is
   *   claimed, and never of those of a request thrown away: they are no
   *   retries of the walk's.
   */
  constructor(
    private readonly fetchPage: (after: string, pageIndex: number, onRetry: (event: RetryEvent) => void) => Observable<P>,
    private readonly onRetry: (event: RetryEvent) => void,
  ) {}

  /**
   * For the raw responses of page `pageIndex`: starts the speculative request
   * for the page after, then yields a macrotask before the body is parsed
   * (see {@link peekBeforeParse}), which is what makes the request leave early.
   *
   * @param pageIndex The index of the page whose responses pass.
   * @returns An operator on raw responses.
   */
  afterResponse(pageIndex: number): MonoTypeOperatorFunction<HttpResponse> {
    return peekBeforeParse((body) => {
      const after = peekNextCursor(body);
      if (after === undefined) return false;
      const heldBack: RetryEvent[] = [];
      let report = (event: RetryEvent): void => void heldBack.push(event);
      const claimed = (): void => {
        for (const event of heldBack) this.onRetry(event);
        report = this.onRetry;
      };
      this.early.start(after, pageIndex + 1, this.fetchPage(after, pageIndex + 1, (event) => report(event)), claimed);
      return true;
    });
  }

  /**
   * The speculative page, if it was started for this cursor and index;
   * otherwise `undefined`, and a speculation on another cursor is cancelled.
   * Unsubscribing from the page returned aborts its request.
   *
   * @param after The real cursor.
   * @param pageIndex The real page index.
   * @returns The page, or `undefined`: then fetch it anew.
   */
  claim(after: string | undefined, pageIndex: number): Observable<P> | undefined {
    return this.early.claim(after, pageIndex);
  }

  /** Aborts the speculative request, if any. */
  cancel(): void {
    this.early.cancel();
  }
}
