/**
 * Formats a duration the way the API writes `x-ratelimit-reset-requests`: Go's `time.Duration`
 * notation at millisecond precision (`0s`, `20ms`, `1s`, `1.5s`, `6m0s`, `1h2m3.25s`).
 *
 * Fractions of a millisecond round up, so that a client waiting the stated time never comes back
 * early.
 *
 * @param ms a non-negative duration in milliseconds.
 * @returns the formatted duration.
 * @see https://pkg.go.dev/time#Duration.String
 */
export function formatDuration(ms: number): string {
  const whole = Math.ceil(ms);
  if (whole === 0) return '0s';
  if (whole < 1000) return `${whole}ms`;
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const millis = whole % 60_000;
  // Seconds keep their fraction, without trailing zeros: 1500 → "1.5", 60000 → "0".
  const seconds = String(Math.floor(millis / 1000)) + (millis % 1000 === 0 ? '' : `.${String(millis % 1000).padStart(3, '0').replace(/0+$/, '')}`);
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
