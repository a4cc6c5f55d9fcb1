import { APIError, InvalidResponseError, quoteServerText, type APIErrorDetails } from '../../errors';
import { Redactor } from '../redact/Redactor';
import { decodeUtf8 } from './decodeUtf8';
import type { HttpResponse } from './httpRequest';
import { parseWithSource } from '../../client/sourceText';

/**
 * Turns a response into parsed JSON (its source text kept for `sourceText`), or into the typed error it stands for:
 * a non-2xx status is an {@link APIError} subclass, an unparseable 2xx body an
 * {@link InvalidResponseError}.
 *
 * The server may quote a credential back (the real API echoes a masked prefix
 * of a wrong key), in its body or in a header: every credential the redactor
 * knows is masked before it reaches an error, since errors end up in logs, and
 * `set-cookie` is dropped. The strings of the error body are cut to a few KB.
 *
 * @param response The response, read in full.
 * @param secrets What to mask: the client's {@link Redactor}, or just the API key.
 * @returns The parsed body of a 2xx response.
 */
export function readJson(response: HttpResponse, secrets: Redactor | string | undefined): unknown {
  const redactor = secrets instanceof Redactor ? secrets : new Redactor([secrets]);
  if (response.status < 200 || response.status > 299) {
    // Errors are logged and serialized: a session cookie has no business there.
    const { 'set-cookie': _cookie, ...headers } = redactor.headers(response.headers);
    throw APIError.from(response.status, errorDetails(response.body, redactor), headers['x-request-id'], headers);
  }
  try {
    return parseWithSource(response.body);
  } catch (cause) {
    const requestId = response.headers['x-request-id'];
    throw redactor.error(new InvalidResponseError(response.status, requestId === undefined ? undefined : redactor.text(requestId), { cause }));
  }
}

function errorDetails(body: Buffer, redactor: Redactor): APIErrorDetails | undefined {
  let parsed: unknown;
  try {
    // Inside the `try`: a body above V8's longest string (with a raised `maxBodyBytes`) throws here too.
    parsed = JSON.parse(decodeUtf8(body));
  } catch {
    return undefined;
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { message, type, param, code } = error as Record<string, unknown>;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? quoteServerText(redactor.text(value)) : undefined);
  return { message: text(message), type: text(type), param: text(param) ?? null, code: text(code) ?? null };
}
