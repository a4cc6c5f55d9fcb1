import { METADATA_LIMITS, metadataLength } from '../../internal/metadata/metadataLimits';
import { describeType, invalidRequest } from './apiError';

/** The API's `Metadata`: at most 16 string pairs. */
export type Metadata = Readonly<Record<string, string>>;

/** A `metadata[key]=value` filter of the list endpoint, already percent-decoded. */
export type MetadataPair = readonly [key: string, value: string];

/**
 * Validates a request's `metadata` value the way the API does.
 *
 * `null` is accepted (the spec's `Metadata` is nullable) and means "no metadata", stored as `{}`.
 * Lengths count Unicode code points, not UTF-16 units, as the library does (`METADATA_LIMITS`).
 *
 * @param value the parsed JSON value.
 * @returns the metadata.
 * @throws APIError 400 with `param: 'metadata'` naming what is wrong.
 */
export function parseMetadata(value: unknown): Metadata {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidRequest('metadata', `Invalid type for 'metadata': expected an object, but got ${describeType(value)} instead.`);
  }
  const entries = Object.entries(value);
  if (entries.length > METADATA_LIMITS.maxKeys) {
    throw invalidRequest(
      'metadata',
      `Invalid 'metadata': too many properties. Expected an object with at most ${METADATA_LIMITS.maxKeys} properties, but got an object with ${entries.length} properties instead.`,
    );
  }
  // No prototype: a `__proto__` key is a key like any other, as the API keeps it.
  const metadata: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, item] of entries) {
    const keyChars = metadataLength(key);
    if (keyChars > METADATA_LIMITS.maxKeyLength) {
      throw invalidRequest(
        'metadata',
        `Invalid 'metadata': key '${key}' is too long. Expected a key with at most ${METADATA_LIMITS.maxKeyLength} characters, but got a key with ${keyChars} characters instead.`,
      );
    }
    if (typeof item !== 'string') {
      throw invalidRequest('metadata', `Invalid type for 'metadata.${key}': expected a string, but got ${describeType(item)} instead.`);
    }
    const valueChars = metadataLength(item);
    if (valueChars > METADATA_LIMITS.maxValueLength) {
      throw invalidRequest(
        'metadata',
        `Invalid 'metadata.${key}': string too long. Expected a string with maximum length ${METADATA_LIMITS.maxValueLength}, but got a string with length ${valueChars} instead.`,
      );
    }
    metadata[key] = item;
  }
  return metadata;
}

/**
 * Whether metadata holds every filter pair (the list endpoint ANDs them).
 *
 * @param metadata a completion's metadata.
 * @param pairs the filter.
 * @returns true when all pairs match.
 */
export function matchesMetadata(metadata: Metadata, pairs: readonly MetadataPair[]): boolean {
  return pairs.every(([key, value]) => Object.hasOwn(metadata, key) && metadata[key] === value);
}
