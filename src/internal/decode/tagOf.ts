import type * as t from 'io-ts';

/**
 * The kind of a codec: io-ts' `_tag` (`'InterfaceType'`, `'UnionType'`, …),
 * or this library's (`'StructType'`, `'OpenEnumType'`); `''` for a codec with none.
 *
 * @param codec Any io-ts codec.
 * @returns Its tag.
 */
export function tagOf(codec: t.Decoder<unknown, unknown>): string {
  return '_tag' in codec && typeof codec._tag === 'string' ? codec._tag : '';
}
