import { argumentErrorOf } from '../helpers/argumentErrorOf';
/**
 * The client (and the CLI over it) against hostile servers on loopback, one describe block per
 * promise: bounded memory, no leaked credential, no duplicate, no silent loss, no hang, filters
 * sent as given, no crash, clear errors. Each scripted server does what a broken or malicious one
 * would. The memory bounds are also checked in a child process with a small heap: see
 * memory.process.test.ts.
 */
import { inspect } from 'node:util';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { firstValueFrom, lastValueFrom, toArray, type Observable, type Subscription } from 'rxjs';
import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { CLI_DEFAULTS } from '../../src/cli/cliDefaults';
import { APIConnectionError, APIError, APITimeoutError, createClient, CursorError, DEFAULTS, InternalServerError, InvalidArgumentError, InvalidResponseError, ResponseTooLargeError, StoredCompletionsError } from '../../src';
import { httpRequest } from '../../src/internal/fetch/httpRequest';
import { nextCursor } from '../../src/internal/walk/nextCursor';
import { serverRetryAfterMs } from '../../src/internal/retry/serverRetryAfterMs';
import { WalkHistory } from '../../src/internal/walk/WalkHistory';
import { runCliInMemory } from '../helpers/cliRun';
import { completion, flood, json, listPage } from '../helpers/scriptedServer';
import { numberedIds } from '../helpers/ids';
import { clientFor, serve, served, TEST_API_KEY } from '../helpers/scriptedClient';
import { within } from '../helpers/until';

/** How long a stream may take to fail against these servers, whose every failure is quick. */
const FAILURE_BOUND_MS = 10_000;

/**
 * The error a stream fails with, and what it emitted before. It must fail within `boundMs`: a
 * hostile server that holds it (a body that never ends, a drip) fails the test on this bound,
 * not on jest's timeout.
 */
async function failure<T>(stream: Observable<T>, boundMs = FAILURE_BOUND_MS): Promise<{ error: unknown; emitted: T[] }> {
  const emitted: T[] = [];
  let subscription: Subscription | undefined;
  const failed = new Promise<unknown>((resolve) => {
    subscription = stream.subscribe({ next: (value) => emitted.push(value), error: resolve, complete: () => resolve(new Error('expected the stream to fail')) });
  });
  const error = await within(failed, boundMs, 'the failure').finally(() => subscription?.unsubscribe());
  return { error, emitted };
}

const afterOf = (url: string | undefined): string | undefined => new URL(url ?? '', 'http://x').searchParams.get('after') ?? undefined;

describe('memory: a body is bounded by maxBodyBytes', () => {
  it('maxBodyBytes is an option of the client', async () => {
    const client = await clientFor((_req, res) => json(res, 200, listPage(numberedIds(100), false)), { maxBodyBytes: 1_000 });
    const { error } = await failure(client.chat.completions.list());
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).maxBodyBytes).toBe(1_000);
    expect(() => createClient({ baseURL: 'http://127.0.0.1:1/v1', maxBodyBytes: 0 })).toThrow(InvalidArgumentError);
  });

  it('a 200 whose body never ends fails with a ResponseTooLargeError, and is not retried', async () => {
    const client = await clientFor((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      flood(res);
    }, { retry: { maxRetries: 3 } });
    const { error } = await failure(client.chat.completions.list());
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).code).toBe('response_too_large');
    expect(served()?.requests).toHaveLength(1);
  });

  it('a huge body announced by content-length is refused before it is read, not retried', async () => {
    const client = await clientFor((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(600 * 1024 * 1024) });
      res.write('{"object":"list","data":[');
    }, { retry: { maxRetries: 3 } });
    const { error } = await failure(client.chat.completions.list());
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).message).toContain('maxBodyBytes');
    expect(served()?.requests).toHaveLength(1);
  });

  it('a huge error body is a ResponseTooLargeError, a StoredCompletionsError, not a raw ERR_STRING_TOO_LONG', async () => {
    const client = await clientFor((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      flood(res);
    });
    const { error } = await failure(client.chat.completions.list());
    expect(error).toBeInstanceOf(StoredCompletionsError);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).status).toBe(500);
  });

  it('the limit applies to the decompressed body: a gzip bomb stops at maxBodyBytes', async () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20));
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    const transport = { headers: {}, timeout: { headersMs: 5_000, bodyMs: 5_000 }, maxBodyBytes: 1024 * 1024 };
    const error: unknown = await firstValueFrom(httpRequest({ method: 'GET', url: `${url}/chat/completions` }, transport)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(bomb.length).toBeLessThan(transport.maxBodyBytes);
  });
});

describe('leaks: no credential reaches an error, its JSON or inspect output', () => {
  const leaks = (error: unknown, secret: string): string[] =>
    [
      (error as Error).message,
      (error as Error).stack ?? '',
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      JSON.stringify((error as APIError).headers ?? {}),
    ].filter((text) => text.includes(secret));

  it('a server that echoes the key in a header and in its body leaks it through neither headers, JSON nor inspect', async () => {
    const client = await clientFor((req, res) =>
      json(res, 401, { error: { message: `Incorrect API key provided: ${TEST_API_KEY}.`, code: 'invalid_api_key' } }, {
        'x-echo': String(req.headers.authorization),
        'www-authenticate': `Bearer realm="${TEST_API_KEY}"`,
      }),
    );
    const { error } = await failure(client.chat.completions.list());
    expect(error).toBeInstanceOf(APIError);
    expect(leaks(error, TEST_API_KEY)).toEqual([]);
    expect((error as APIError).headers['x-echo']).toBe('[redacted]');
    expect((error as APIError).message).toContain('Incorrect API key provided: [redacted].');
  });

  it.each([
    ['Authorization', 'Bearer own-token-0123456789'],
    ['api-key', 'azure-key-0123456789abcdef'],
  ])('a key passed as a caller\'s own %s header is masked', async (name, value) => {
    const token = value.replace(/^Bearer /, '');
    const { url } = await serve((_req, res) => json(res, 403, { error: { message: `key ${token} may not do this` } }, { 'x-echo': value }));
    const client = createClient({ baseURL: url, headers: { [name]: value }, retry: { maxRetries: 0 } });
    const { error } = await failure(client.chat.completions.list());
    expect(served()?.requests[0]?.headers[name.toLowerCase()]).toBe(value);
    expect(leaks(error, token)).toEqual([]);
  });

  it('the user info of the base URL is masked in errors, and in the CLI\'s output', async () => {
    const { url } = await serve((_req, res) => json(res, 400, { error: { message: 'you said alice:PASSWORD-0123456789' } }));
    const withUser = url.replace('http://', 'http://alice:PASSWORD-0123456789@');
    const client = createClient({ baseURL: withUser, retry: { maxRetries: 0 } });
    const { error } = await failure(client.chat.completions.list());
    expect(leaks(error, 'PASSWORD-0123456789')).toEqual([]);
    const run = await runCliInMemory(['stats', '--base-url', withUser, '--max-retries', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('[redacted]');
    expect(run.stderr).not.toContain('PASSWORD');
  });

  it('the cause of a connection error is masked too', async () => {
    const { url } = await serve((_req, res) => json(res, 200, listPage([], false)));
    const dispatcher = {
      dispatch: () => {
        throw new Error(`proxy http://user:${TEST_API_KEY}@proxy refused the tunnel`);
      },
    } as unknown as Dispatcher;
    const client = createClient({ apiKey: TEST_API_KEY, baseURL: url, dispatcher, retry: { maxRetries: 0 } });
    const { error } = await failure(client.chat.completions.list());
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(leaks(error, TEST_API_KEY)).toEqual([]);
    expect(inspect(error)).toContain('refused the tunnel');
  });
});

describe('duplicates: no item is emitted twice', () => {
  it('a server that repeats the cursor item at the start of the next page fails with duplicate_item before emitting it twice', async () => {
    const client = await clientFor((req, res) => {
      const after = afterOf(req.url);
      json(res, 200, after === undefined ? listPage(numberedIds(3), true) : listPage(numberedIds(3, 2), false));
    });
    const { error, emitted } = await failure(client.chat.completions.list());
    expect(error).toBeInstanceOf(CursorError);
    expect((error as CursorError).code).toBe('duplicate_item');
    expect((error as CursorError).after).toBe('chatcmpl-2');
    expect(emitted.map((c) => c.id)).toEqual(numberedIds(3));
  });

  it('a ring of ids fails before any id is emitted twice', async () => {
    const ring = numberedIds(7);
    const client = await clientFor((req, res) => {
      const after = afterOf(req.url);
      const start = after === undefined ? 0 : ring.indexOf(after) + 1;
      json(res, 200, listPage([0, 1, 2].map((i) => ring[(start + i) % ring.length] as string), true));
    });
    const { error, emitted } = await failure(client.chat.completions.list({ limit: 3 }));
    expect(error).toBeInstanceOf(CursorError);
    const emittedIds = emitted.map((c) => c.id);
    expect(new Set(emittedIds).size).toBe(emittedIds.length);
  });

  it('looks back over its last DUPLICATE_WINDOW_ITEMS items and every cursor', () => {
    const history = new WalkHistory(undefined, 2);
    const page = (pageIds: string[], hasMore = true) => ({ data: pageIds.map((id) => ({ id })), has_more: hasMore });
    expect(nextCursor(page(['a', 'b', 'c']), undefined, history)).toEqual({ done: false, after: 'c' });
    expect(nextCursor(page(['d', 'e', 'f']), 'c', history)).toEqual({ done: false, after: 'f' });
    // `d` fell out of a window of 2; `c` is a cursor, remembered for the whole walk.
    expect(nextCursor(page(['d', 'g']), 'f', history)).toEqual({ done: false, after: 'g' });
    expect(() => nextCursor(page(['c', 'h']), 'g', history)).toThrow(CursorError);
  });
});

describe('silent loss: a walk that cannot be complete fails', () => {
  it('the bidirectional strategy fails loudly against a server that ignores order, instead of completing with a third of the items', async () => {
    const all = numberedIds(9);
    let descAnswered: () => void = () => undefined;
    const descDone = new Promise<void>((resolve) => (descAnswered = resolve));
    const client = await clientFor((req, res) => {
      const after = afterOf(req.url);
      const start = after === undefined ? 0 : all.indexOf(after) + 1;
      const answer = (): void => json(res, 200, listPage(all.slice(start, start + 3), start + 3 < all.length));
      // The descending side is answered first, so that the ascending walk cannot finish alone.
      if (req.url?.includes('order=asc') === true) return void descDone.then(answer);
      answer();
      descAnswered();
    });
    const { error, emitted } = await failure(client.chat.completions.list({ limit: 3 }, { strategy: 'bidirectional' }));
    expect(error).toBeInstanceOf(CursorError);
    expect((error as CursorError).code).toBe('order_not_respected');
    const emittedIds = emitted.map((c) => c.id);
    expect(new Set(emittedIds).size).toBe(emittedIds.length);
  });

  it('fails when a side\'s created goes against its order', async () => {
    // Only the descending side is answered, with its newest item first by id but oldest by created.
    const client = await clientFor((req, res) => {
      if (req.url?.includes('order=desc') !== true) return;
      json(res, 200, { ...listPage([], true), data: [completion('b', { created: 100 }), completion('a', { created: 200 })] });
    });
    const { error } = await failure(client.chat.completions.list({}, { strategy: 'bidirectional' }));
    expect(error).toBeInstanceOf(CursorError);
    expect((error as CursorError).message).toContain('descending walk');
  });
});

describe('hangs: every wait has a bound', () => {
  it.each([
    ['a number', 100],
    ['timeout.attemptMs', { attemptMs: 100 }],
  ])('a body that drips one byte at a time fails with an attempt timeout given as %s, though no silence lasts long', async (_how, timeout) => {
    const client = await clientFor((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => res.write(' '), 5);
      res.on('close', () => clearInterval(drip));
    }, { timeout });
    const { error } = await failure(client.chat.completions.list());
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as APITimeoutError).phase).toBe('attempt');
    expect((error as APITimeoutError).message).toBe('No complete response within 100 ms (timeout.attemptMs, headers and body together)');
  });

  it('the CLI has a --timeout, whose default keeps a dead server from costing more than a couple of minutes', async () => {
    const help = await runCliInMemory(['export', '--help']);
    expect(help.stdout).toMatch(/--timeout MS +Longest one attempt of a request may take, headers and body \(default 10000\)/);
    const { maxRetries, initialDelayMs, maxDelayMs } = DEFAULTS.retry;
    const backoffMs = Array.from({ length: maxRetries }, (_, i) => Math.min(initialDelayMs * 2 ** i, maxDelayMs)).reduce((a, b) => a + b, 0);
    expect((maxRetries + 1) * CLI_DEFAULTS.timeoutMs + backoffMs).toBeLessThanOrEqual(120_000);
    const { url } = await serve(() => undefined);
    const run = await runCliInMemory(['export', '--base-url', url, '--timeout', '50', '--max-retries', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('did not answer in time');
  });
});

describe('filters: every metadata filter is sent', () => {
  it('rxsc export --metadata __proto__=x sends the filter', async () => {
    const { url } = await serve((_req, res) => json(res, 200, listPage([], false)));
    const run = await runCliInMemory(['export', '--base-url', url, '--metadata', '__proto__=x']);
    expect(run.code).toBe(0);
    expect(served()?.requests[0]?.url).toContain('metadata[__proto__]=x');
  });

  it('own string keys of a plain object are sent, __proto__ included', async () => {
    const client = await clientFor((_req, res) => json(res, 200, listPage([], false)));
    const metadata = JSON.parse('{"__proto__":"x","env":"prod"}') as Record<string, string>;
    await lastValueFrom(client.chat.completions.list({ metadata }), { defaultValue: undefined });
    expect(served()?.requests[0]?.url).toContain('metadata[__proto__]=x&metadata[env]=prod');
  });

  it.each([
    ['a Map', new Map([['env', 'prod']])],
    ['inherited keys', Object.create({ env: 'prod' }) as object],
    ['a symbol key', { [Symbol('env')]: 'prod' }],
    ['a class instance', new (class Filter { env = 'prod'; })()],
  ])('%s is an InvalidArgumentError, not a walk of everything', async (_name, metadata) => {
    const client = await clientFor((_req, res) => json(res, 200, listPage([], false)));
    expect(argumentErrorOf(() => client.chat.completions.list({ metadata: metadata as Record<string, string> }))).toBeInstanceOf(InvalidArgumentError);
    expect(served()?.requests).toHaveLength(0);
  });
});

describe('crashes: out-of-range values are reported, not fatal', () => {
  const outOfRange = (_req: unknown, res: ServerResponse): void =>
    json(res, 200, { ...listPage([], false), data: [completion('a'), completion('b', { created: 1e20 })] });

  it('stats counts an out-of-range created as invalid instead of aborting', async () => {
    const { url } = await serve(outOfRange);
    const text = await runCliInMemory(['stats', '--base-url', url]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Invalid created +1$/m);
    const asJson = await runCliInMemory(['stats', '--base-url', url, '--json']);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ count: 2, created: { first: '2025-02-07T20:36:50.000Z', invalid: 1 } });
  });

  it('export on a terminal shows the date as invalid instead of dying in the progress line', async () => {
    const { url } = await serve(outOfRange);
    const run = await runCliInMemory(['export', '--base-url', url], { isTTY: true });
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(2);
    expect(run.stderr).toContain('created invalid');
  });
});

describe('errors: each says what the server did', () => {
  it('a redirect gives its status and Location, and is not followed', async () => {
    const client = await clientFor((_req, res) => {
      res.writeHead(302, { location: 'https://elsewhere.example/v1/chat/completions' });
      res.end();
    });
    const { error } = await failure(client.chat.completions.list());
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toBe(
      '302 redirect to "https://elsewhere.example/v1/chat/completions", not followed (point baseURL at the final address); no error message in the response body',
    );
    expect(served()?.requests).toHaveLength(1);
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('a %s body the server compressed anyway is decompressed', async (encoding, compress) => {
    const client = await clientFor((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      res.end(compress(Buffer.from(JSON.stringify(listPage(numberedIds(2), false)))));
    });
    const items = await lastValueFrom(client.chat.completions.list().pipe(toArray()));
    expect(items.map((c) => c.id)).toEqual(numberedIds(2));
  });

  it('an encoding the client cannot decode is named, and not retried', async () => {
    const client = await clientFor((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'zstd' });
      res.end('(\u00b5/\u00fd');
    }, { retry: { maxRetries: 2 } });
    const { error } = await failure(client.chat.completions.list());
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).code).toBe('unsupported_encoding');
    expect((error as InvalidResponseError).message).toContain('"zstd"');
    expect(served()?.requests).toHaveLength(1);
  });

  it('a 10 MB error message is cut to a few KB', async () => {
    const client = await clientFor((_req, res) => json(res, 400, { error: { message: 'x'.repeat(10 * 1024 * 1024) } }));
    const { error } = await failure(client.chat.completions.list());
    expect((error as APIError).message.length).toBeLessThan(5_000);
    expect((error as APIError).message).toContain(`(${10 * 1024 * 1024 - 4_096} more characters)`);
    expect((error as APIError).error?.message?.length).toBeLessThan(5_000);
  });

  it('server text with newlines and ANSI escapes is escaped by the CLI, so no rxsc: line can be forged', async () => {
    const { url } = await serve((_req, res) =>
      json(res, 400, { error: { message: 'bad\nrxsc: all good, 0 failures\u001b[2J\u001b]0;owned\u0007' } }),
    );
    const run = await runCliInMemory(['export', '--base-url', url]);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').filter((line) => line.startsWith('rxsc:'))).toHaveLength(1);
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(run.stderr).toContain('bad\\nrxsc: all good, 0 failures\\u001b[2J\\u001b]0;owned\\u0007');
  });

  it('statuses 600 to 999 are plain APIErrors, not server errors, and not retried', async () => {
    const client = await clientFor((_req, res) => json(res, 600, { error: { message: 'odd' } }), { retry: { maxRetries: 2 } });
    const { error } = await failure(client.chat.completions.list());
    expect(error).toBeInstanceOf(APIError);
    expect(error).not.toBeInstanceOf(InternalServerError);
    expect(served()?.requests).toHaveLength(1);
  });
});

describe('odd input: typed errors, masked keys', () => {
  it.each(['http://127.0.0.1:1/v1?', 'http://127.0.0.1:1/v1#', 'http://127.0.0.1:1/v1 ', ' http://127.0.0.1:1/v1'])(
    'a base URL %j is rejected instead of misrouting',
    (baseURL) => {
      expect(() => createClient({ baseURL })).toThrow(InvalidArgumentError);
    },
  );

  it('list(null), list({}, null) and a signal that is not an AbortSignal are InvalidArgumentErrors', async () => {
    const client = await clientFor((_req, res) => json(res, 200, listPage([], false)));
    const { completions } = client.chat;
    expect(argumentErrorOf(() => completions.list(null as never))).toBeInstanceOf(InvalidArgumentError);
    expect(argumentErrorOf(() => completions.list({}, null as never))).toBeInstanceOf(InvalidArgumentError);
    expect(argumentErrorOf(() => completions.pages({}, null as never))).toBeInstanceOf(InvalidArgumentError);
    expect(argumentErrorOf(() => completions.list({}, { signal: {} as AbortSignal }))).toBeInstanceOf(InvalidArgumentError);
    expect(argumentErrorOf(() => completions.retrieve('a', { signal: 'no' as unknown as AbortSignal }))).toBeInstanceOf(InvalidArgumentError);
    expect(argumentErrorOf(() => completions.retrieve('a', null as never))).toBeInstanceOf(InvalidArgumentError);
    expect(served()?.requests).toHaveLength(0);
  });

  it('retry-after: 0x1 is not read as 1 s', () => {
    expect(serverRetryAfterMs({ 'retry-after': '0x1' }, 0)).toBeUndefined();
    expect(serverRetryAfterMs({ 'retry-after-ms': '1e3' }, 0)).toBeUndefined();
    expect(serverRetryAfterMs({ 'retry-after': ' 2 ' }, 0)).toBe(2_000);
  });

  it('--api-key e does not garble messages', async () => {
    const { url } = await serve((req) => req.socket.destroy());
    const run = await runCliInMemory(['export', '--base-url', url, '--api-key', 'e', '--max-retries', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${url} closed the connection before its answer was complete`);
    expect(run.stderr).not.toContain('[redacted]');
  });

  it('a short key is still masked where it stands alone', async () => {
    const { url } = await serve((_req, res) => json(res, 401, { error: { message: 'Incorrect API key provided: e. Please retry.' } }));
    const run = await runCliInMemory(['export', '--base-url', url, '--api-key', 'e']);
    expect(run.stderr).toContain('Incorrect API key provided: [redacted]. Please retry.');
  });

  it('a key given by mistake as a positional argument is not echoed', async () => {
    const run = await runCliInMemory(['export', 'sk-positional-0123456789']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unexpected positional argument');
    expect(run.stderr).not.toContain('sk-positional');
  });
});
