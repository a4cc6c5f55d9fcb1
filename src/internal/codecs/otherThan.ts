import * as t from 'io-ts';

/**
 * A string that is none of `known`: the tag of a union's fallback member.
 *
 * A union like `function | custom | { id, type: string }` must not let a
 * broken `function` call (no `function` object) slip through as the fallback;
 * requiring the fallback's tag to be unknown keeps the known shapes strict while
 * new tags still decode. The decoded value is the input itself.
 *
 * The static type stays `string`: TypeScript cannot express "a string other
 * than these", so `call.type === 'function'` narrows a union with a fallback
 * member to the function member *or* the fallback; narrow with the member
 * codec's `is` instead.
 *
 * ## Example
 * ```ts
 * const UnknownToolCallType = otherThan(['function', 'custom'], 'UnknownToolCallType');
 * UnknownToolCallType.is('web_search'); // true
 * UnknownToolCallType.is('function');   // false
 * ```
 *
 * @param known The tags the union's other members own.
 * @param name The name error messages use.
 * @returns A codec from `unknown` to `string`.
 * @see {@link openEnum} for enums that accept any string.
 */
export function otherThan(known: readonly string[], name: string): t.Type<string, string, unknown> {
  const isUnknownTag = (u: unknown): u is string => typeof u === 'string' && !known.includes(u);
  return new t.Type(name, isUnknownTag, (u, c) => (isUnknownTag(u) ? t.success(u) : t.failure(u, c)), t.identity);
}
