import { describeType, invalidRequest } from './apiError';
import type { CompletionStore } from './completionStore';
import { createCompletion } from '../seeded/createCompletion';
import { parseListQuery, parsePageQuery } from './listQuery';
import { parseMetadata } from './metadata';
import type { Route } from './router';

/** What an endpoint needs from the request beyond its route. */
export interface EndpointRequest {
  readonly query: URLSearchParams;
  /** The body's text, empty for GET and DELETE. */
  readonly body: string;
  /** This request's `x-request-id`. */
  readonly requestId: string;
  /** The wall clock, Unix seconds. */
  readonly nowSeconds: number;
}

/**
 * Runs an endpoint against the store.
 *
 * @param store the completions.
 * @param target the matched route.
 * @param request query, body and context.
 * @returns the 200 response's JSON bytes.
 * @throws APIError 400 for invalid parameters or bodies, 404 for unknown ids.
 */
export function runEndpoint(store: CompletionStore, target: Route, request: EndpointRequest): Buffer {
  switch (target.endpoint) {
    case 'list':
      return store.list(parseListQuery(request.query));
    case 'create': {
      const { response, stored } = createCompletion(parseBody(request.body), request.body, {
        id: store.newId(),
        created: request.nowSeconds,
        requestId: request.requestId,
      });
      if (stored !== undefined) store.insert(stored);
      return response;
    }
    case 'retrieve':
      return store.retrieve(target.id);
    case 'update':
      return store.update(target.id, updatedMetadata(parseBody(request.body)));
    case 'delete':
      return store.delete(target.id);
    case 'messages':
      return store.messages(target.id, parsePageQuery(request.query));
  }
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest(
      null,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. " +
        'The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)',
    );
  }
}

function updatedMetadata(body: unknown): ReturnType<typeof parseMetadata> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest(null, `Invalid request body: expected a JSON object, but got ${describeType(body)} instead.`);
  }
  if (!('metadata' in body)) throw invalidRequest('metadata', "Missing required parameter: 'metadata'.");
  return parseMetadata(body.metadata);
}
