import { inspect } from 'node:util';
import { lastValueFrom, toArray } from 'rxjs';
import { ProxyAgent, type Dispatcher } from 'undici';
import { APIConnectionError, createClient, InvalidArgumentError, type ClientOptions } from '../../../src';
import { proxyFromEnv } from '../../../src/internal/fetch/proxyFromEnv';
import { startEmulator, type EmulatorHandle } from '../../../src/testing';
import { failureOf } from '../../helpers/failureOf';
import { startForwardProxy, type ForwardProxy } from '../../helpers/forwardProxy';
import { withEnv } from '../../helpers/withEnv';

const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];

/** Runs `body` with the given proxy variables alone set. */
const withProxyEnv = <T>(values: Readonly<Record<string, string>>, body: () => Promise<T> | T): Promise<T> => withEnv(PROXY_VARIABLES, values, body);

describe('the client behind a forward proxy', () => {
  let emulator: EmulatorHandle;
  let proxy: ForwardProxy;
  const dispatchers: Dispatcher[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ count: 150, seed: 2 });
    proxy = await startForwardProxy();
  });
  afterAll(async () => {
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.close()));
    await proxy.close();
    await emulator.close();
  });

  const walk = async (options: ClientOptions): Promise<{ items: number; proxied: ForwardProxy['requests'] }> => {
    const before = proxy.requests.length;
    const items = await lastValueFrom(createClient({ baseURL: emulator.url, ...options }).chat.completions.list().pipe(toArray()));
    return { items: items.length, proxied: proxy.requests.slice(before) };
  };

  it("goes through the proxy of HTTP_PROXY with proxy: 'env'", async () => {
    const { items, proxied } = await withProxyEnv({ HTTP_PROXY: proxy.url }, () => walk({ proxy: 'env' }));
    expect(items).toBe(150);
    expect(proxied.length).toBeGreaterThan(0);
    expect(proxied.every((request) => request.method === 'CONNECT' && request.target === new URL(emulator.url).host)).toBe(true);
  });

  it("fails without showing the proxy's credentials when it refuses them", async () => {
    const guarded = await startForwardProxy('erin:right-proxy-pass');
    try {
      const env = { HTTP_PROXY: guarded.url.replace('http://', 'http://erin:wrong-proxy-pass@') };
      const error = await withProxyEnv(env, () => failureOf(createClient({ baseURL: emulator.url, proxy: 'env', retry: { maxRetries: 0 } }).chat.completions.list()));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(guarded.requests).toHaveLength(1);
      expect(`${inspect(error, { depth: 8 })} ${JSON.stringify(error)}`).not.toContain('wrong-proxy-pass');
    } finally {
      await guarded.close();
    }
  });

  it('ignores the proxy variables without the opt-in', async () => {
    const { items, proxied } = await withProxyEnv({ HTTP_PROXY: proxy.url, http_proxy: proxy.url }, () => walk({}));
    expect(items).toBe(150);
    expect(proxied).toEqual([]);
  });

  it("honors NO_PROXY with proxy: 'env'", async () => {
    const { proxied } = await withProxyEnv({ http_proxy: proxy.url, NO_PROXY: 'localhost, 127.0.0.1' }, () => walk({ proxy: 'env' }));
    expect(proxied).toEqual([]);
  });

  // curl reads no_proxy before NO_PROXY, and an empty one as unset; undici's EnvHttpProxyAgent reads no_proxy first too.
  it.each([
    ['no_proxy wins over NO_PROXY: the host is in no_proxy', { no_proxy: '127.0.0.1', NO_PROXY: 'other.example' }, false],
    ['no_proxy wins over NO_PROXY: the host is in NO_PROXY only', { no_proxy: 'other.example', NO_PROXY: '127.0.0.1' }, true],
    ['an empty no_proxy counts as unset, as in curl: NO_PROXY applies', { no_proxy: '', NO_PROXY: '127.0.0.1' }, false],
  ])('%s', async (_name, noProxy, proxiedExpected) => {
    const dispatcher = proxyFromEnv({ http_proxy: proxy.url, ...noProxy });
    if (dispatcher !== undefined) dispatchers.push(dispatcher);
    const { items, proxied } = await walk({ dispatcher });
    expect(items).toBe(150);
    expect(proxied.length > 0).toBe(proxiedExpected);
  });

  it('goes through a ProxyAgent given as dispatcher, absolute-form without a tunnel', async () => {
    const dispatcher = new ProxyAgent({ uri: proxy.url, proxyTunnel: false });
    dispatchers.push(dispatcher);
    const { items, proxied } = await walk({ dispatcher });
    expect(items).toBe(150);
    expect(proxied.map((request) => [request.method, request.target])).toEqual([
      ['GET', `${emulator.url}/chat/completions?limit=100`],
      ['GET', expect.stringMatching(new RegExp(`^${emulator.url}/chat/completions\\?after=chatcmpl-\\w+&limit=100$`)) as unknown as string],
    ]);
  });

  it.each<[string, ClientOptions, string]>([
    ['proxy beside dispatcher', { proxy: 'env', dispatcher: new ProxyAgent('http://127.0.0.1:9') }, '`proxy` and `dispatcher` exclude each other'],
    ['a proxy URL as proxy, unquoted', { proxy: 'http://carol:pa55word@127.0.0.1:9' as 'env' }, "Expected `proxy` to be 'env' (for a proxy of your own, pass `dispatcher: new ProxyAgent(url)`), got another string"],
  ])('refuses %s', (_, options, message) => {
    expect(() => createClient({ baseURL: emulator.url, ...options })).toThrow(InvalidArgumentError);
    expect(() => createClient({ baseURL: emulator.url, ...options })).toThrow(message);
  });
});

describe('proxyFromEnv', () => {
  it('gives no dispatcher when no proxy variable is set, or only empty ones', () => {
    expect(proxyFromEnv({})).toBeUndefined();
    expect(proxyFromEnv({ HTTP_PROXY: '', https_proxy: ' ', NO_PROXY: '*' })).toBeUndefined();
  });

  it.each([
    [{ HTTPS_PROXY: 'ftp://proxy.corp:21' }, 'Expected `HTTPS_PROXY` to be an http(s) proxy URL, got "ftp://proxy.corp:21"'],
    [{ http_proxy: 'socks5://dave:s0cks-secret@proxy.corp:1080', HTTP_PROXY: 'http://ok:3128' }, 'Expected `http_proxy` to be an http(s) proxy URL, got "socks5://[redacted]@proxy.corp:1080"'],
    [{ HTTP_PROXY: 'http://' }, 'Expected `HTTP_PROXY` to be an http(s) proxy URL, got "http://"'],
  ])('refuses %j, its credentials masked', (env, message) => {
    expect(() => proxyFromEnv(env)).toThrow(InvalidArgumentError);
    expect(() => proxyFromEnv(env)).toThrow(message);
  });

  it('takes a proxy without a scheme as http://, as curl does', async () => {
    const proxy = await startForwardProxy();
    const emulator = await startEmulator({ count: 3 });
    let dispatcher: Dispatcher | undefined;
    try {
      dispatcher = proxyFromEnv({ HTTP_PROXY: new URL(proxy.url).host });
      const items = await lastValueFrom(createClient({ baseURL: emulator.url, dispatcher }).chat.completions.list().pipe(toArray()));
      expect(items).toHaveLength(3);
      expect(proxy.requests).toHaveLength(1);
    } finally {
      await dispatcher?.close();
      await proxy.close();
      await emulator.close();
    }
  });
});
