import { createHash } from 'node:crypto';

/**
 * The SHA-256 of a credential. Credentials are compared by digest with `timingSafeEqual`: digests
 * have equal lengths, so the comparison time says nothing about the credential.
 *
 * @param text a credential, or a header value holding one.
 * @returns its digest.
 */
export function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
