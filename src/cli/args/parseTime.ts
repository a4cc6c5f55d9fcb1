/** How many seconds each span unit of {@link parseTime} stands for. */
const SPAN_UNIT_SECONDS = { m: 60, h: 3_600, d: 86_400 } as const;

const UNIX_SECONDS = /^\d{1,12}$/;
const SPAN = /^(\d{1,9})([mhd])$/;
/** `YYYY-MM-DD`, optionally `THH:MM[:SS[.fff]]`, optionally a zone (`Z`, `±HH:MM`, `±HHMM`). */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** What {@link parseTime} accepts, for its error message and `--help`. */
export const TIME_FORMS = 'an ISO 8601 date or date-time (2026-11-01, 2026-11-01T12:00:00Z), unix seconds, or a span back from now (90m, 24h, 7d)';

/**
 * Reads a point in time as `--since` and `--until` take it, in Unix seconds:
 *
 * - an ISO 8601 date (`2026-11-01`, midnight UTC) or date-time
 *   (`2026-11-01T12:00:00Z`, `2026-11-01T12:00+02:00`); a date-time without a
 *   zone is UTC, as every date the CLI prints;
 * - unix seconds (`1761955200`), as in a completion's `created`;
 * - a span back from `nowMs`: minutes, hours or days (`90m`, `24h`, `7d`).
 *
 * Dates that do not exist (`2026-02-30`, `25:00`) are refused rather than
 * rolled over into the next month or day. Every year of four digits is
 * taken as written, `0000` to `0099` included. A span may reach further back
 * than a JavaScript `Date` (`999999999d`): it is a number of seconds all the
 * same, before every completion.
 *
 * ## Example
 * ```ts
 * parseTime('7d', Date.parse('2026-11-08T00:00:00Z')); // 1761955200, 2026-11-01T00:00:00Z
 * ```
 *
 * @param text The flag's value.
 * @param nowMs The clock, in milliseconds, for spans.
 * @returns Unix seconds, possibly fractional; `undefined` when `text` is none of the forms.
 */
export function parseTime(text: string, nowMs: number): number | undefined {
  if (UNIX_SECONDS.test(text)) return Number(text);
  const span = SPAN.exec(text);
  if (span !== null) {
    const unit = span[2] as keyof typeof SPAN_UNIT_SECONDS;
    return nowMs / 1000 - Number(span[1]) * SPAN_UNIT_SECONDS[unit];
  }
  const iso = ISO.exec(text);
  if (iso === null) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = iso;
  const fields = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  // Not Date.UTC, which reads the years 0 to 99 as 1900 to 1999.
  const check = new Date(0);
  check.setUTCFullYear(fields[0], fields[1] - 1, fields[2]);
  check.setUTCHours(fields[3], fields[4], fields[5]);
  const utcMs = check.getTime();
  const exists =
    check.getUTCFullYear() === fields[0] &&
    check.getUTCMonth() === fields[1] - 1 &&
    check.getUTCDate() === fields[2] &&
    check.getUTCHours() === fields[3] &&
    check.getUTCMinutes() === fields[4] &&
    check.getUTCSeconds() === fields[5];
  const offset = zoneOffsetSeconds(zone);
  if (!exists || offset === undefined) return undefined;
  return utcMs / 1000 + Number(`0${fraction}`) - offset;
}

/** `Z` → 0, `+02:00` / `+0200` → 7200; `undefined` for an offset beyond 23:59. */
function zoneOffsetSeconds(zone: string): number | undefined {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes) * 60;
}
