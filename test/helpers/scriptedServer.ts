import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the scripted server saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
}

/** A reply script: called with each request and its 0-based number. */
export type Script = (req: IncomingMessage, res: ServerResponse, n: number) => void;

/** A real HTTP server on loopback whose replies a test scripts by request number. */
export interface ScriptedServer {
  /** Base URL ending in `/v1`. */
  readonly url: string;
  readonly requests: SeenRequest[];
  /** How many requests were closed by the client before the server answered them. */
  readonly aborted: () => number;
  close(): Promise<void>;
}

/**
 * Starts a `node:http` server on port 0 that answers as `script` says, for the
 * pathological servers the emulator is too well-behaved to be.
 */
export async function startScriptedServer(script: Script): Promise<ScriptedServer> {
  const requests: SeenRequest[] = [];
  let aborted = 0;
  const server = createServer((req, res) => {
    const n = requests.length;
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.on('close', () => {
      if (!res.writableFinished) aborted += 1;
    });
    script(req, res, n);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    aborted: () => aborted,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with a JSON body. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_scripted', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** A minimal completion that our decoder accepts. */
export function completion(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    object: 'chat.completion',
    id,
    created: 1738960610,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content: 'hi' } }],
    ...extra,
  };
}

/** A list page over the given ids. */
export function listPage(ids: readonly string[], hasMore: boolean): Record<string, unknown> {
  return {
    object: 'list',
    data: ids.map((id) => completion(id)),
    first_id: ids[0] ?? null,
    last_id: ids[ids.length - 1] ?? null,
    has_more: hasMore,
  };
}

/** Answers 404 as the API does for an unknown completion. */
export function notFound(res: ServerResponse): void {
  json(res, 404, { error: { message: 'No completion found', type: 'invalid_request_error', param: null, code: null } });
}

/**
 * A gateway that lists `ids` (one page) and retrieves each, but answers 404 to every DELETE: it
 * does not forward them.
 */
export function gatewayWithoutDelete(ids: readonly string[]): Script {
  return (req, res) => {
    const id = /\/chat\/completions\/([^/?]+)/.exec(req.url ?? '')?.[1];
    if (req.method === 'DELETE') return notFound(res);
    json(res, 200, id === undefined ? listPage(ids, false) : completion(decodeURIComponent(id)));
  };
}

/**
 * A list that ignores `order`: it serves `items` in the order given, `pageSize` to a page,
 * following `after`, whatever order the request asked for.
 */
export function listIgnoringOrder(items: ReadonlyArray<Record<string, unknown>>, pageSize: number): Script {
  return (req, res) => {
    const after = new URL(req.url ?? '', 'http://x').searchParams.get('after');
    const start = after === null ? 0 : items.findIndex((item) => item['id'] === after) + 1;
    json(res, 200, { object: 'list', data: items.slice(start, start + pageSize), has_more: start + pageSize < items.length });
  };
}

/**
 * Writes 64 KB chunks as fast as the client reads them, until it hangs up or
 * `totalBytes` are sent: a body that never ends, or a huge one.
 */
export function flood(res: ServerResponse, totalBytes = Number.POSITIVE_INFINITY): void {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const pump = (): void => {
    while (sent < totalBytes && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}
