import type { ListParams } from '../../resources/chat/completions/ListParams';
import type { TimeWindow, TimeBound } from '../args/windowOptions';
import { formatCount } from './formatCount';
import { isoSeconds } from './isoSeconds';

/**
 * Says in words which completions a command's filters select, for the
 * question `delete` asks before it deletes: `every stored completion of model
 * gpt-4o-mini, with metadata user=42, created from 2026-11-01T00:00:00Z
 * (--since 7d), at most 10`. No filter at all reads `every stored completion`.
 *
 * Values are JSON-quoted, so that a value with spaces or control characters
 * shows as what it is.
 *
 * @param params The list filters (`after` included, page size ignored).
 * @param window `--since` and `--until`.
 * @param max `--max`.
 * @returns The description.
 */
export function describeSelection(params: ListParams, window: TimeWindow, max: number | undefined): string {
  const parts: string[] = [];
  if (params.model !== undefined) parts.push(`of model ${JSON.stringify(params.model)}`);
  const pairs = Object.entries(params.metadata ?? {}).map(([key, value]) => `${JSON.stringify(key)}=${JSON.stringify(value)}`);
  if (pairs.length > 0) parts.push(`with metadata ${pairs.join(' and ')}`);
  if (window.since !== undefined) parts.push(`created from ${when(window.since, 'since')}`);
  if (window.until !== undefined) parts.push(`created before ${when(window.until, 'until')}`);
  if (params.after !== undefined) parts.push(`after ${JSON.stringify(params.after)} in ${params.order ?? 'asc'} order`);
  if (max !== undefined) parts.push(`at most ${formatCount(max)}`);
  return ['every stored completion', ...parts].join(', ');
}

/** `2026-11-01T00:00:00Z (--since 7d)`; the flag alone for a time no date holds (`--since 999999999d`). */
function when(bound: TimeBound, flag: string): string {
  const iso = isoSeconds(bound.seconds);
  return iso === undefined ? `--${flag} ${bound.given}` : `${iso.slice(0, 19)}Z (--${flag} ${bound.given})`;
}
