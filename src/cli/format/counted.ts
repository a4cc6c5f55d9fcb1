import { formatCount } from './formatCount';

/**
 * A count and its noun, in the singular for one: `1 completion`, `12,345 completions`.
 *
 * @param n A count.
 * @param one The noun for one.
 * @param many The noun for any other count.
 * @returns The text.
 */
export function counted(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
