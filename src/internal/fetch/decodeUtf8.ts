/**
 * Decodes a UTF-8 response body, as undici's `body.text()` does: a leading
 * BOM skipped, malformed bytes replaced by U+FFFD.
 *
 * Plain `toString('utf8')`: a hand-written path (Latin-1 for pure ASCII,
 * `buffer.transcode` to UTF-16 otherwise) measured no faster on a quiet
 * machine, in decoding alone or in whole walks (see docs/performance.md).
 *
 * @param body The body's bytes.
 * @returns The text.
 */
export function decodeUtf8(body: Buffer): string {
  return body.toString('utf8', bomLength(body));
}

/**
 * @param bytes UTF-8 bytes.
 * @returns 3 when they start with a byte order mark, else 0.
 */
export function bomLength(bytes: Buffer): number {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}
