import type { ServerResponse } from 'node:http';
import OpenAI from 'openai';
import { json, listPage, startScriptedServer, type ScriptedServer } from './scriptedServer';
import { afterOf, idOf, isDeleteRequest, isListRequest, type ProxiedRequest } from './countingProxy';

/** The ids the official SDK lists on a server, in its default order: the second opinion on what is stored. */
export async function sdkIds(baseURL: string): Promise<string[]> {
  const sdk = new OpenAI({ apiKey: 'sk-second-opinion', baseURL, maxRetries: 0 });
  const ids: string[] = [];
  for await (const completion of sdk.chat.completions.list({ limit: 100 })) ids.push(completion.id);
  return ids;
}

/** Every list request's `after` that named a completion sent a DELETE before that request. */
export function deletedCursorsSent(requests: readonly ProxiedRequest[]): string[] {
  const deleted = new Set<string>();
  const sent: string[] = [];
  for (const request of requests) {
    if (isDeleteRequest(request)) deleted.add(idOf(request));
    const after = isListRequest(request) ? afterOf(request) : undefined;
    if (after !== undefined && deleted.has(after)) sent.push(after);
  }
  return sent;
}

/** Each outcome's status by its id, whatever the order outcomes came in. */
export function statusesById(outcomes: ReadonlyArray<{ readonly id: string; readonly status: string }>): Record<string, string> {
  return Object.fromEntries(outcomes.map((outcome) => [outcome.id, outcome.status]));
}

/**
 * A server listing `ids` on one page, whose answer to a write about `a` waits until two writes
 * about the others have been answered: the outcomes of a bulk operator then finish out of order.
 */
export function startServerAnsweringALate(ids: readonly string[], answer: (res: ServerResponse, id: string) => void): Promise<ScriptedServer> {
  let heldA: (() => void) | undefined;
  let answered = 0;
  return startScriptedServer((req, res) => {
    if (req.method === 'GET') return json(res, 200, listPage(ids, false));
    const id = (req.url ?? '').split('/').pop() ?? '';
    if (id === 'a') heldA = () => answer(res, id);
    else {
      answer(res, id);
      answered++;
    }
    if (answered === 2) heldA?.();
  });
}
