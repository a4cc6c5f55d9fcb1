import { InvalidArgumentError } from '../../errors';
import { METADATA_LIMITS, metadataLength } from './metadataLimits';
import type { ChatCompletionUpdateParams } from '../../resources/chat/completions/completions';

/**
 * Checks the body of an update before it is sent, as the API would, with a
 * message that names the offending key: the own string-keyed pairs of a plain
 * object (or `null`), at most 16, keys of at most 64 characters, string
 * values of at most 512, characters counted as the API counts them ({@link metadataLength}).
 *
 * @param body The caller's body.
 * @returns The metadata to send.
 * @throws {InvalidArgumentError} for anything the API would refuse.
 */
export function validateMetadata(body: ChatCompletionUpdateParams): ChatCompletionUpdateParams['metadata'] {
  const metadata: unknown = (body as { metadata?: unknown } | null | undefined)?.metadata;
  if (metadata === null) return null;
  const prototype: unknown = typeof metadata === 'object' ? Object.getPrototypeOf(metadata) : undefined;
  if (typeof metadata !== 'object' || (prototype !== Object.prototype && prototype !== null)) {
    throw new InvalidArgumentError(`Expected \`metadata\` to be a plain object of strings or null, got ${describe(metadata)}`);
  }
  const entries = Object.entries(metadata);
  if (entries.length > METADATA_LIMITS.maxKeys) {
    throw new InvalidArgumentError(`Expected \`metadata\` to hold at most ${METADATA_LIMITS.maxKeys} keys, got ${entries.length}`);
  }
  for (const [key, value] of entries) {
    const keyLength = metadataLength(key);
    if (keyLength > METADATA_LIMITS.maxKeyLength) {
      throw new InvalidArgumentError(`Expected each \`metadata\` key to be at most ${METADATA_LIMITS.maxKeyLength} characters, got ${keyLength} in ${JSON.stringify(key)}`);
    }
    if (typeof value !== 'string' || metadataLength(value) > METADATA_LIMITS.maxValueLength) {
      throw new InvalidArgumentError(
        `Expected \`metadata[${JSON.stringify(key)}]\` to be a string of at most ${METADATA_LIMITS.maxValueLength} characters, got ${typeof value === 'string' ? `${metadataLength(value)} characters` : describe(value)}`,
      );
    }
  }
  return metadata as Readonly<Record<string, string>>;
}

function describe(value: unknown): string {
  if (value instanceof Map) return 'a Map';
  if (Array.isArray(value)) return 'an array';
  return value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
}
