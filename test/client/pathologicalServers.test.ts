import { inspect } from 'node:util';
import { firstValueFrom, lastValueFrom, map, Subscription, timer, toArray } from 'rxjs';
import { Agent } from 'undici';
import {
  AbortError,
  APITimeoutError,
  AuthenticationError,
  createClient,
  CursorError,
  DecodeError,
  InternalServerError,
  InvalidArgumentError,
  PermissionDeniedError,
  RateLimitError,
} from '../../src';
import { completion, json, listPage } from '../helpers/scriptedServer';
import { numberedIds } from '../helpers/ids';
import { clientFor, served, TEST_API_KEY } from '../helpers/scriptedClient';
import { until, within } from '../helpers/until';

/** What `promise` fails with, within 10 s: a server that stalls fails the test on this bound, not on jest's timeout. */
const errorOf = (promise: Promise<unknown>): Promise<unknown> =>
  within(
    promise.then(
      () => {
        throw new Error('expected the stream to fail');
      },
      (error: unknown) => error,
    ),
    10_000,
    'the failure',
  );

describe('the walk against servers that break the cursor chain', () => {
  it('regression: a page that repeats itself fails with cursor_not_advancing instead of looping forever', async () => {
    const client = await clientFor((_req, res) => json(res, 200, listPage(numberedIds(3), true)));
    const seen: string[] = [];
    const error = await new Promise((resolve) =>
      client.chat.completions.list().subscribe({ next: (c) => seen.push(c.id), error: resolve, complete: () => resolve(undefined) }),
    );
    expect(error).toBeInstanceOf(CursorError);
    expect((error as CursorError).code).toBe('cursor_not_advancing');
    expect(seen).toEqual(numberedIds(3));
    expect(served()?.requests).toHaveLength(2);
  });

  it('regression: has_more: true on an empty page fails with empty_page_with_more instead of ending silently', async () => {
    const client = await clientFor((_req, res, n) => json(res, 200, n === 0 ? listPage(numberedIds(2), true) : listPage([], true)));
    const error = await errorOf(lastValueFrom(client.chat.completions.list().pipe(toArray())));
    expect(error).toBeInstanceOf(CursorError);
    expect((error as CursorError).code).toBe('empty_page_with_more');
    expect((error as CursorError).after).toBe('chatcmpl-1');
  });

  it('follows the last item id when last_id is null or absent', async () => {
    const client = await clientFor((_req, res, n) => {
      const page = n === 0 ? { ...listPage(numberedIds(2), true), last_id: null } : { ...listPage(numberedIds(1, 2), false), last_id: undefined };
      json(res, 200, page);
    });
    const items = await lastValueFrom(client.chat.completions.list().pipe(toArray()));
    expect(items.map((c) => c.id)).toEqual(numberedIds(3));
    expect(served()?.requests[1]?.url).toBe('/v1/chat/completions?after=chatcmpl-1&limit=100');
  });

  it('fails with a DecodeError naming the path of a structural violation', async () => {
    const page = listPage(numberedIds(3), false) as { data: Array<Record<string, unknown>> };
    delete page.data[1]?.['id'];
    const client = await clientFor((_req, res) => json(res, 200, page));
    const error = await errorOf(lastValueFrom(client.chat.completions.list().pipe(toArray())));
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).message).toContain('data[1].id');
  });
});

describe('prefetch guessing the next cursor from the raw body', () => {
  it('regression: a last_id that is not the last item misleads the guess, which costs requests, never an item', async () => {
    const all = numberedIds(10);
    const client = await clientFor((req, res) => {
      const after = new URL(req.url ?? '', 'http://x').searchParams.get('after');
      const start = after === null ? 0 : all.indexOf(after) + 1;
      const chunk = all.slice(start, start + 3);
      json(res, 200, { ...listPage(chunk, start + 3 < all.length), last_id: chunk[0] });
    });
    const items = await lastValueFrom(client.chat.completions.list({ limit: 3 }, { prefetch: 1 }).pipe(toArray()));
    expect(items.map((c) => c.id)).toEqual(all);
    const afters = (served()?.requests ?? []).map((r) => new URL(r.url, 'http://x').searchParams.get('after'));
    // The walk's own cursors, in order; the wrong guesses in between may or may not have reached the server.
    expect(afters.filter((after) => after === null || ['chatcmpl-2', 'chatcmpl-5', 'chatcmpl-8'].includes(after))).toEqual([
      null,
      'chatcmpl-2',
      'chatcmpl-5',
      'chatcmpl-8',
    ]);
  });
});

describe('process() with prefetch', () => {
  it('regression: a prefetched page that fails waits until the work on the page before is done', async () => {
    const client = await clientFor((_req, res, n) =>
      n === 0 ? json(res, 200, listPage(numberedIds(3), true)) : json(res, 403, { error: { message: 'no access' } }),
    );
    const processed: string[] = [];
    const error = await errorOf(
      lastValueFrom(
        client.chat.completions.process({}, (item) => timer(20).pipe(map(() => processed.push(item.id))), { prefetch: 1 }),
      ),
    );
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(processed).toEqual(numberedIds(3));
  });
});

describe('requests', () => {
  it('send the key, organization, project and custom headers, and ask for pages of 100', async () => {
    const client = await clientFor((_req, res) => json(res, 200, listPage([], false)), {
      organization: 'org-1',
      project: 'proj-1',
      headers: { 'x-custom': 'yes' },
    });
    await lastValueFrom(client.chat.completions.list().pipe(toArray()));
    const [request] = served()?.requests ?? [];
    expect(request?.url).toBe('/v1/chat/completions?limit=100');
    expect(request?.headers).toMatchObject({
      authorization: `Bearer ${TEST_API_KEY}`,
      'openai-organization': 'org-1',
      'openai-project': 'proj-1',
      'x-custom': 'yes',
    });
  });

  it("let a caller's Authorization header replace the client's, instead of sending both", async () => {
    const client = await clientFor((_req, res) => json(res, 200, listPage([], false)), { headers: { Authorization: 'Bearer other' } });
    await lastValueFrom(client.chat.completions.list().pipe(toArray()));
    expect(served()?.requests[0]?.headers['authorization']).toBe('Bearer other');
  });

  it('regression: a request undici refuses to send (a closed dispatcher) fails at once, typed, without retries', async () => {
    const dispatcher = new Agent();
    await dispatcher.close();
    const retries: unknown[] = [];
    const client = await clientFor((_req, res) => json(res, 200, listPage([], false)), {
      dispatcher,
      retry: { maxRetries: 6 },
      onRetry: (event) => retries.push(event.error),
    });
    const error = await errorOf(firstValueFrom(client.chat.completions.list()));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(retries).toEqual([]);
    expect(served()?.requests).toHaveLength(0);
  });

  it('percent-encode metadata keys and values', async () => {
    const client = await clientFor((_req, res) => json(res, 200, listPage([], false)));
    await lastValueFrom(
      client.chat.completions.list({ metadata: { 'a&b=c': 'x y/é', plain: 'v' }, order: 'desc', limit: 7 }).pipe(toArray()),
    );
    expect(served()?.requests[0]?.url).toBe(
      '/v1/chat/completions?limit=7&order=desc&metadata[a%26b%3Dc]=x%20y%2F%C3%A9&metadata[plain]=v',
    );
  });
});

describe('timeouts per attempt', () => {
  it('a server that never sends headers fails with APITimeoutError (headers)', async () => {
    const client = await clientFor(() => undefined, { timeout: { headersMs: 50 } });
    const error = await errorOf(firstValueFrom(client.chat.completions.list()));
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as APITimeoutError).phase).toBe('headers');
  });

  it('a server that sends headers then stalls fails with APITimeoutError (body)', async () => {
    const client = await clientFor(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"object":"list","data":[');
      },
      { timeout: { bodyMs: 50 } },
    );
    const error = await errorOf(firstValueFrom(client.chat.completions.list()));
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as APITimeoutError).phase).toBe('body');
  });

  it('are retried like any connection failure', async () => {
    const client = await clientFor(
      (_req, res, n) => (n === 0 ? undefined : json(res, 200, listPage(numberedIds(1), false))),
      { timeout: { headersMs: 50 }, retry: { maxRetries: 1, initialDelayMs: 1 } },
    );
    const items = await lastValueFrom(client.chat.completions.list().pipe(toArray()));
    expect(items.map((c) => c.id)).toEqual(numberedIds(1));
    expect(served()?.requests).toHaveLength(2);
  });
});

describe('cancellation', () => {
  const untilRequests = (count: number): Promise<void> => until(() => (served()?.requests.length ?? 0) >= count);
  const untilAborted = (count: number): Promise<void> => until(() => (served()?.aborted() ?? 0) >= count);

  it('unsubscribing aborts the request in flight', async () => {
    const client = await clientFor(() => undefined);
    const subscription: Subscription = client.chat.completions.list().subscribe();
    await untilRequests(1);
    subscription.unsubscribe();
    await untilAborted(1);
    expect(served()?.aborted()).toBe(1);
  });

  it('an AbortSignal fails the stream with AbortError and aborts the request in flight', async () => {
    const client = await clientFor(() => undefined);
    const controller = new AbortController();
    const result = errorOf(lastValueFrom(client.chat.completions.list({}, { signal: controller.signal })));
    await untilRequests(1);
    controller.abort(new Error('user gave up'));
    const error = await result;
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toEqual(new Error('user gave up'));
    await untilAborted(1);
  });

  it('an AbortSignal ends a retry wait at once (the wait here is 50 s; errorOf allows 10)', async () => {
    let waiting = false;
    const client = await clientFor((_req, res) => json(res, 429, { error: { message: 'slow down' } }, { 'retry-after': '50' }), {
      retry: { maxRetries: 3 },
      onRetry: () => {
        waiting = true;
      },
    });
    const controller = new AbortController();
    const result = errorOf(lastValueFrom(client.chat.completions.list({}, { signal: controller.signal })));
    await until(() => waiting);
    controller.abort();
    expect(await result).toBeInstanceOf(AbortError);
    expect(served()?.requests).toHaveLength(1);
  });

  it('an already aborted signal sends nothing', async () => {
    const client = await clientFor((_req, res) => json(res, 200, listPage([], false)));
    const error = await errorOf(lastValueFrom(client.chat.completions.list({}, { signal: AbortSignal.abort() })));
    expect(error).toBeInstanceOf(AbortError);
    expect(served()?.requests).toHaveLength(0);
  });
});

describe('errors', () => {
  it('a 401 is an AuthenticationError with status, body and request id, and never shows the key', async () => {
    const client = await clientFor((_req, res) =>
      json(res, 401, { error: { message: `Incorrect API key provided: ${TEST_API_KEY}.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }),
    );
    const error = (await errorOf(firstValueFrom(client.chat.completions.list()))) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.code).toBe('invalid_api_key');
    expect(error.requestId).toBe('req_scripted');
    expect(error.message).toBe('401 Incorrect API key provided: [redacted]. (request id req_scripted)');
    for (const text of [error.message, error.stack ?? '', JSON.stringify(error), inspect(error, { depth: 10 }), inspect(client, { depth: 10 })]) {
      expect(text).not.toContain(TEST_API_KEY);
    }
    expect(served()?.requests).toHaveLength(1);
  });

  it('a 429 asking for more than maxRetryAfterMs fails at once with the RateLimitError', async () => {
    const client = await clientFor((_req, res) => json(res, 429, { error: { message: 'quota' } }, { 'retry-after': '3600' }), {
      retry: { maxRetries: 5 },
    });
    expect(await errorOf(firstValueFrom(client.chat.completions.list()))).toBeInstanceOf(RateLimitError);
    expect(served()?.requests).toHaveLength(1);
  });

  it('x-should-retry: false stops retries of a 500', async () => {
    const client = await clientFor((_req, res) => json(res, 500, { error: { message: 'no' } }, { 'x-should-retry': 'false' }), {
      retry: { maxRetries: 5, initialDelayMs: 1 },
    });
    expect(await errorOf(firstValueFrom(client.chat.completions.list()))).toBeInstanceOf(InternalServerError);
    expect(served()?.requests).toHaveLength(1);
  });

  it('a non-JSON 200 body is retried, then decoded', async () => {
    const client = await clientFor(
      (_req, res, n) =>
        n === 0 ? (res.writeHead(200, { 'content-type': 'text/html' }), res.end('<html>oops</html>')) : json(res, 200, listPage(numberedIds(2), false)),
      { retry: { maxRetries: 1, initialDelayMs: 1 } },
    );
    const items = await lastValueFrom(client.chat.completions.list().pipe(toArray()));
    expect(items.map((c) => c.id)).toEqual(numberedIds(2));
  });
});

describe('decoding keeps what the server sent', () => {
  it('unknown fields and unknown enum members reach the subscriber', async () => {
    const item = completion('chatcmpl-x', { service_tier: 'turbo-2030', brand_new_field: { nested: [1, 2] } });
    const client = await clientFor((_req, res) => json(res, 200, { object: 'list', data: [item], has_more: false }));
    const [emitted] = await lastValueFrom(client.chat.completions.list().pipe(toArray()));
    expect(emitted).toEqual(item);
  });
});

describe('createClient', () => {
  it('regression: rejects a key read with its trailing newline at once, without showing it', () => {
    const call = (): unknown => createClient({ apiKey: `${TEST_API_KEY}\n`, baseURL: 'http://127.0.0.1:1/v1' });
    expect(call).toThrow(InvalidArgumentError);
    expect(call).toThrow('Expected `apiKey` to hold no line break or NUL');
    try {
      call();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(TEST_API_KEY);
    }
  });

  it('rejects a base URL with a query, which the paths appended to it would end up in', () => {
    expect(() => createClient({ apiKey: TEST_API_KEY, baseURL: 'https://example.com/v1?api-version=1' })).toThrow(
      'Expected `baseURL` to have no query and no fragment, got "https://example.com/v1?api-version=1"',
    );
  });

  it("requires a key for OpenAI's own host, however its URL is spelled", () => {
    const saved = process.env['OPENAI_API_KEY'];
    delete process.env['OPENAI_API_KEY'];
    try {
      expect(() => createClient({ baseURL: 'https://api.openai.com:443/v1' })).toThrow('Missing API key');
    } finally {
      if (saved !== undefined) process.env['OPENAI_API_KEY'] = saved;
    }
  });
});
