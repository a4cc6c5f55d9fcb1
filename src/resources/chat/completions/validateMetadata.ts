import { InvalidArgumentError } from '../../../errors';
import type { ChatCompletionUpdateParams } from './completions';

/** The API's limits on metadata. */
const MAX_KEYS = 16;
const MAX_KEY_LENGTH = 64;
const MAX_VALUE_LENGTH = 512;

/**
 * Checks the body of an update before it is sent, as the API would, with a
 * message that names the offending key: the own string-keyed pairs of a plain
 * object (or `null`), at most 16, keys of at most 64 characters, string
 * values of at most 512.
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
  if (entries.length > MAX_KEYS) {
    throw new InvalidArgumentError(`Expected \`metadata\` to hold at most ${MAX_KEYS} keys, got ${entries.length}`);
  }
  for (const [key, value] of entries) {
    if (key.length > MAX_KEY_LENGTH) {
      throw new InvalidArgumentError(`Expected each \`metadata\` key to be at most ${MAX_KEY_LENGTH} characters, got ${key.length} in ${JSON.stringify(key)}`);
    }
    if (typeof value !== 'string' || value.length > MAX_VALUE_LENGTH) {
      throw new InvalidArgumentError(
        `Expected \`metadata[${JSON.stringify(key)}]\` to be a string of at most ${MAX_VALUE_LENGTH} characters, got ${typeof value === 'string' ? `${value.length} characters` : describe(value)}`,
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
