import { DEFAULTS } from '../defaults';
import { checkRequestOptions } from '../internal/core/checkRequestOptions';
import { integerOfAtLeast } from '../internal/core/cursorList';
import { InvalidArgumentError } from '../errors';

/** Options of the bulk operators ({@link withMessages}, {@link deleteEach}, {@link updateEach}). */
export interface BulkOptions {
  /**
   * How many requests (message walks, deletes, updates) are in flight at once, across page
   * boundaries.
   *
   * @default DEFAULTS.bulk.concurrency
   */
  readonly concurrency?: number | undefined;
  /**
   * `false` (default): a completion whose request failed is reported as an outcome and the others
   * go on. `true`: the first failure ends the stream with its error, and the requests in flight are
   * cancelled.
   *
   * @default `false`
   */
  readonly failFast?: boolean | undefined;
  /**
   * Aborts the stream with an `AbortError`, cancelling the requests in flight.
   *
   * @default none
   */
  readonly signal?: AbortSignal | undefined;
}

/** {@link BulkOptions} with their defaults applied. */
export interface ResolvedBulkOptions {
  readonly concurrency: number;
  readonly failFast: boolean;
  readonly signal: AbortSignal | undefined;
}

/**
 * Applies the defaults and checks the client and the options, when the operator is created.
 *
 * @param client The operator's client, which must be one of `createClient`'s.
 * @param options The caller's options.
 * @returns The options with their defaults.
 * @throws {InvalidArgumentError} for a client that is not one, options that are not an object, a `concurrency` that is not an integer of at least 1, or a `failFast` that is not a boolean.
 */
export function resolveBulkOptions(client: unknown, options: BulkOptions): ResolvedBulkOptions {
  const completions = (client as { chat?: { completions?: unknown } } | null | undefined)?.chat?.completions;
  if (typeof completions !== 'object' || completions === null) {
    throw new InvalidArgumentError(`Expected \`client\` to be a client of createClient(), got ${client === null ? 'null' : typeof client}`);
  }
  checkRequestOptions(options);
  const concurrency = integerOfAtLeast('concurrency', options.concurrency ?? DEFAULTS.bulk.concurrency, 1);
  const failFast = options.failFast ?? false;
  if (typeof failFast !== 'boolean') throw new InvalidArgumentError(`Expected \`failFast\` to be a boolean, got ${String(failFast)}`);
  return { concurrency, failFast, signal: options.signal };
}
