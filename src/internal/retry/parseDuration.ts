const PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/**
 * Parses the API's duration format, as in `x-ratelimit-reset-requests`
 * (`20ms`, `1s`, `1.5s`, `6m0s`, `1h2m3s`), into milliseconds.
 *
 * @param text The header value.
 * @returns Milliseconds, or `undefined` when the text is not such a duration.
 */
export function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  let total = 0;
  let consumed = 0;
  for (const match of text.trim().matchAll(PART)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
    consumed += match[0].length;
  }
  return consumed > 0 && consumed === text.trim().length && Number.isFinite(total) ? total : undefined;
}
