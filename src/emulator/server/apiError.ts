/**
 * An error the emulator answers with, in the API's envelope:
 * `{"error":{"message":…,"type":…,"param":…,"code":…}}`.
 *
 * Handlers throw it; the request dispatcher is the one place that turns it into a response.
 */
export class APIError extends Error {
  /**
   * @param status the HTTP status.
   * @param message a human-readable message (never containing a credential).
   * @param type the envelope's `type`, e.g. `invalid_request_error`.
   * @param param the request parameter at fault, or `null`.
   * @param code the envelope's `code`, or `null`.
   * @param headers extra response headers, e.g. `allow` on a 405.
   */
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null,
    readonly code: string | null,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'APIError';
  }

  /** The JSON bytes of the envelope. */
  body(): Buffer {
    return Buffer.from(JSON.stringify({ error: { message: this.message, type: this.type, param: this.param, code: this.code } }));
  }
}

/**
 * A 400 for a bad request parameter.
 *
 * @param param the parameter at fault, or `null` for the body as a whole.
 * @param message what was wrong, quoting the value received.
 * @returns the error to throw.
 */
export function invalidRequest(param: string | null, message: string): APIError {
  return new APIError(400, message, 'invalid_request_error', param, null);
}

/**
 * A 404 for an id that names nothing.
 *
 * @param param the parameter that carried the id (`after`), or `null` for a path segment.
 * @param message which id was not found.
 * @returns the error to throw.
 */
export function notFound(param: string | null, message: string): APIError {
  return new APIError(404, message, 'invalid_request_error', param, 'not_found');
}

/**
 * How the API names a JSON value's type in its messages: `a string`, `an integer`, `null`….
 *
 * @param value a parsed JSON value.
 * @returns the phrase.
 */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'boolean') return 'a boolean';
  return `a ${typeof value}`;
}
