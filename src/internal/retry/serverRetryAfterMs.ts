/**
 * The wait a response asks for, in milliseconds, or `undefined` when it asks
 * for none: `retry-after-ms` first (OpenAI's own, precise header), then
 * `retry-after` as seconds or as an HTTP date (RFC 9110 §10.2.3).
 *
 * @param headers Lower-cased response headers.
 * @param nowMs The current time, for HTTP dates.
 * @returns The wait in milliseconds, never negative, or `undefined`.
 */
export function serverRetryAfterMs(headers: Readonly<Record<string, string>>, nowMs: number): number | undefined {
  const ms = parseNumber(headers['retry-after-ms']);
  if (ms !== undefined) return ms;
  const retryAfter = headers['retry-after'];
  if (retryAfter === undefined) return undefined;
  const seconds = parseNumber(retryAfter);
  if (seconds !== undefined) return seconds * 1000;
  if (!HTTP_DATE.test(retryAfter.trim())) return undefined;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * An IMF-fixdate, the HTTP-date form servers must send (RFC 9110 §5.6.7):
 * `Sun, 06 Nov 1994 08:49:37 GMT`. Checked before `Date.parse`, which would
 * read almost anything, `-5` included, as some date.
 */
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * A plain decimal, as RFC 9110 writes delay-seconds: `Number` alone would
 * also read `0x1`, `1e3` and `Infinity`, which no server means as a delay.
 */
const DECIMAL = /^\d+(?:\.\d+)?$/;

function parseNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  return DECIMAL.test(text) ? Number(text) : undefined;
}
