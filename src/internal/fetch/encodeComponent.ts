import { InvalidArgumentError } from '../../errors';

/**
 * `encodeURIComponent`, with a typed error where it would throw a raw
 * `URIError`: a string holding a lone surrogate, which a caller may pass and
 * a server may send (as an id the walk then uses as its cursor).
 *
 * @param name What the value is, for the message: `after`, an id.
 * @param value The text to percent-encode.
 * @returns The encoded text.
 * @throws {InvalidArgumentError} for a string that is not well-formed Unicode.
 */
export function encodeComponent(name: string, value: string | number): string {
  try {
    return encodeURIComponent(value);
  } catch {
    throw new InvalidArgumentError(`Expected ${name} to be well-formed Unicode, got ${JSON.stringify(value)} (a lone surrogate)`);
  }
}
