import { firstValueFrom, NEVER, of, type Observable } from 'rxjs';
import { DEFAULTS, type RetryEvent } from '../../../src';
import { Speculation } from '../../../src/internal/core/Speculation';

const body = (lastId: string): Buffer =>
  Buffer.from(`{"object":"list","data":[{"id":"${lastId}"}],"last_id":"${lastId}","has_more":true}`);
const response = (lastId: string) => ({ status: 200, headers: {}, body: body(lastId) });
const event: RetryEvent = { error: new Error('503'), retryCount: 1, delayMs: DEFAULTS.retry.initialDelayMs };

/** A Speculation whose fetches report one retry at once, then hang; it records what is asked and reported. */
function setUp() {
  const fetched: Array<[string, number]> = [];
  const reported: RetryEvent[] = [];
  const speculation = new Speculation(
    (after, pageIndex, onRetry): Observable<unknown> => {
      fetched.push([after, pageIndex]);
      onRetry(event);
      return NEVER;
    },
    (e) => reported.push(e),
  );
  return { speculation, fetched, reported };
}

describe('Speculation', () => {
  it('starts the page after the cursor the raw body names, before the body is passed on', async () => {
    const { speculation, fetched } = setUp();
    const raw = response('chatcmpl-7');
    const passed = firstValueFrom(of(raw).pipe(speculation.afterResponse(0)));
    expect(fetched).toEqual([['chatcmpl-7', 1]]);
    expect(await passed).toBe(raw);
  });

  it('hands the speculative page over when the real cursor agrees, with the retries it held back', async () => {
    const { speculation, reported } = setUp();
    await firstValueFrom(of(response('chatcmpl-7')).pipe(speculation.afterResponse(0)));
    expect(reported).toEqual([]);
    expect(speculation.claim('chatcmpl-7', 1)).toBeDefined();
    expect(reported).toEqual([event]);
  });

  it('regression: a wrong guess is cancelled, and its retries are never reported as the walk\'s', async () => {
    const { speculation, reported } = setUp();
    await firstValueFrom(of(response('chatcmpl-7')).pipe(speculation.afterResponse(0)));
    expect(speculation.claim('chatcmpl-9', 1)).toBeUndefined();
    expect(speculation.claim('chatcmpl-7', 1)).toBeUndefined();
    expect(reported).toEqual([]);
  });

  it('guesses nothing from an error response or a last page', async () => {
    const { speculation, fetched } = setUp();
    await firstValueFrom(of({ ...response('x'), status: 500 }).pipe(speculation.afterResponse(0)));
    await firstValueFrom(of({ status: 200, headers: {}, body: Buffer.from('{"data":[],"last_id":null,"has_more":false}') }).pipe(speculation.afterResponse(0)));
    expect(fetched).toEqual([]);
  });
});
