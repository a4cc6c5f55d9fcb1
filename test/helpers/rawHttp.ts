import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/** Reused connections keep long walks fast; a fault that breaks one only costs that socket. */
const agent = new Agent({ keepAlive: true });

/** A response as the wire delivered it. */
export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body's bytes as UTF-8 text. */
  readonly text: string;
}

/** What a request ended in: a complete response, or a socket error after whatever arrived. */
export type RawOutcome =
  | ({ readonly kind: 'response' } & RawResponse)
  | {
      readonly kind: 'error';
      readonly code: string | undefined;
      /** Set when headers arrived before the error. */
      readonly status: number | undefined;
      readonly headers: IncomingHttpHeaders | undefined;
      readonly received: number;
    };

export interface RequestInit {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/**
 * One request over node:http, reporting socket errors instead of throwing,
 * so that fault tests can see exactly what arrived.
 */
export function rawRequest(url: string, init: RequestInit = {}): Promise<RawOutcome> {
  return new Promise((resolve) => {
    let status: number | undefined;
    let headers: IncomingHttpHeaders | undefined;
    const chunks: Buffer[] = [];
    const fail = (error: NodeJS.ErrnoException): void =>
      resolve({ kind: 'error', code: error.code, status, headers, received: Buffer.concat(chunks).length });
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers, agent }, (res) => {
      status = res.statusCode;
      headers = res.headers;
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      res.on('end', () =>
        resolve({ kind: 'response', status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', fail);
    req.end(init.body);
  });
}

/** A request that must get a complete response. */
export async function send(url: string, init: RequestInit = {}): Promise<RawResponse> {
  const outcome = await rawRequest(url, init);
  if (outcome.kind !== 'response') throw new Error(`Expected a response from ${url}, got a socket error ${outcome.code}`);
  return outcome;
}

/** A request with a JSON body. */
export function sendJson(url: string, method: string, body: unknown, headers: Readonly<Record<string, string>> = {}): Promise<RawResponse> {
  return send(url, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
}

/** The subset of a stored completion the tests read. */
export interface Completion {
  readonly id: string;
  readonly object: string;
  readonly model: string;
  readonly created: number;
  readonly request_id: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly seed: number | null;
  readonly temperature: number | null;
  readonly top_p: number | null;
  readonly tools: readonly unknown[] | null;
  readonly tool_choice: unknown;
  readonly response_format: unknown;
  readonly input_user: string | null;
  readonly service_tier: string | null;
  readonly usage: { readonly prompt_tokens: number; readonly completion_tokens: number; readonly total_tokens: number };
  readonly choices: readonly {
    readonly finish_reason: string;
    readonly logprobs: { readonly content: readonly { readonly token: string; readonly bytes: readonly number[] }[] } | null;
    readonly message: {
      readonly content: string | null;
      readonly role: string;
      readonly refusal?: string | null;
      readonly tool_calls: readonly { readonly type: string; readonly id: string }[] | null;
    };
  }[];
}

/** A message of the messages endpoint. */
export interface StoredMessage {
  readonly id: string;
  readonly role: string;
  readonly content: string | null;
  readonly name: string | null;
  readonly content_parts: readonly unknown[] | null;
}

export interface Page<T> {
  readonly object: 'list';
  readonly data: readonly T[];
  readonly first_id: string | null;
  readonly last_id: string | null;
  readonly has_more: boolean;
}

export interface ErrorEnvelope {
  readonly error: { readonly message: string; readonly type: string; readonly param: string | null; readonly code: string | null };
}

/** Parses a response's body; the cast is the test's claim about the shape, checked by its assertions. */
export function json<T>(response: RawResponse): T {
  return JSON.parse(response.text) as T;
}

/** A page of the completions list. */
export async function listPage(baseUrl: string, query: string): Promise<Page<Completion>> {
  const response = await send(`${baseUrl}/chat/completions?${query}`);
  if (response.status !== 200) throw new Error(`GET ?${query} answered ${response.status}: ${response.text}`);
  return json<Page<Completion>>(response);
}

/** Every item of the completions list, walking `after` cursors. */
export async function walk(baseUrl: string, query: Readonly<Record<string, string>> = {}): Promise<Completion[]> {
  const items: Completion[] = [];
  let after: string | null = null;
  for (;;) {
    const params = new URLSearchParams(query);
    if (after !== null) params.set('after', after);
    const page = await listPage(baseUrl, params.toString());
    items.push(...page.data);
    if (!page.has_more) return items;
    after = page.last_id;
  }
}
