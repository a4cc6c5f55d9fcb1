import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, isIP, type AddressInfo, type Socket } from 'node:net';

/** One request as the proxy saw it. */
export interface ProxiedRequest {
  /** `CONNECT` for a tunnel, else the method of an absolute-form request. */
  readonly method: string;
  /** `host:port` of a tunnel, the absolute URL of a forwarded request. */
  readonly target: string;
  readonly proxyAuthorization: string | undefined;
}

/** A forward proxy on loopback, as a corporate network has one. */
export interface ForwardProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly requests: readonly ProxiedRequest[];
  close(): Promise<void>;
}

/** Only loopback addresses, ever: the proxy refuses to reach anything else. */
function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || (isIP(bare) === 4 && bare.startsWith('127.'));
}

/** How a {@link startForwardProxy} misbehaves. */
export interface ForwardProxyOptions {
  /**
   * Called with the 0-based number of each `CONNECT`: a status other than 200 refuses that
   * tunnel with it (a 503 of a proxy that cannot reach the target), `'silent'` never answers it,
   * `undefined` lets it through.
   */
  readonly refuseTunnel?: (tunnel: number) => number | 'silent' | undefined;
}

/**
 * Starts an HTTP forward proxy on 127.0.0.1, port 0: it tunnels `CONNECT host:port` and forwards
 * absolute-form requests (`GET http://host:port/path`), to loopback targets only, and records
 * what it saw.
 *
 * @param credentials When set, `user:password` that `Proxy-Authorization: Basic` must carry; 407 otherwise.
 * @param options Tunnels to refuse.
 */
export async function startForwardProxy(credentials?: string, options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const requests: ProxiedRequest[] = [];
  let connects = 0;
  const tunnels = new Set<Socket>();
  const expected = credentials === undefined ? undefined : `Basic ${Buffer.from(credentials).toString('base64')}`;
  const record = (req: IncomingMessage): boolean => {
    const proxyAuthorization = req.headers['proxy-authorization'];
    requests.push({ method: req.method ?? '', target: req.url ?? '', proxyAuthorization });
    return expected === undefined || proxyAuthorization === expected;
  };

  const server = createServer((req, res) => {
    if (!record(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const target = new URL(req.url ?? '');
    if (!isLoopback(target.hostname)) {
      res.writeHead(403).end();
      return;
    }
    const { 'proxy-authorization': _credentials, ...headers } = req.headers;
    const upstream = httpRequest(target, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    client.on('error', () => client.destroy());
    const authorized = record(req);
    const refusal = options.refuseTunnel?.(connects++);
    const [host = '', port = ''] = (req.url ?? '').split(/:(?=\d+$)/);
    if (!authorized) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (refusal === 'silent') return;
    if (refusal !== undefined) {
      client.end(`HTTP/1.1 ${refusal} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    if (!isLoopback(host)) {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(Number(port), host.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnels.add(upstream);
    upstream.on('close', () => tunnels.delete(upstream));
    upstream.on('error', () => client.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of tunnels) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
