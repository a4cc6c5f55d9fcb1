import { InvalidArgumentError } from '../../errors';
import { encodeComponent } from './encodeComponent';

import type { ListParams } from '../../resources/chat/completions/ListParams';

/**
 * Checks list parameters before anything is sent, with messages that name the
 * parameter and the value: a bad `limit` found by the server would cost a
 * round trip and arrive as a less precise 400.
 *
 * `metadata` must be a plain object (made by `{}`, `JSON.parse` or
 * `Object.create(null)`) whose own enumerable string keys, `__proto__`
 * included, are all its pairs: a `Map`, a class instance, inherited, symbol
 * or non-enumerable keys would otherwise be sent as nothing, and the walk
 * would return every completion instead of the filtered ones.
 *
 * @param params The caller's parameters.
 * @throws {InvalidArgumentError} on the first invalid parameter.
 */
export function validateListParams(params: ListParams): void {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new InvalidArgumentError(`Expected the list parameters to be an object or undefined, got ${describeValue(params)}`);
  }
  const { after, limit, order, model, metadata } = params;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 100)) {
    throw new InvalidArgumentError(`Expected \`limit\` to be an integer from 1 to 100, got ${String(limit)}`);
  }
  if (order !== undefined && order !== 'asc' && order !== 'desc') {
    throw new InvalidArgumentError(`Expected \`order\` to be 'asc' or 'desc', got ${JSON.stringify(order)}`);
  }
  for (const [name, value] of [['after', after], ['model', model]] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new InvalidArgumentError(`Expected \`${name}\` to be a non-empty string, got ${JSON.stringify(value)}`);
    }
  }
  if (metadata !== undefined) validateMetadata(metadata);
}

function validateMetadata(metadata: unknown): void {
  if (!isPlainObject(metadata)) {
    throw new InvalidArgumentError(`Expected \`metadata\` to be a plain object of strings, got ${describeValue(metadata)}`);
  }
  const own = Object.keys(metadata);
  const hidden = Reflect.ownKeys(metadata).length !== own.length;
  let inherited = false;
  for (const key in metadata) if (!Object.prototype.hasOwnProperty.call(metadata, key)) inherited = true;
  if (hidden || inherited) {
    throw new InvalidArgumentError(
      'Expected `metadata` to hold its pairs as own enumerable string keys, got an object with symbol, non-enumerable or inherited keys, which would not be sent',
    );
  }
  for (const key of own) {
    const value: unknown = (metadata as Record<string, unknown>)[key];
    if (typeof value !== 'string') {
      throw new InvalidArgumentError(`Expected \`metadata[${JSON.stringify(key)}]\` to be a string, got ${describeValue(value)}`);
    }
  }
}

function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function describeValue(value: unknown): string {
  if (value instanceof Map) return 'a Map';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null && !isPlainObject(value)) {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== 'Object' ? `an instance of ${name}` : 'an object with a prototype of its own (inherited keys are not sent)';
  }
  return typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
}

/**
 * Encodes list parameters as a query string, without the `?`. Metadata pairs
 * become `metadata[key]=value`, key and value percent-encoded, so that `&`,
 * `=`, `[`, `]` or spaces inside them cannot change the query's meaning.
 *
 * @param params Validated parameters.
 * @returns The query string, possibly empty.
 */
export function encodeQuery(params: ListParams): string {
  const parts: string[] = [];
  const add = (name: string, value: string | number | undefined): void => {
    if (value !== undefined) parts.push(`${name}=${encodeComponent(`\`${name}\``, value)}`);
  };
  add('after', params.after);
  add('limit', params.limit);
  add('order', params.order);
  add('model', params.model);
  for (const [key, value] of Object.entries(params.metadata ?? {})) add(`metadata[${encodeComponent('a `metadata` key', key)}]`, value);
  return parts.join('&');
}
