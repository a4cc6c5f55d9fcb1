import type { IncomingMessage, ServerResponse } from 'node:http';
import { completion, json, startScriptedServer, type ScriptedServer } from './scriptedServer';

/** A stored item of the {@link TieShufflingServer}. */
export interface StoredItem {
  readonly id: string;
  readonly created: number;
}

/** What the server does with a request instead of answering it, by its number. */
export type Fault = 'reset' | 'http-500' | 'hang' | undefined;

/** What a test scripts of a {@link TieShufflingServer}. */
export interface TieShufflingOptions {
  /** The fault for the request of each number (from 0), if any. */
  readonly faults?: ((n: number) => Fault) | undefined;
  /** Seed of the shuffles. */
  readonly seed?: number | undefined;
  /** Called with the cursor of each list request before it is answered: a test deletes completions there. */
  readonly beforeList?: ((after: string | null) => void) | undefined;
  /** The text of a list page; `JSON.stringify` unless told. */
  readonly layout?: ((page: Record<string, unknown>) => string) | undefined;
}

/** A list server that is not the emulator: see {@link startTieShufflingServer}. */
export interface TieShufflingServer extends ScriptedServer {
  /** Stores completions now. */
  insert(...items: StoredItem[]): void;
  /** Deletes a completion: it leaves the list, and its id is no cursor any more. */
  remove(id: string): void;
  /** The list requests answered 200 so far. */
  listRequests(): number;
}

/**
 * A stored-completions list server written apart from the emulator, to hold
 * what it does not: the order of the completions of one second changes on
 * every call (the API promises none), a deleted completion's id is a 404 as a
 * cursor (a strict server), `faults` turns requests into resets, 500s or
 * requests never answered, and `layout` writes its pages as it is told.
 *
 * @param items The completions stored at start.
 * @param options Faults, the seed of the shuffles, a hook before each list request.
 * @returns The running server.
 */
export async function startTieShufflingServer(items: readonly StoredItem[], options: TieShufflingOptions = {}): Promise<TieShufflingServer> {
  const stored = [...items];
  let random = options.seed ?? 7;
  let answered = 0;
  const next = (): number => {
    random = (random * 1_103_515_245 + 12_345) % 2_147_483_648;
    return random / 2_147_483_648;
  };
  const script = (req: IncomingMessage, res: ServerResponse, n: number): void => {
    const fault = options.faults?.(n);
    if (fault === 'hang') return;
    if (fault === 'reset') return void res.socket?.destroy();
    if (fault === 'http-500') return json(res, 500, { error: { message: 'The server had an error', type: 'server_error', param: null, code: null } });
    const url = new URL(req.url ?? '/', 'http://x');
    const order = url.searchParams.get('order') ?? 'asc';
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const after = url.searchParams.get('after');
    options.beforeList?.(after);
    // A fresh order of each second on every call.
    const keyed = stored.map((item) => ({ item, key: next() }));
    keyed.sort((a, b) => (order === 'asc' ? 1 : -1) * (a.item.created - b.item.created) || a.key - b.key);
    const list = keyed.map(({ item }) => item);
    let start = 0;
    if (after !== null) {
      const index = list.findIndex((item) => item.id === after);
      if (index < 0) return json(res, 404, { error: { message: `No chat completion found with id '${after}'.`, type: 'invalid_request_error', param: 'after', code: null } });
      start = index + 1;
    }
    const page = list.slice(start, start + limit);
    answered++;
    const body = {
      object: 'list',
      data: page.map((item) => completion(item.id, { created: item.created })),
      first_id: page[0]?.id ?? null,
      last_id: page[page.length - 1]?.id ?? null,
      has_more: start + limit < list.length,
    };
    json(res, 200, options.layout === undefined ? body : options.layout(body));
  };
  const server = await startScriptedServer(script);
  return {
    ...server,
    insert: (...added) => void stored.push(...added),
    remove: (id) => {
      const index = stored.findIndex((item) => item.id === id);
      if (index >= 0) stored.splice(index, 1);
    },
    listRequests: () => answered,
  };
}

/**
 * Completions at a few seconds, many sharing one.
 *
 * @param prefix Of their ids.
 * @param count How many.
 * @param start The first `created`.
 * @param perSecond How many share each second.
 * @returns The items, oldest first.
 */
export function tiedItems(prefix: string, count: number, start: number, perSecond: number): StoredItem[] {
  return Array.from({ length: count }, (_, index) => ({ id: `${prefix}-${String(index).padStart(4, '0')}`, created: start + Math.floor(index / perSecond) }));
}
