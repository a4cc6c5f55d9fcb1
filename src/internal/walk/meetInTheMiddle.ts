import { defer, map, merge, mergeMap, takeWhile, type Observable } from 'rxjs';
import { CursorError } from '../../errors';

/** The least a page must hold for two walks to find each other. */
export interface MeetablePage<T extends { readonly id: string }> {
  readonly data: readonly T[];
  readonly has_more: boolean;
}

/**
 * Merges an ascending and a descending walk over the same items into one
 * stream holding every item exactly once, in no particular order: each walk
 * stops where it reaches the first item the other has emitted.
 *
 * Why this is sound: each walk emits a contiguous run from its end of the
 * list, so the other walk's frontier (the last item it emitted) is the first
 * emitted item a page can run into; a page that crosses into the other run
 * must hold that frontier, and is cut just before it. When either walk
 * reaches its end on its own, everything has been emitted. Either way the
 * stream completes and the other walk's request in flight is aborted.
 *
 * It relies on the descending order being the exact reverse of the ascending
 * one, ties included, as on the emulator; see docs/walk.md. A server that
 * ignores `order` would make the walks miss each other and lose items in
 * silence, so the two sides are checked, before their items are emitted: the
 * ascending side's `created` (when items have one) never decreases and the
 * descending side's never increases, and, when the list is longer than a
 * page, their first items differ. Otherwise the stream fails with a
 * {@link CursorError} `order_not_respected`.
 *
 * ## Example
 * ```ts
 * import { meetInTheMiddle } from 'rx-stored-completions';
 * meetInTheMiddle(pages({ order: 'asc' }), pages({ order: 'desc' })).subscribe(archive);
 * ```
 *
 * @param ascending Pages from the oldest item on.
 * @param descending Pages from the newest item back.
 * @returns Every item once, as soon as either walk brings it.
 */
export function meetInTheMiddle<T extends { readonly id: string }>(
  ascending: Observable<MeetablePage<T>>,
  descending: Observable<MeetablePage<T>>,
): Observable<T> {
  return defer(() => {
    const frontier: { asc?: string; desc?: string } = {};
    const firstPages: { asc?: MeetablePage<T>; desc?: MeetablePage<T> } = {};
    const lastCreated: { asc?: number; desc?: number } = {};
    const checkOrder = (page: MeetablePage<T>, own: 'asc' | 'desc', other: 'asc' | 'desc'): void => {
      for (const item of page.data) {
        const created = (item as { readonly created?: unknown }).created;
        if (typeof created !== 'number') continue;
        const previous = lastCreated[own];
        if (previous !== undefined && (own === 'asc' ? created < previous : created > previous)) {
          throw disorder(`the ${own === 'asc' ? 'ascending' : 'descending'} walk got ${JSON.stringify(item.id)} (created ${created}) after an item created at ${previous}`);
        }
        lastCreated[own] = created;
      }
      if (firstPages[own] !== undefined) return;
      firstPages[own] = page;
      const theirs = firstPages[other];
      const sameStart = theirs !== undefined && theirs.data[0] !== undefined && theirs.data[0].id === page.data[0]?.id;
      if (sameStart && (page.has_more || theirs.has_more)) {
        throw disorder(`both walks start at ${JSON.stringify(page.data[0]?.id)}, though the list is longer than a page`);
      }
    };
    const side = (pages: Observable<MeetablePage<T>>, own: 'asc' | 'desc', other: 'asc' | 'desc') =>
      pages.pipe(
        map((page) => {
          checkOrder(page, own, other);
          const meet = frontier[other] === undefined ? -1 : page.data.findIndex((item) => item.id === frontier[other]);
          const items = meet === -1 ? page.data : page.data.slice(0, meet);
          const last = items[items.length - 1];
          if (last !== undefined) frontier[own] = last.id;
          return { items, finished: meet !== -1 || !page.has_more };
        }),
      );
    return merge(side(ascending, 'asc', 'desc'), side(descending, 'desc', 'asc')).pipe(
      takeWhile(({ finished }) => !finished, true),
      mergeMap(({ items }) => items),
    );
  });
}

function disorder(what: string): CursorError {
  return new CursorError(
    'order_not_respected',
    `The bidirectional strategy needs the server to honour \`order\`, but ${what}; use the ordered strategy with this server`,
    undefined,
  );
}
