import fc from 'fast-check';
import { defer, mergeMap, of, throwError, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { APIConnectionError, APIError, DEFAULTS, InvalidResponseError } from '../../../src';
import { retryBackoff } from '../../../src/retry/retryBackoff';
import { walkCursor } from '../../../src/internal/walk/walkCursor';

interface Page {
  readonly data: ReadonlyArray<{ readonly id: string }>;
  readonly has_more: boolean;
}

const FAULTS: ReadonlyArray<() => unknown> = [
  () => APIError.from(429, { message: 'slow down' }, 'req_x', { 'retry-after-ms': '7' }),
  () => APIError.from(500, { message: 'oops' }, 'req_x', {}),
  () => APIError.from(503, undefined, undefined, {}),
  () => new APIConnectionError('socket hang up'),
  () => new InvalidResponseError(200, undefined),
];

/** A server over `ids` that fails request n `faults[n]` times before answering. */
function scriptedFetch(ids: readonly string[], limit: number, faults: readonly number[], kinds: readonly number[]) {
  let request = 0;
  return (after: string | undefined): Observable<Page> => {
    const pageIndex = request++;
    let failuresLeft = faults[pageIndex % faults.length] ?? 0;
    return defer(() => {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        const fault = FAULTS[(kinds[pageIndex % kinds.length] ?? 0) % FAULTS.length] as () => unknown;
        return throwError(fault);
      }
      const start = after === undefined ? 0 : ids.indexOf(after) + 1;
      const data = ids.slice(start, start + limit).map((id) => ({ id }));
      return of({ data, has_more: start + limit < ids.length });
    });
  };
}

describe('walkCursor with retryBackoff (property)', () => {
  it('emits every item exactly once, in order, whatever the page size and the faults', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 100 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 20 }),
        (count, limit, faults, kinds) => {
          const ids = Array.from({ length: count }, (_, i) => `chatcmpl-${i}`);
          const fetch = scriptedFetch(ids, limit, faults, kinds);
          const seen: string[] = [];
          let error: unknown;
          new TestScheduler((a, e) => expect(a).toEqual(e)).run(() => {
            walkCursor((after) =>
              fetch(after).pipe(retryBackoff({ ...DEFAULTS.retry, maxRetries: 4, random: () => 0.5 })),
            )
              .pipe(mergeMap((page) => page.data))
              .subscribe({ next: (item) => seen.push(item.id), error: (e: unknown) => (error = e) });
          });
          expect(error).toBeUndefined();
          expect(seen).toEqual(ids);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('fails with the last error, having emitted each item at most once, when a page fails more often than maxRetries', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 50 }), (count, limit) => {
        const ids = Array.from({ length: count }, (_, i) => `chatcmpl-${i}`);
        const fetch = scriptedFetch(ids, limit, [0, 5], [1]);
        const seen: string[] = [];
        let error: unknown;
        new TestScheduler((a, e) => expect(a).toEqual(e)).run(() => {
          walkCursor((after) => fetch(after).pipe(retryBackoff({ ...DEFAULTS.retry, maxRetries: 4 })))
            .pipe(mergeMap((page) => page.data))
            .subscribe({ next: (item) => seen.push(item.id), error: (e: unknown) => (error = e) });
        });
        expect(seen).toEqual(ids.slice(0, Math.min(limit, count)));
        expect(error === undefined).toBe(count <= limit);
      }),
    );
  });
});
