import { APIError, InvalidResponseError, type APIErrorDetails } from '../errors';
import { decodeUtf8 } from './decodeUtf8';
import type { HttpResponse } from './httpRequest';
import { parseWithSource } from './sourceText';

/**
 * Turns a response into parsed JSON (its source text kept for `sourceText`), or into the typed error it stands for:
 * a non-2xx status is an {@link APIError} subclass, an unparseable 2xx body an
 * {@link InvalidResponseError}.
 *
 * The server may quote the API key back (the real API echoes a masked prefix
 * of a wrong key); every occurrence of `secret` is masked before it reaches an
 * error, since errors end up in logs.
 *
 * @param response The response, read in full.
 * @param secret The API key to mask in error messages, if any.
 * @returns The parsed body of a 2xx response.
 */
export function readJson(response: HttpResponse, secret: string | undefined): unknown {
  const requestId = response.headers['x-request-id'];
  if (response.status < 200 || response.status > 299) {
    // Errors are logged and serialized: a session cookie has no business there.
    const { 'set-cookie': _cookie, ...headers } = response.headers;
    throw APIError.from(response.status, errorDetails(decodeUtf8(response.body), secret), requestId, headers);
  }
  try {
    return parseWithSource(decodeUtf8(response.body));
  } catch (cause) {
    throw new InvalidResponseError(response.status, requestId, { cause });
  }
}

function errorDetails(body: string, secret: string | undefined): APIErrorDetails | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { message, type, param, code } = error as Record<string, unknown>;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? redact(value, secret) : undefined);
  return { message: text(message), type: text(type), param: text(param) ?? null, code: text(code) ?? null };
}

function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}
