import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, type Script } from './scriptedServer';

/** How the store answers the input messages of a completion; the default is an empty list. */
export type MessagesAnswer = (completionId: string, res: ServerResponse, query: URLSearchParams) => void;

/**
 * A script for {@link startScriptedServer} that serves a fixed list of
 * completions, as plainly as the API documents it, for the tests whose point
 * is elsewhere (what the CLI prints, the ids it is handed): `GET
 * /chat/completions` in pages of `limit` (20 by default) after `after`,
 * `POST` (answers the completion with the sent metadata) and `DELETE` of a
 * completion, and its input messages as `messages` answers them.
 *
 * @param completions The completions, in ascending order.
 * @param messages Answers `GET /chat/completions/{id}/messages`.
 * @returns The script.
 */
export function storeScript(completions: ReadonlyArray<Readonly<Record<string, unknown>>>, messages?: MessagesAnswer): Script {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://store');
    const [, , , , rawId, sub] = url.pathname.split('/');
    if (rawId === undefined) {
      const limit = Number(url.searchParams.get('limit') ?? '20');
      const after = url.searchParams.get('after');
      const start = after === null ? 0 : completions.findIndex((item) => item['id'] === after) + 1;
      const data = completions.slice(start, start + limit);
      json(res, 200, {
        object: 'list',
        data,
        first_id: data[0]?.['id'] ?? null,
        last_id: data[data.length - 1]?.['id'] ?? null,
        has_more: start + limit < completions.length,
      });
      return;
    }
    const id = decodeURIComponent(rawId);
    const item = completions.find((candidate) => candidate['id'] === id);
    if (sub === 'messages') {
      if (messages !== undefined) messages(id, res, url.searchParams);
      else json(res, 200, { object: 'list', data: [], first_id: null, last_id: null, has_more: false });
      return;
    }
    if (item === undefined) return void json(res, 404, { error: { message: 'No such completion', type: 'invalid_request_error' } });
    if (req.method === 'DELETE') return void json(res, 200, { id, object: 'chat.completion.deleted', deleted: true });
    if (req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () => json(res, 200, { ...item, ...(JSON.parse(body) as object) }));
      return;
    }
    json(res, 200, item);
  };
}
