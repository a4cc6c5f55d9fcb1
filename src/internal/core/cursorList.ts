import type * as t from 'io-ts';
import {
  BehaviorSubject,
  catchError,
  concat,
  concatMap,
  defer,
  EMPTY,
  filter,
  finalize,
  first,
  from,
  identity,
  materialize,
  mergeMap,
  NEVER,
  of,
  switchMap,
  take,
  throwError,
  type MonoTypeOperatorFunction,
  type Observable,
  type ObservableInput,
} from 'rxjs';
import { untilAborted } from './untilAborted';
import { DEFAULTS } from '../../defaults';
import { decodeOrThrow } from '../../codecs/decodeOrThrow';
import { InvalidArgumentError } from '../../errors';
import { encodeQuery, validateListParams } from '../fetch/listQuery';
import type { ListParams } from '../../resources/chat/completions/ListParams';
import { checkRequestOptions } from './checkRequestOptions';
import type { RetryEvent } from '../../client/RetryOptions';
import { checkCreatedOrder } from '../walk/checkCreatedOrder';
import { meetInTheMiddle } from '../walk/meetInTheMiddle';
import { walkCursor } from '../walk/walkCursor';
import { registerPacedSource } from './pacedSource';
import type { RequestCore } from './RequestCore';
import type { ListOptions, ProcessOptions, RequestOptions, WalkOptions } from '../../client/RequestOptions';
import type { HttpResponse } from '../fetch/httpRequest';
import { peekBeforeParse } from './peekBeforeParse';
import { Speculation } from './Speculation';

/** A page of a cursor list: its items, and whether more follow. */
export interface CursorPage<Item> {
  readonly data: readonly Item[];
  readonly has_more: boolean;
}

/** The parameters every cursor list takes. */
export type CursorParams = Pick<ListParams, 'after' | 'limit' | 'order'>;

/**
 * The walks over one list endpoint, as cold Observables: each subscription
 * is a walk of its own, nothing is sent before it, and unsubscribing aborts
 * the request in flight.
 */
export interface CursorList<Params extends CursorParams, Item, Page extends CursorPage<Item>> {
  /** Every item, in `params.order` (or in no set order with the `bidirectional` strategy). */
  items(params: Params | undefined, options: ListOptions | undefined): Observable<Item>;
  /** Every page, decoded. */
  pages(params: Params | undefined, options: WalkOptions | undefined): Observable<Page>;
  /** `work` on every item, the walk paced by it; results in the order `work` finishes them. */
  process<R>(params: Params | undefined, work: (item: Item) => ObservableInput<R>, options: ProcessOptions | undefined): Observable<R>;
  /** `work` on every page, the walk paced by it. */
  processPages<R>(params: Params | undefined, work: (page: Page) => ObservableInput<R>, options: WalkOptions | undefined): Observable<R>;
  /**
   * The one page after `params.after`, decoded, as `pages()` fetches it; `peek` is given its raw
   * body before the body is parsed, and the parse waits a macrotask, so that a request `peek`
   * starts leaves first. For walks that choose their next cursor themselves (the settled walk).
   */
  peekedPage(params: Params | undefined, options: RequestOptions | undefined, peek: (body: Buffer) => void): Observable<Page>;
}

/**
 * One generic cursor list: given an endpoint's path and page codec, the walk
 * (`walkCursor`), its pacing by the consumer (`prefetch`), speculation, and
 * decoding. `list()` and `messages.list()` are both made of it.
 *
 * @param core The client's request core.
 * @param path The list's path, from the base URL on, its parameters encoded.
 * @param codec The page codec.
 * @returns The walks over that list.
 */
export function cursorList<Params extends CursorParams, Item extends { readonly id: string }, Page extends CursorPage<Item>>(
  core: RequestCore,
  path: string,
  codec: t.Type<Page, unknown, unknown>,
): CursorList<Params, Item, Page> {
  /** With `checkOrder`, a walk that asks for an order checks that the server honours it. */
  const walk = (
    params: Params,
    ready: (pageIndex: number) => Observable<unknown>,
    speculate: boolean,
    checkOrder: boolean,
    beforeParse: MonoTypeOperatorFunction<HttpResponse> = identity,
  ): Observable<Page> =>
    defer(() => {
      const query: ListParams = { ...params, limit: params.limit ?? DEFAULTS.pageLimit };
      const decode = (page: unknown): Page => decodeOrThrow(codec, page);
      const fetchPage = (after: string | undefined, pageIndex: number, onRetry: (event: RetryEvent) => void): Observable<Page> =>
        ready(pageIndex).pipe(
          take(1),
          switchMap(() =>
            core.attempt(
              'GET',
              core.url(path, encodeQuery({ ...query, after })),
              undefined,
              decode,
              speculate ? speculation.afterResponse(pageIndex) : beforeParse,
              onRetry,
            ),
          ),
        );
      const speculation = new Speculation(fetchPage, core.config.onRetry);
      return walkCursor(
        (after, pageIndex) => speculation.claim(after, pageIndex) ?? fetchPage(after, pageIndex, core.config.onRetry),
        params.after,
      ).pipe(
        finalize(() => speculation.cancel()),
        checkOrder && params.order !== undefined ? checkCreatedOrder(params.order, params.after) : identity,
        // A server can echo a credential in an id, which a CursorError quotes (decoding masks its own, in the attempt).
        catchError((error: unknown) => throwError(() => core.config.redactor.error(error))),
      );
    });

  /**
   * The walk, paced by its consumer a page at a time: page k is requested
   * once `consume` has finished with all pages but `prefetch` of those before
   * it. With 0, the next request waits until the consumer is done with the
   * current page, so a consumer that stops (`take`) never causes a request it
   * does not need; with 1, it travels while the current page is decoded and consumed.
   * Until the consumer has finished `slowStartPages` pages, the walk paces as with 0.
   */
  const pacedPages = <R>(
    params: Params,
    prefetch: number,
    consume: (page: Page) => ObservableInput<R>,
    slowStartPages = 0,
    checkOrder = true,
  ): Observable<R> =>
    defer(() => {
      const finishedPages = new BehaviorSubject(0);
      return walk(params, readyAfter(finishedPages, prefetch, slowStartPages), prefetch > 0, checkOrder).pipe(
        // A prefetched page can fail while the consumer still works on the one
        // before: its error waits in line, so that work is finished, not cut short.
        materialize(),
        concatMap((notification) => {
          if (notification.kind === 'E') return throwError(() => notification.error);
          if (notification.kind === 'C') return EMPTY;
          return concat(
            consume(notification.value),
            defer(() => {
              finishedPages.next(finishedPages.value + 1);
              return EMPTY;
            }),
          );
        }),
      );
    });

  /**
   * The walk, paced by `work` an item at a time, with `concurrency` items at
   * work across page boundaries. A page is finished once the work of each of
   * its items has completed (and every page before it is finished); page k
   * is requested once all pages before it but `prefetch` are finished.
   */
  const pacedItems = <R>(
    params: Params,
    prefetch: number,
    concurrency: number,
    work: (item: Item) => ObservableInput<R>,
  ): Observable<R> =>
    defer(() => {
      const finishedPages = new BehaviorSubject(0);
      /** Items not yet done, by page index, for the pages not yet finished. */
      const pending = new Map<number, number>();
      const working = new BehaviorSubject(0);
      let pagesSeen = 0;
      const advance = (): void => {
        let finished = finishedPages.value;
        while (pending.get(finished) === 0) pending.delete(finished++);
        if (finished > finishedPages.value) finishedPages.next(finished);
      };
      const done = (pageIndex: number): void => {
        pending.set(pageIndex, (pending.get(pageIndex) ?? 1) - 1);
        working.next(working.value - 1);
        advance();
      };
      return walk(params, readyAfter(finishedPages, prefetch), prefetch > 0, true).pipe(
        materialize(),
        concatMap((notification) => {
          // As with pages: the work already given out finishes before the error ends the stream.
          if (notification.kind === 'E') {
            return working.pipe(
              first((count) => count === 0),
              mergeMap(() => throwError(() => notification.error)),
            );
          }
          if (notification.kind === 'C') return EMPTY;
          const pageIndex = pagesSeen++;
          const { data } = notification.value;
          pending.set(pageIndex, data.length);
          working.next(working.value + data.length);
          advance();
          return from(data.map((item) => ({ item, pageIndex })));
        }),
        mergeMap(
          ({ item, pageIndex }) =>
            concat(
              work(item),
              defer(() => {
                done(pageIndex);
                return EMPTY;
              }),
            ),
          concurrency,
        ),
      );
    });

  const items = (params: Params = {} as Params, options: ListOptions = {}): Observable<Item> => {
    validateListParams(params);
    checkRequestOptions(options);
    const prefetch = prefetchOf(options, DEFAULTS.prefetch.stream);
    const strategy = options.strategy ?? 'ordered';
    if (strategy === 'ordered') {
      const walkItems = pacedPages(params, prefetch, (page) => page.data, DEFAULTS.prefetch.slowStartPages).pipe(untilAborted(options.signal));
      return registerPacedSource(walkItems, (work, paced) =>
        pacedItems(params, paced.prefetch, paced.concurrency, work).pipe(untilAborted(options.signal)),
      );
    }
    if (strategy !== 'bidirectional') {
      throw new InvalidArgumentError(`Expected \`strategy\` to be 'ordered' or 'bidirectional', got ${JSON.stringify(strategy)}`);
    }
    if (params.after !== undefined || params.order !== undefined) {
      throw new InvalidArgumentError('The bidirectional strategy walks the whole list from both ends: it takes no `after` and no `order`');
    }
    // meetInTheMiddle checks each side's order, on every page.
    const side = (order: 'asc' | 'desc') => pacedPages({ ...params, order }, prefetch, (page) => of(page), DEFAULTS.prefetch.slowStartPages, false);
    return meetInTheMiddle(side('asc'), side('desc')).pipe(untilAborted(options.signal));
  };

  const pages = (params: Params = {} as Params, options: WalkOptions = {}): Observable<Page> => {
    validateListParams(params);
    checkRequestOptions(options);
    const prefetch = prefetchOf(options, DEFAULTS.prefetch.stream);
    return pacedPages(params, prefetch, (page) => of(page), DEFAULTS.prefetch.slowStartPages).pipe(untilAborted(options.signal));
  };

  const processPages = <R>(params: Params = {} as Params, work: (page: Page) => ObservableInput<R>, options: WalkOptions = {}): Observable<R> => {
    validateListParams(params);
    checkWork(work);
    checkRequestOptions(options);
    return pacedPages(params, prefetchOf(options, DEFAULTS.prefetch.process), work).pipe(untilAborted(options.signal));
  };

  const process = <R>(params: Params = {} as Params, work: (item: Item) => ObservableInput<R>, options: ProcessOptions = {}): Observable<R> => {
    validateListParams(params);
    checkWork(work);
    checkRequestOptions(options);
    const concurrency = integerOfAtLeast('concurrency', options.concurrency ?? 1, 1);
    const prefetch = prefetchOf(options, DEFAULTS.prefetch.process);
    return pacedItems(params, prefetch, concurrency, work).pipe(untilAborted(options.signal));
  };

  const peekedPage = (params: Params = {} as Params, options: RequestOptions = {}, peek: (body: Buffer) => void): Observable<Page> => {
    validateListParams(params);
    checkRequestOptions(options);
    const peekBody = peekBeforeParse((body) => {
      peek(body);
      return true;
    });
    // The walk never asks for a second page: `take(1)` ends it with the first.
    const firstOnly = (pageIndex: number): Observable<unknown> => (pageIndex === 0 ? of(pageIndex) : NEVER);
    return walk(params, firstOnly, false, true, peekBody).pipe(take(1), untilAborted(options.signal));
  };

  return { items, pages, process, processPages, peekedPage };
}

/** Called only once items arrive, a `work` that is no function would fail there with a raw `TypeError`. */
function checkWork(work: unknown): void {
  if (typeof work !== 'function') throw new InvalidArgumentError(`Expected \`work\` to be a function, got ${String(work)}`);
}

/**
 * Page k may be requested once `finishedPages` reaches k − prefetch; before
 * `slowStartPages` pages are finished, once it reaches k.
 */
function readyAfter(finishedPages: Observable<number>, prefetch: number, slowStartPages = 0): (pageIndex: number) => Observable<unknown> {
  return (pageIndex) =>
    finishedPages.pipe(filter((finished) => finished >= pageIndex - (finished >= slowStartPages ? prefetch : 0)));
}

function prefetchOf(options: WalkOptions, fallback: number): number {
  return integerOfAtLeast('prefetch', options.prefetch ?? fallback, 0);
}

/**
 * @param name The option's name, for the message.
 * @param value Its value.
 * @param min The least it may be.
 * @returns The value.
 * @throws {InvalidArgumentError} unless the value is an integer of at least `min`.
 */
export function integerOfAtLeast(name: string, value: number, min: number): number {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new InvalidArgumentError(`Expected \`${name}\` to be an integer of at least ${min}, got ${String(value)}`);
  }
  return value;
}
