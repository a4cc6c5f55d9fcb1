import { constants as bufferConstants } from 'node:buffer';
import { brotliDecompress, gunzip, inflate, inflateRaw, type InputType, type ZlibOptions } from 'node:zlib';
import { InvalidResponseError, ResponseTooLargeError, type StoredCompletionsError } from '../../errors';

type Decompress = (body: InputType, options: ZlibOptions, callback: (error: Error | null, result: Buffer) => void) => void;

const DECODERS: Readonly<Record<string, Decompress>> = {
  gzip: gunzip,
  'x-gzip': gunzip,
  deflate: inflateDeflate,
  br: brotliDecompress,
};

/** What a decoded body's response was, for the errors. */
export interface EncodedBody {
  readonly status: number;
  readonly requestId: string | undefined;
  /** The `content-encoding` header, if any. */
  readonly contentEncoding: string | undefined;
  readonly body: Buffer;
}

/**
 * Undoes the `content-encoding` of a body. The client asks for none, but
 * servers and proxies compress anyway; rather than call gzip "not valid JSON",
 * it decompresses gzip, deflate and br, each within `maxBodyBytes` of output,
 * so that a small compressed bomb cannot fill memory. Any other encoding
 * (`zstd`, `compress`) is named in the error.
 *
 * @param encoded The body and what the response said about it.
 * @param maxBodyBytes The largest decompressed body allowed.
 * @returns The decoded bytes, or the typed error.
 */
export async function decodeContentEncoding(encoded: EncodedBody, maxBodyBytes: number): Promise<Buffer> {
  // Applied in the order listed (RFC 9110 §8.4), so undone from the last.
  const encodings = (encoded.contentEncoding ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token !== '' && token !== 'identity')
    .reverse();
  // zlib refuses, with a raw RangeError, a limit above the largest Buffer; no output can exceed that anyway.
  const maxOutputLength = Math.min(maxBodyBytes, bufferConstants.MAX_LENGTH);
  let body = encoded.body;
  for (const encoding of encodings) {
    const decompress = DECODERS[encoding];
    if (decompress === undefined) {
      throw new InvalidResponseError(encoded.status, encoded.requestId, {
        problem: `is encoded as ${JSON.stringify(encoding)} (content-encoding), which the client cannot decode`,
        code: 'unsupported_encoding',
      });
    }
    body = await new Promise<Buffer>((resolve, reject) =>
      decompress(body, { maxOutputLength }, (error, result) =>
        error === null ? resolve(result) : reject(decodeFailure(error, encoding, encoded, maxBodyBytes)),
      ),
    );
  }
  return body;
}

/** `deflate` is meant to be zlib-wrapped (RFC 9110 §8.4.1.2), but some servers send it raw. */
function inflateDeflate(body: InputType, options: ZlibOptions, callback: (error: Error | null, result: Buffer) => void): void {
  inflate(body, options, (error, result) => {
    if (error !== null && (error as { code?: unknown }).code === 'Z_DATA_ERROR') inflateRaw(body, options, callback);
    else callback(error, result);
  });
}

function decodeFailure(error: Error, encoding: string, encoded: EncodedBody, maxBodyBytes: number): StoredCompletionsError {
  if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return new ResponseTooLargeError(encoded.status, maxBodyBytes);
  return new InvalidResponseError(encoded.status, encoded.requestId, {
    problem: `could not be decompressed as ${encoding} (content-encoding): ${error.message}`,
    cause: error,
  });
}
