import { InvalidArgumentError } from '../errors';
import { checkedOperator } from '../internal/core/checkedOperator';
import { EMPTY, filter, type MonoTypeOperatorFunction } from 'rxjs';
import { forwardPacing } from '../internal/core/pacedSource';

/**
 * What one metadata key must satisfy:
 * - a string: equal to it;
 * - an array of strings: equal to any of them;
 * - `true`: the key is present; `false`: the key is absent;
 * - a function: called with the value (`undefined` when absent).
 */
export type MetadataCondition =
  | string
  | readonly string[]
  | boolean
  | ((value: string | undefined) => boolean);

/** Conditions by metadata key; an item passes when every condition holds. */
export type MetadataQuery = Readonly<Record<string, MetadataCondition>>;

/**
 * Keeps the items whose `metadata` satisfies a query, for what the server's
 * `metadata[key]=value` filter cannot express: any-of values, presence or
 * absence of a key, predicates. Prefer the server-side `params.metadata` for
 * exact pairs, which saves transferring what would be dropped here, and
 * combine both: the server narrows, this refines.
 *
 * Items with `metadata: null` or no metadata are treated as having none.
 *
 * ## Example
 * ```ts
 * import { filterMetadata } from 'rx-stored-completions';
 * client.chat.completions
 *   .list({ metadata: { env: 'prod' } })
 *   .pipe(filterMetadata({ user: ['alice', 'bob'], experiment: false }));
 * ```
 *
 * @param query Conditions by key, or a predicate over the whole metadata.
 * @returns An operator that drops the items that do not match.
 */
export function filterMetadata<T extends { readonly metadata?: Readonly<Record<string, string>> | null | undefined }>(
  query: MetadataQuery | ((metadata: Readonly<Record<string, string>>) => boolean),
): MonoTypeOperatorFunction<T> {
  return checkedOperator(() => {
    const matches = typeof query === 'function' ? query : compileQuery(query);
    const keep = (item: T): boolean => matches(item.metadata ?? {});
    // Over a list(), the bulk operators downstream still pace the walk: their work skips what is dropped.
    return (source) =>
      forwardPacing(source, source.pipe(filter(keep)), (runner) => (work, options) => runner((item) => (keep(item) ? work(item) : EMPTY), options));
  });
}

function compileQuery(query: MetadataQuery): (metadata: Readonly<Record<string, string>>) => boolean {
  if (typeof query !== 'object' || query === null || Array.isArray(query)) {
    throw new InvalidArgumentError(`Expected the query to be an object of conditions or a function, got ${Array.isArray(query) ? 'an array' : String(query)}`);
  }
  const tests = Object.entries(query).map(([key, condition]) => {
    const test = conditionTest(key, condition);
    return (metadata: Readonly<Record<string, string>>) =>
      test(Object.prototype.hasOwnProperty.call(metadata, key) ? metadata[key] : undefined);
  });
  return (metadata) => tests.every((test) => test(metadata));
}

function conditionTest(key: string, condition: MetadataCondition): (value: string | undefined) => boolean {
  const valid =
    ['function', 'boolean', 'string'].includes(typeof condition) || (Array.isArray(condition) && condition.every((value) => typeof value === 'string'));
  if (!valid) {
    throw new InvalidArgumentError(`Expected the condition on \`${key}\` to be a string, an array of strings, a boolean or a function, got ${JSON.stringify(condition) ?? String(condition)}`);
  }
  if (typeof condition === 'function') return condition;
  if (typeof condition === 'boolean') return (value) => (value !== undefined) === condition;
  if (typeof condition === 'string') return (value) => value === condition;
  const allowed = new Set(condition);
  return (value) => value !== undefined && allowed.has(value);
}
