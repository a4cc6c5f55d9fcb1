import { InvalidArgumentError } from '../../errors';
import type { CreatedWindow } from '../../bulk/createdWithin';

/**
 * The decision {@link createdWithin} makes for each completion, as a function of its `created`:
 * keep it (inside `[since, until)`), skip it, or stop, because in `order` every completion after
 * it is outside the window too (in `desc`, the first one created before `since`; in `asc`, the
 * first one at or after `until`). Without an `order` it never stops. For walks that select a page
 * at a time, such as the CLI's export.
 *
 * @param window `since` and `until`, each a `Date` or Unix seconds, each optional.
 * @param order The order of the list; without it, no stop.
 * @returns The decision for a completion's `created`, in Unix seconds.
 * @throws {InvalidArgumentError} for a window that is not an object, an invalid date or order, or `since` after `until`.
 */
export function createdWindowStep(window: CreatedWindow, order?: 'asc' | 'desc'): (created: number) => 'keep' | 'skip' | 'stop' {
  if (typeof window !== 'object' || window === null) {
    throw new InvalidArgumentError(`Expected the window to be an object of \`since\` and \`until\`, got ${String(window)}`);
  }
  const sinceMs = instantMs('since', window.since, -Infinity);
  const untilMs = instantMs('until', window.until, Infinity);
  if (sinceMs > untilMs) {
    throw new InvalidArgumentError(`Expected \`since\` to be at or before \`until\`, got ${String(window.since)} and ${String(window.until)}`);
  }
  if (order !== undefined && order !== 'asc' && order !== 'desc') {
    throw new InvalidArgumentError(`Expected \`order\` to be 'asc' or 'desc', got ${JSON.stringify(order)}`);
  }
  return (created) => {
    const beforeSince = created * 1000 < sinceMs;
    const atOrAfterUntil = created * 1000 >= untilMs;
    if ((order === 'desc' && beforeSince) || (order === 'asc' && atOrAfterUntil)) return 'stop';
    return beforeSince || atOrAfterUntil ? 'skip' : 'keep';
  };
}

function instantMs(name: string, value: Date | number | undefined, open: number): number {
  if (value === undefined) return open;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value * 1000 : NaN;
  if (!Number.isFinite(ms)) {
    throw new InvalidArgumentError(`Expected \`${name}\` to be a valid Date or a finite number of Unix seconds, got ${String(value)}`);
  }
  return ms;
}
