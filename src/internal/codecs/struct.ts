import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';

/** What a {@link struct} decodes to: its required fields and its optional ones, as one flat object type. */
export type StructOf<R extends t.Props, O extends t.Props> = {
  [K in keyof (t.TypeOfProps<R> & t.TypeOfPartialProps<O>)]: (t.TypeOfProps<R> & t.TypeOfPartialProps<O>)[K];
};

/**
 * The codec {@link struct} builds. It keeps both prop sets, so a schema that
 * extends another (`allOf` in the spec) can spread them into a new struct.
 *
 * @see {@link struct}
 */
export class StructType<R extends t.Props, O extends t.Props> extends t.Type<StructOf<R, O>, StructOf<R, O>, unknown> {
  /** Tells this codec apart from other io-ts types, like io-ts' own `_tag`s. */
  readonly _tag = 'StructType' as const;

  /**
   * @param name The name error messages use.
   * @param required The fields that must be present.
   * @param optional The fields that may be absent; when present they must match.
   */
  constructor(
    name: string,
    readonly required: R,
    readonly optional: O,
  ) {
    const fields = [
      ...Object.entries(required).map(([key, codec]) => ({ key, codec, isOptional: false })),
      ...Object.entries(optional).map(([key, codec]) => ({ key, codec, isOptional: true })),
    ];
    // A loop rather than `every` with a closure: `decodeOrThrow` runs this
    // guard on every object of every page, and it is most of the decoding time.
    const is = (u: unknown): u is StructOf<R, O> => {
      if (!isRecord(u)) return false;
      for (const { key, codec, isOptional } of fields) {
        const value = u[key];
        if (isOptional ? value !== undefined && !codec.is(value) : !(key in u) || !codec.is(value)) return false;
      }
      return true;
    };
    super(
      name,
      is,
      (u, c) => {
        if (!isRecord(u)) return t.failure(u, c);
        let decoded = u;
        let errors: t.ValidationError[] | undefined;
        for (const field of fields) {
          const value = u[field.key];
          // Unlike `t.partial`, an absent optional field is not run through its codec only to have
          // the failure discarded: on pages of completions that was about half the decoding time.
          if (value === undefined && field.isOptional) continue;
          const result = field.codec.validate(value, t.appendContext(c, field.key, field.codec, value));
          if (isLeft(result)) errors = errors === undefined ? result.left : [...errors, ...result.left];
          else if (result.right !== value) {
            if (decoded === u) decoded = { ...u };
            decoded[field.key] = result.right;
          }
        }
        // `decoded` is `u` itself unless a field codec transformed its value, which none here does.
        return errors === undefined ? t.success(decoded as StructOf<R, O>) : t.failures(errors);
      },
      t.identity,
    );
  }
}

/**
 * An object with required and optional fields, which decodes to the very
 * object it was given.
 *
 * It accepts what `t.intersection([t.type(required), t.partial(optional)])`
 * accepts, and like it keeps unknown fields and copies nothing, in about half
 * the time: the intersection allocates a context and a result list per member
 * and merges the results, and `t.partial` runs every absent field through its
 * codec only to discard the failure. Measured on 1,000 pages of 100 completions
 * built from the spec's examples (Node 20, io-ts 2.2.22): 0.6 s against 1.25 s.
 * Error paths are those of the intersection minus its member entries.
 *
 * Encoding is the identity: the codecs of this library never transform a value,
 * so there is nothing to undo.
 *
 * ## Example
 * ```ts
 * const Deleted = struct({ id: t.string, deleted: t.boolean }, { object: t.string }, 'Deleted');
 * const input: unknown = JSON.parse('{"id":"c1","deleted":true,"extra":1}');
 * const decoded = Deleted.decode(input); // right(input), `extra` included
 * ```
 *
 * @param required The fields that must be present (like `t.type`).
 * @param optional The fields that may be absent (like `t.partial`).
 * @param name The name error messages and `decodeOrThrow` use.
 * @returns The codec.
 * @see https://github.com/gcanti/io-ts/blob/master/index.md#mixing-required-and-optional-props
 */
export function struct<R extends t.Props, O extends t.Props>(required: R, optional: O, name: string): StructType<R, O> {
  return new StructType(name, required, optional);
}

/**
 * Whether a value is an object other than an array: what JSON calls an
 * object. Cheaper than `t.UnknownRecord.is`, which asks `Object.prototype.toString`;
 * the guard and the decoder of a struct both use it, so they cannot disagree.
 */
function isRecord(u: unknown): u is Record<string, unknown> {
  return typeof u === 'object' && u !== null && !Array.isArray(u);
}
