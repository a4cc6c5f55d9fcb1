import type { ChatCompletion } from '../../codecs';
import { isoSeconds } from '../format/isoSeconds';

/** The fields of a completion that `stats` reads. */
export type StatsInput = Pick<ChatCompletion, 'created' | 'model' | 'metadata' | 'usage'>;

/**
 * Running totals over a stream of completions. It holds counters only, one
 * per distinct model and metadata value, never an item: memory depends on how
 * varied the completions are, not on how many there are.
 */
export interface StatsAccumulator {
  count: number;
  readonly models: Map<string, number>;
  /** Per metadata key: how many items carry it, and how many carry each value. */
  readonly metadata: Map<string, { items: number; readonly values: Map<string, number> }>;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Unix seconds; `undefined` until the first item with a valid `created`. */
  firstCreated: number | undefined;
  lastCreated: number | undefined;
  /** Items whose `created` no date can hold (out of range, not finite): counted here, not in the range. */
  invalidCreated: number;
  /** Per UTC day (days since 1970-01-01) that has completions: how many, and their total tokens by model. */
  readonly days: Map<number, { count: number; readonly tokens: Map<string, number> }>;
}

/**
 * A fresh accumulator for {@link addToStats}. Create one per walk: the
 * accumulator is mutated in place, so sharing one between walks would mix them.
 *
 * @returns Zero counts.
 */
export function emptyStats(): StatsAccumulator {
  return {
    count: 0,
    models: new Map(),
    metadata: new Map(),
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    firstCreated: undefined,
    lastCreated: undefined,
    invalidCreated: 0,
    days: new Map(),
  };
}

/**
 * Counts one completion: a reducer for rxjs `reduce`, which mutates and
 * returns `stats` (a copy per item of maps of counters would make a long
 * walk quadratic).
 *
 * Items without `usage` add no tokens; items with `metadata: null` or `{}`
 * count under no key. `first` and `last` are the earliest and latest `created`,
 * whatever the order of the walk; a `created` that no date can hold is
 * counted in `invalidCreated` instead, never a crash.
 *
 * ## Example
 * ```ts
 * import { defer, reduce } from 'rxjs';
 * const stats$ = defer(() => client.chat.completions.list().pipe(reduce(addToStats, emptyStats())));
 * ```
 *
 * @param stats The accumulator, from {@link emptyStats}.
 * @param item A completion.
 * @returns `stats`, updated.
 */
export function addToStats(stats: StatsAccumulator, item: StatsInput): StatsAccumulator {
  stats.count += 1;
  increment(stats.models, item.model);
  for (const [key, value] of Object.entries(item.metadata ?? {})) {
    let entry = stats.metadata.get(key);
    if (entry === undefined) {
      entry = { items: 0, values: new Map() };
      stats.metadata.set(key, entry);
    }
    entry.items += 1;
    increment(entry.values, value);
  }
  if (item.usage) {
    stats.promptTokens += item.usage.prompt_tokens;
    stats.completionTokens += item.usage.completion_tokens;
    stats.totalTokens += item.usage.total_tokens;
  }
  if (isoSeconds(item.created) === undefined) {
    stats.invalidCreated += 1;
    return stats;
  }
  if (stats.firstCreated === undefined || item.created < stats.firstCreated) stats.firstCreated = item.created;
  if (stats.lastCreated === undefined || item.created > stats.lastCreated) stats.lastCreated = item.created;
  const day = Math.floor(item.created / SECONDS_PER_DAY);
  let daily = stats.days.get(day);
  if (daily === undefined) {
    daily = { count: 0, tokens: new Map() };
    stats.days.set(day, daily);
  }
  daily.count += 1;
  increment(daily.tokens, item.model, item.usage?.total_tokens ?? 0);
  return stats;
}

const SECONDS_PER_DAY = 86_400;

function increment(counts: Map<string, number>, key: string, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

/** A value and how many items have it. */
export interface Tally {
  readonly value: string;
  readonly count: number;
}

/** The most frequent entries of a tally, and what the cut left out. */
export interface TopTallies {
  /** At most `top` entries, most frequent first, ties by value. */
  readonly top: readonly Tally[];
  /** How many distinct values were left out. */
  readonly otherValues: number;
  /** How many items have one of the values left out. */
  readonly otherCount: number;
}

/** What `stats` reports: plain data, the shape of `--json`. */
export interface StatsSummary {
  readonly count: number;
  readonly created: {
    /** The earliest `created`, as an ISO date; `null` when there is no item. */
    readonly first: string | null;
    /** The latest `created`, as an ISO date; `null` when there is no item. */
    readonly last: string | null;
    /** Items whose `created` is out of the range of dates, left out of `first` and `last`. */
    readonly invalid: number;
  };
  readonly tokens: { readonly prompt: number; readonly completion: number; readonly total: number };
  readonly models: TopTallies;
  /** One entry per metadata key, by key; `items` counts the items that carry the key. */
  readonly metadata: ReadonlyArray<{ readonly key: string; readonly items: number } & TopTallies>;
  /** One entry per UTC day that has completions, oldest first: how many, and their total tokens by model. */
  readonly days: readonly DailyFigures[];
}

/** A UTC day of a {@link StatsSummary}. */
export interface DailyFigures {
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly completions: number;
  /** Total tokens of the day's completions, by model; a completion without usage counts 0. */
  readonly tokens: Readonly<Record<string, number>>;
}

/**
 * Turns an accumulator into the report: dates as ISO strings, models and the
 * values of each metadata key cut to the `top` most frequent.
 *
 * @param stats The accumulator after the walk.
 * @param top How many models, and values per metadata key, to keep (≥ 1).
 * @returns The summary.
 */
export function summarizeStats(stats: StatsAccumulator, top: number): StatsSummary {
  return {
    count: stats.count,
    created: { first: isoDate(stats.firstCreated), last: isoDate(stats.lastCreated), invalid: stats.invalidCreated },
    tokens: { prompt: stats.promptTokens, completion: stats.completionTokens, total: stats.totalTokens },
    models: topTallies(stats.models, top),
    metadata: [...stats.metadata.entries()]
      .sort(([a], [b]) => compareText(a, b))
      .map(([key, { items, values }]) => ({ key, items, ...topTallies(values, top) })),
    days: [...stats.days.entries()]
      .sort(([a], [b]) => a - b)
      .map(([day, { count, tokens }]) => ({ date: utcDate(day), completions: count, tokens: Object.fromEntries(tokens) })),
  };
}

/**
 * A day's date.
 *
 * @param day Days since 1970-01-01, UTC.
 * @returns `YYYY-MM-DD`.
 */
export function utcDate(day: number): string {
  return new Date(day * SECONDS_PER_DAY * 1000).toISOString().slice(0, 10);
}

function topTallies(counts: ReadonlyMap<string, number>, top: number): TopTallies {
  const sorted = [...counts.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || compareText(a.value, b.value));
  const rest = sorted.slice(top);
  return { top: sorted.slice(0, top), otherValues: rest.length, otherCount: rest.reduce((sum, tally) => sum + tally.count, 0) };
}

/** Code-unit order, not the locale's: the report must not depend on where it runs. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isoDate(seconds: number | undefined): string | null {
  return seconds === undefined ? null : (isoSeconds(seconds) ?? null);
}
