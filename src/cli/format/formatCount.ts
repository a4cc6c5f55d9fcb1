/**
 * A count with thousands separators, `12,345`, the same wherever the CLI runs
 * (the locale is fixed: reports must not depend on the machine).
 *
 * @param n A count.
 * @returns Its text.
 */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
