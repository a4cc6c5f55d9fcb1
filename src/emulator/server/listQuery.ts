import { invalidRequest } from './apiError';
import type { MetadataPair } from './metadata';

/** Cursor pagination shared by the completions list and the messages list. */
export interface PageQuery {
  readonly limit: number;
  readonly order: 'asc' | 'desc';
  readonly after: string | undefined;
}

/** The completions list's query: pagination plus its filters. */
export interface ListQuery extends PageQuery {
  readonly model: string | undefined;
  /** `metadata[key]=value` pairs, percent-decoded; all must match. */
  readonly metadata: readonly MetadataPair[];
}

/** The API's bounds on `limit` and its default. */
const LIMIT = { min: 1, max: 100, default: 20 } as const;

const METADATA_PARAM = /^metadata\[(.*)\]$/s;

/**
 * Reads `limit`, `order` and `after`. Other parameters are ignored, as the API ignores them.
 *
 * @param params the request's query, already percent-decoded by `URLSearchParams`.
 * @returns the pagination.
 * @throws APIError 400 naming the parameter when a value is out of range or repeated.
 */
export function parsePageQuery(params: URLSearchParams): PageQuery {
  const limitText = single(params, 'limit');
  let limit: number = LIMIT.default;
  if (limitText !== undefined) {
    limit = /^\d{1,3}$/.test(limitText) ? Number(limitText) : Number.NaN;
    if (!(limit >= LIMIT.min && limit <= LIMIT.max)) {
      throw invalidRequest(
        'limit',
        `Invalid value for 'limit': expected an integer from ${LIMIT.min} to ${LIMIT.max}, got '${limitText}'.`,
      );
    }
  }
  const order = single(params, 'order') ?? 'asc';
  if (order !== 'asc' && order !== 'desc') {
    throw invalidRequest('order', `Invalid value for 'order': expected 'asc' or 'desc', got '${order}'.`);
  }
  return { limit, order, after: single(params, 'after') };
}

/**
 * Reads the completions list's query: pagination, `model`, and `metadata[key]=value` pairs.
 *
 * @param params the request's query, already percent-decoded by `URLSearchParams` (so
 *   `metadata%5Bcost%20center%5D=R%26D` arrives as key `cost center`, value `R&D`).
 * @returns the query.
 * @throws APIError 400 naming the parameter when a value is invalid.
 */
export function parseListQuery(params: URLSearchParams): ListQuery {
  const metadata: MetadataPair[] = [];
  for (const [name, value] of params) {
    const key = METADATA_PARAM.exec(name)?.[1];
    if (key !== undefined) {
      metadata.push([key, value]);
    } else if (name.startsWith('metadata')) {
      throw invalidRequest('metadata', `Invalid query parameter '${name}': expected metadata filters as 'metadata[key]=value'.`);
    }
  }
  return { ...parsePageQuery(params), model: single(params, 'model'), metadata };
}

function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) {
    throw invalidRequest(name, `Invalid value for '${name}': expected a single value, got ${values.length}.`);
  }
  return values[0];
}
