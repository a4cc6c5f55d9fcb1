import { AsyncLocalStorage } from 'node:async_hooks';
import { firstValueFrom, map, type Subscription } from 'rxjs';
import { Dispatcher, Pool } from 'undici';
import { APIConnectionError, InvalidArgumentError } from '../../../src';
import { httpRequest, type Transport } from '../../../src/internal/fetch/httpRequest';
import { startScriptedServer, type Script, type ScriptedServer } from '../../helpers/scriptedServer';
import { until } from '../../helpers/until';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const transport = (extra: Partial<Transport> = {}): Transport => ({
  headers: { accept: 'application/json' },
  timeout: { headersMs: 5_000, bodyMs: 5_000 },
  maxBodyBytes: 1024 * 1024,
  ...extra,
});

async function serve(script: Script): Promise<string> {
  server = await startScriptedServer(script);
  return server.url;
}

describe('httpRequest', () => {
  it('emits the status, the headers lower-cased and joined, and the body byte for byte, however it was chunked', async () => {
    const parts = ['{"text":"', '🙂 안녕', '하세요"}'].map((part) => Buffer.from(part));
    // Split inside a multi-byte character too: the body is gathered whole before anyone decodes it.
    const chunks = [parts[0], parts[1]?.subarray(0, 2), parts[1]?.subarray(2), parts[2]] as Buffer[];
    const url = await serve((_req, res) => {
      res.writeHead(418, [['X-Request-Id', 'req_1'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2']]);
      const next = (i: number): void => {
        if (i === chunks.length) return void res.end();
        res.write(chunks[i], () => setTimeout(() => next(i + 1), 1));
      };
      next(0);
    });
    const response = await firstValueFrom(httpRequest({ method: 'GET', url: `${url}/chat/completions?limit=1` }, transport()));
    expect(response.status).toBe(418);
    expect(response.headers['x-request-id']).toBe('req_1');
    expect(response.headers['set-cookie']).toBe('a=1, b=2');
    expect(response.body.equals(Buffer.concat(parts))).toBe(true);
    expect(server?.requests[0]?.url).toBe('/v1/chat/completions?limit=1');
    expect(server?.requests[0]?.headers['accept']).toBe('application/json');
  });

  it('sends nothing for a request unsubscribed while it waits for a connection', async () => {
    const url = await serve(() => undefined);
    const dispatcher = new Pool(new URL(url).origin, { connections: 1 });
    try {
      const first: Subscription = httpRequest({ method: 'GET', url: `${url}/first` }, transport({ dispatcher })).subscribe();
      await until(() => server?.requests.length === 1);
      const second = httpRequest({ method: 'GET', url: `${url}/second` }, transport({ dispatcher })).subscribe();
      second.unsubscribe();
      first.unsubscribe();
      await until(() => server?.aborted() === 1);
      // The pool sends in order on its one connection: had the second been sent, it would reach
      // the server before a third sent now.
      const third = httpRequest({ method: 'GET', url: `${url}/third` }, transport({ dispatcher })).subscribe();
      await until(() => server?.requests.length === 2);
      third.unsubscribe();
      expect(server?.requests.map((request) => request.url)).toEqual(['/v1/first', '/v1/third']);
    } finally {
      await dispatcher.destroy();
    }
  });

  it.each(['/v1/chat/completions', 'file:///etc/passwd', 'data:text/plain,hi'])(
    'regression: fails with an InvalidArgumentError, not a retryable connection error, for %s',
    async (url) => {
      const error: unknown = await firstValueFrom(httpRequest({ method: 'GET', url: url }, transport())).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toBe(`Expected an absolute http(s) URL, got ${JSON.stringify(url)}`);
    },
  );

  it('regression: a dispatcher that throws instead of reporting fails the request as an APIConnectionError', async () => {
    class Throwing extends Dispatcher {
      override dispatch(): boolean {
        throw new Error('nope');
      }
    }
    const error: unknown = await firstValueFrom(httpRequest({ method: 'GET', url: 'http://127.0.0.1:9/' }, transport({ dispatcher: new Throwing() }))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toBe('Connection failed: nope');
  });

  it("regression: each response reaches its subscriber in the subscriber's async context, not that of the request which opened the socket", async () => {
    const url = await serve((_req, res) => res.end('{}'));
    const dispatcher = new Pool(new URL(url).origin, { connections: 1 });
    const context = new AsyncLocalStorage<string>();
    try {
      const seen = await Promise.all(
        ['a', 'b', 'c'].map((name) =>
          context.run(name, () => firstValueFrom(httpRequest({ method: 'GET', url: `${url}/${name}` }, transport({ dispatcher })).pipe(map(() => context.getStore())))),
        ),
      );
      expect(seen).toEqual(['a', 'b', 'c']);
    } finally {
      await dispatcher.destroy();
    }
  });
});
