import { startEmulator, type EmulatorHandle } from '../../../src/testing';
import { startForwardProxy, type ForwardProxy } from '../../helpers/forwardProxy';
import { runCliInMemory } from '../../helpers/cliRun';

// The CLI behind a corporate proxy: the proxy variables reach it from the environment of its
// process, as they would from a shell.

const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];

describe('rxsc through a forward proxy', () => {
  let emulator: EmulatorHandle;
  let proxy: ForwardProxy;
  let target: string;
  /** The variables of this test alone: the others are blanked, whatever the machine has. */
  const proxyEnv = (env: Readonly<Record<string, string>>): Record<string, string> => ({
    ...Object.fromEntries(PROXY_VARIABLES.map((name) => [name, ''])),
    ...env,
  });

  beforeAll(async () => {
    emulator = await startEmulator({ count: 250, seed: 4 });
    target = new URL(emulator.url).host;
  });
  afterAll(() => emulator.close());
  afterEach(() => proxy.close());

  const stats = (env: Readonly<Record<string, string>>) => runCliInMemory(['stats', '--base-url', emulator.url, '--json'], { env: proxyEnv(env) });

  it('sends every request through the proxy of HTTP_PROXY, tunnelled with CONNECT', async () => {
    proxy = await startForwardProxy();
    const before = emulator.stats().requests;
    const run = await stats({ HTTP_PROXY: proxy.url });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect((JSON.parse(run.stdout) as { count: number }).count).toBe(250);
    expect(emulator.stats().requests - before).toBe(3);
    expect(proxy.requests.length).toBeGreaterThan(0);
    expect(proxy.requests).toEqual(proxy.requests.map(() => ({ method: 'CONNECT', target, proxyAuthorization: undefined })));
  });

  it('reads the lower-case http_proxy, and sends its credentials as Proxy-Authorization', async () => {
    proxy = await startForwardProxy('alice:s3cret-proxy-pass');
    const run = await stats({ http_proxy: proxy.url.replace('http://', 'http://alice:s3cret-proxy-pass@') });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(proxy.requests[0]).toEqual({ method: 'CONNECT', target, proxyAuthorization: `Basic ${Buffer.from('alice:s3cret-proxy-pass').toString('base64')}` });
  });

  it('fails with exit code 1 when the proxy refuses, without printing its credentials', async () => {
    proxy = await startForwardProxy('alice:the-right-pass');
    const run = await runCliInMemory(['stats', '--base-url', emulator.url, '--max-retries', '0'], { env: proxyEnv({ HTTP_PROXY: proxy.url.replace('http://', 'http://alice:a-wrong-pass@') }) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^rxsc: The proxy refused to open a tunnel to http:\/\/127\.0\.0\.1:\d+\/v1 \(HTTP 407: check the credentials in HTTPS_PROXY or HTTP_PROXY\)/);
    expect(run.stderr).not.toContain('a-wrong-pass');
    expect(proxy.requests.length).toBeGreaterThan(0);
  });

  it.each([
    ['NO_PROXY names the host', { HTTP_PROXY: 'PROXY', NO_PROXY: '127.0.0.1' }],
    ['no_proxy names the host and port', { http_proxy: 'PROXY', no_proxy: `localhost,${'TARGET'}` }],
    ['only HTTPS_PROXY is set, for an http: URL', { HTTPS_PROXY: 'PROXY' }],
  ])('goes direct when %s', async (_, template) => {
    proxy = await startForwardProxy();
    const env = Object.fromEntries(Object.entries(template).map(([name, value]) => [name, value.replace('PROXY', proxy.url).replace('TARGET', target)]));
    const run = await stats(env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(proxy.requests).toEqual([]);
  });

  it('refuses a proxy URL that is not http(s) as a usage error, its credentials masked', async () => {
    proxy = await startForwardProxy();
    const run = await stats({ HTTPS_PROXY: 'socks5://bob:hunter2-socks@127.0.0.1:1080' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Expected `HTTPS_PROXY` to be an http(s) proxy URL, got "socks5://[redacted]@127.0.0.1:1080"');
    expect(run.stderr).not.toContain('hunter2');
  });
});
