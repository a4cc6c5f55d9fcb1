import { Agent, createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the proxy saw it. */
export interface ProxiedRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
}

/**
 * Holds the requests it matches until `size` of them wait, then lets them all through at once, so
 * a test can tell, without timers, that a client keeps `size` of them in flight. Once `total`
 * matching requests have arrived in all, the group waiting goes through, and so does every later one.
 */
export interface Barrier {
  readonly matches: (request: ProxiedRequest) => boolean;
  readonly size: number;
  readonly total: number;
}

/** A loopback proxy in front of a server, counting what goes through it. */
export interface CountingProxy {
  /** Base URL ending in `/v1`. */
  readonly url: string;
  /** Every request, in arrival order. */
  readonly requests: readonly ProxiedRequest[];
  /** The most requests matching `matches` that were in flight at once (arrived, not yet answered). */
  maxInFlight(matches: (request: ProxiedRequest) => boolean): number;
  /** How many requests are in flight now. */
  inFlight(): number;
  close(): Promise<void>;
}

/** `GET …/chat/completions?…`: a page of the completions list. */
export const isListRequest = (request: ProxiedRequest): boolean => request.method === 'GET' && /\/chat\/completions(\?|$)/.test(request.url);
/** `GET …/chat/completions/{id}/messages…`. */
export const isMessagesRequest = (request: ProxiedRequest): boolean => request.method === 'GET' && /\/messages(\?|$)/.test(request.url);
/** `DELETE …/chat/completions/{id}`. */
export const isDeleteRequest = (request: ProxiedRequest): boolean => request.method === 'DELETE';
/** `POST …/chat/completions/{id}`: a metadata update. */
export const isUpdateRequest = (request: ProxiedRequest): boolean => request.method === 'POST' && /\/chat\/completions\/[^/?]+$/.test(request.url);

/** The `after` query parameter of a request, if any. */
export const afterOf = (request: ProxiedRequest): string | undefined => new URL(request.url, 'http://x').searchParams.get('after') ?? undefined;

/** The completion id in a request's path (`/v1/chat/completions/{id}…`). */
export const idOf = (request: ProxiedRequest): string => decodeURIComponent(/\/chat\/completions\/([^/?]+)/.exec(request.url)?.[1] ?? '');

/**
 * Starts a proxy on 127.0.0.1 that forwards every request to `target` (a base URL ending in `/v1`)
 * and keeps count: which requests, and how many at once. A request the client abandons is
 * abandoned upstream too.
 */
export async function startCountingProxy(target: string, barrier?: Barrier): Promise<CountingProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const requests: ProxiedRequest[] = [];
  const open = new Set<ProxiedRequest>();
  /** What was in flight as each request arrived, itself included. */
  const snapshots: ProxiedRequest[][] = [];
  let held: Array<() => void> = [];
  let matched = 0;

  const pass = (req: IncomingMessage, res: ServerResponse, seen: ProxiedRequest): void => {
    const outgoing = forward(
      { host: upstream.hostname, port: upstream.port, method: seen.method, path: seen.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    outgoing.on('error', () => res.destroy());
    req.pipe(outgoing);
    res.on('close', () => outgoing.destroy());
  };

  const server = createServer((req, res) => {
    const seen: ProxiedRequest = { method: req.method ?? 'GET', url: req.url ?? '/' };
    requests.push(seen);
    open.add(seen);
    res.on('close', () => open.delete(seen));
    snapshots.push([...open]);
    if (barrier === undefined || !barrier.matches(seen)) {
      pass(req, res, seen);
      return;
    }
    matched++;
    held.push(() => pass(req, res, seen));
    if (held.length === barrier.size || matched >= barrier.total) {
      const group = held;
      held = [];
      for (const release of group) release();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    requests,
    maxInFlight: (matches) => Math.max(0, ...snapshots.map((snapshot) => snapshot.filter(matches).length)),
    inFlight: () => open.size,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
