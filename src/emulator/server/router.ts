import { APIError, notFound } from './apiError';

/** A request matched to one of the five stored-completion endpoints (create shares the list's path). */
export type Route =
  | { readonly endpoint: 'list' | 'create' }
  | { readonly endpoint: 'retrieve' | 'update' | 'delete' | 'messages'; readonly id: string };

const COLLECTION = '/v1/chat/completions';
const ITEM = /^\/v1\/chat\/completions\/([^/]+)$/;
const MESSAGES = /^\/v1\/chat\/completions\/([^/]+)\/messages$/;

/**
 * Matches a request to an endpoint.
 *
 * @param method the HTTP method.
 * @param pathname the URL's path, still percent-encoded (the id is decoded here).
 * @returns the route.
 * @throws APIError 404 for an unknown path; 405, with an `allow` header, for a method the path
 *   does not support.
 */
export function route(method: string, pathname: string): Route {
  if (pathname === COLLECTION) {
    if (method === 'GET') return { endpoint: 'list' };
    if (method === 'POST') return { endpoint: 'create' };
    throw methodNotAllowed(method, pathname, ['GET', 'POST']);
  }
  const item = ITEM.exec(pathname)?.[1];
  if (item !== undefined) {
    const id = decodeSegment(item);
    if (method === 'GET') return { endpoint: 'retrieve', id };
    if (method === 'POST') return { endpoint: 'update', id };
    if (method === 'DELETE') return { endpoint: 'delete', id };
    throw methodNotAllowed(method, pathname, ['GET', 'POST', 'DELETE']);
  }
  const messages = MESSAGES.exec(pathname)?.[1];
  if (messages !== undefined) {
    if (method === 'GET') return { endpoint: 'messages', id: decodeSegment(messages) };
    throw methodNotAllowed(method, pathname, ['GET']);
  }
  throw notFound(null, `Invalid URL (${method} ${pathname})`);
}

function methodNotAllowed(method: string, pathname: string, allowed: readonly string[]): APIError {
  return new APIError(
    405,
    `Method ${method} is not allowed for ${pathname}; allowed: ${allowed.join(', ')}.`,
    'invalid_request_error',
    null,
    'method_not_allowed',
    { allow: allowed.join(', ') },
  );
}

/** A malformed escape cannot name a stored id, so it is kept as is and will not be found. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
