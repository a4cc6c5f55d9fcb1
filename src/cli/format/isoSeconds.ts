/** The largest distance from the epoch a JavaScript `Date` holds, in milliseconds (ECMA-262 §21.4.1.22). */
const MAX_DATE_MS = 8.64e15;

/**
 * A Unix time in seconds as an ISO date, or `undefined` when no `Date` can
 * hold it: a server may send any number as `created`, and
 * `new Date(…).toISOString()` throws a `RangeError` for those.
 *
 * @param seconds Unix seconds.
 * @returns The ISO date, or `undefined` for a value out of range or not finite.
 */
export function isoSeconds(seconds: number): string | undefined {
  const ms = seconds * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString() : undefined;
}
