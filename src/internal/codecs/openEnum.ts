import * as t from 'io-ts';

/**
 * The codec {@link openEnum} builds: any string decodes, and the static type
 * still lists the known members for autocompletion.
 *
 * @see {@link openEnum}
 */
export class OpenEnumType<V extends string> extends t.Type<V | (string & {}), string, unknown> {
  /** Tells this codec apart from other io-ts types, like io-ts' own `_tag`s. */
  readonly _tag = 'OpenEnumType' as const;

  /**
   * @param name The name error messages use (`FinishReason`).
   * @param values The members the spec lists today.
   */
  constructor(
    name: string,
    readonly values: readonly V[],
  ) {
    super(
      name,
      (u): u is V | (string & {}) => typeof u === 'string',
      (u, c) => (typeof u === 'string' ? t.success(u) : t.failure(u, c)),
      t.identity,
    );
  }
}

/**
 * A string enum that stays open: the known members give the static type
 * (`'stop' | 'length' | (string & {})`, which keeps editor autocompletion),
 * while any other string decodes too.
 *
 * OpenAI adds enum members without a version bump, and a closed `t.keyof` would
 * turn each new member into a failed page; a value that is not a string still
 * fails. The decoded value is the input itself.
 *
 * ## Example
 * ```ts
 * const FinishReason = openEnum(['stop', 'length'], 'FinishReason');
 * FinishReason.is('stop');     // true
 * FinishReason.is('new_one');  // true
 * FinishReason.is(3);          // false
 * ```
 *
 * @param values The members the spec lists; their literals make the static type.
 * @param name The name error messages use.
 * @returns A codec from `unknown` to `V | (string & {})`.
 * @see {@link otherThan} for the tag of a union's fallback member, the other half of "open".
 */
export function openEnum<const V extends string>(values: readonly V[], name: string): OpenEnumType<V> {
  return new OpenEnumType(name, values);
}
