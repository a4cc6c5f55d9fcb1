import { METADATA_VOCABULARY } from './corpus';
import { quote } from '../server/jsonText';
import type { MetadataPair } from '../server/metadata';

/**
 * Seeded metadata packed into one 32-bit code per completion, so that a metadata filter over a
 * million completions is a mask-and-compare per item rather than a map lookup.
 *
 * For each key of {@link METADATA_VOCABULARY}: one presence bit, then enough bits for the index of
 * its value. Bit 31 is never part of a packed code; {@link RECORD_METADATA} uses it to say "this
 * completion's metadata was replaced; read it from its record".
 */
export const RECORD_METADATA = 0x80000000;

interface KeyLayout {
  readonly key: string;
  readonly keyJson: string;
  readonly valueJsons: readonly string[];
  readonly values: readonly string[];
  readonly presentBit: number;
  readonly valueShift: number;
  /** The value's bits, in place. */
  readonly valueMask: number;
}

const LAYOUT: readonly KeyLayout[] = (() => {
  let shift = 0;
  return METADATA_VOCABULARY.map(([key, values]) => {
    const width = Math.ceil(Math.log2(values.length));
    const layout = {
      key,
      keyJson: quote(key),
      values,
      valueJsons: values.map(quote),
      presentBit: 1 << shift,
      valueShift: shift + 1,
      valueMask: ((1 << width) - 1) << (shift + 1),
    };
    shift += 1 + width;
    return layout;
  });
})();

/**
 * Packs one choice per vocabulary key.
 *
 * @param picks per key of {@link METADATA_VOCABULARY}, in order: a value index, or -1 for absent.
 * @returns the packed code.
 */
export function packMetadata(picks: readonly number[]): number {
  let code = 0;
  LAYOUT.forEach((layout, k) => {
    const pick = picks[k] ?? -1;
    if (pick >= 0) code |= layout.presentBit | (pick << layout.valueShift);
  });
  return code >>> 0;
}

/**
 * The JSON bytes of a packed code's metadata, keys in vocabulary order.
 *
 * @param code a packed code (not {@link RECORD_METADATA}).
 * @returns e.g. `{"user":"user_0007","env":"prod"}`, or `{}`.
 */
export function packedMetadataBytes(code: number): Buffer {
  let bytes = metadataBytes.get(code);
  if (bytes === undefined) {
    const members: string[] = [];
    for (const layout of LAYOUT) {
      if (code & layout.presentBit) {
        members.push(`${layout.keyJson}:${layout.valueJsons[valueIndex(code, layout)]}`);
      }
    }
    bytes = Buffer.from(`{${members.join(',')}}`);
    metadataBytes.set(code, bytes);
  }
  return bytes;
}

/** Rendered once per distinct code; the vocabulary allows a few thousand. */
const metadataBytes = new Map<number, Buffer>();

/** A metadata filter compiled for packed codes: a code matches when `(code & mask) === expected`. */
export interface PackedFilter {
  readonly mask: number;
  readonly expected: number;
}

/**
 * Compiles a filter for packed codes.
 *
 * @param pairs the filter pairs.
 * @returns the mask test, or `undefined` when no packed code can match (a key or value outside the
 *   vocabulary, or one key asked for two values).
 */
export function compilePackedFilter(pairs: readonly MetadataPair[]): PackedFilter | undefined {
  let mask = 0;
  let expected = 0;
  for (const [key, value] of pairs) {
    const layout = LAYOUT.find((candidate) => candidate.key === key);
    const index = layout?.values.indexOf(value) ?? -1;
    if (layout === undefined || index < 0) return undefined;
    const bits = layout.presentBit | layout.valueMask;
    const want = layout.presentBit | (index << layout.valueShift);
    if (mask & bits && (expected & bits) !== want) return undefined;
    mask |= bits;
    expected |= want;
  }
  return { mask: mask >>> 0, expected: expected >>> 0 };
}

function valueIndex(code: number, layout: KeyLayout): number {
  return (code & layout.valueMask) >>> layout.valueShift;
}
