import { checkedOperator } from '../internal/core/checkedOperator';
import { defer, type Observable, type OperatorFunction } from 'rxjs';
import type { Client } from '../client/createClient';
import { untilAborted } from '../internal/core/untilAborted';
import type { ChatCompletion } from '../codecs/chatCompletion';
import { InvalidArgumentError } from '../errors';
import { METADATA_LIMITS } from '../internal/metadata/metadataLimits';
import { validateMetadata } from '../internal/metadata/validateMetadata';
import { resolveBulkOptions, type BulkOptions } from './BulkOptions';
import { bulkOutcome, failedOutcome, type BulkOutcome } from './BulkOutcome';
import { mergeEach } from '../internal/bulk/mergeEach';

/** A change of metadata: keys to set (added or replaced), keys to remove. */
export interface MetadataChange {
  /** Keys set to these values, over what the completion has. */
  readonly set?: Readonly<Record<string, string>> | undefined;
  /** Keys removed, if the completion has them. */
  readonly unset?: readonly string[] | undefined;
}

/**
 * Changes the metadata of every completion of the source and emits one {@link BulkOutcome} per
 * completion, in the order the updates finish: `done` with the updated completion, `gone`
 * (deleted since the list showed it) or `failed` (with `failFast`, the first failure ends the
 * stream instead).
 *
 * The API replaces a completion's metadata as a whole, so the new metadata is merged here, on the
 * client: the metadata the source item carries (as the list returned it), minus `unset`, plus
 * `set`. A completion whose merged metadata would exceed the API's 16 keys fails alone, before
 * anything is sent, with an `InvalidArgumentError` naming it. The merge is as fresh as the list:
 * a change made by someone else between the list and the update is overwritten.
 *
 * Updates go through the client (its gate, retries, validation). Over a `list()`, the walk is paced
 * to the updates (`process()` semantics): `concurrency` updates in flight across page boundaries,
 * memory of a few pages. Over any other source, items the source pushes faster than the updates go
 * wait in a queue.
 *
 * ## Example
 * ```ts
 * import { createClient, updateEach } from 'rx-stored-completions';
 * import { lastValueFrom, toArray } from 'rxjs';
 *
 * const client = createClient();
 * const outcomes = await lastValueFrom(
 *   client.chat.completions
 *     .list({ metadata: { env: 'staging' } })
 *     .pipe(updateEach(client, { set: { reviewed: 'yes' }, unset: ['draft'] }), toArray()),
 * );
 * ```
 *
 * @param client The client whose requests update.
 * @param change Keys to `set` and to `unset`; a key may not be in both, and `set` must be metadata the
 *   API would take (at most 16 keys of at most 64 characters, values of at most 512).
 * @param options `concurrency` (default 8), `failFast` (default `false`), `signal`.
 * @returns An operator from completions (anything with an `id` and `metadata`) to outcomes.
 * @throws {InvalidArgumentError} on subscribe, never at call: for an invalid change or invalid options.
 */
export function updateEach<T extends { readonly id: string; readonly metadata?: Readonly<Record<string, string>> | null | undefined }>(
  client: Client,
  change: MetadataChange,
  options: BulkOptions = {},
): OperatorFunction<T, BulkOutcome<ChatCompletion>> {
  return checkedOperator(() => {
    const { set, unset } = validateChange(change);
    const { concurrency, failFast, signal } = resolveBulkOptions(client, options);
    const updateOne = (item: T): Observable<BulkOutcome<ChatCompletion>> => {
      const metadata = Object.fromEntries([
        ...Object.entries(item.metadata ?? {}).filter(([key]) => !unset.has(key) && !Object.hasOwn(set, key)),
        ...Object.entries(set),
      ]);
      const keys = Object.keys(metadata).length;
      if (keys > METADATA_LIMITS.maxKeys) {
        const error = new InvalidArgumentError(
          `Updating the metadata of ${item.id} would give it ${keys} keys; the API allows at most ${METADATA_LIMITS.maxKeys}`,
        );
        return failedOutcome(item.id, error, failFast);
      }
      return bulkOutcome(
        item.id,
        defer(() => client.chat.completions.update(item.id, { metadata })),
        failFast,
      );
    };
    return (source) => defer(() => mergeEach(source, updateOne, concurrency)).pipe(untilAborted(signal));
  });
}

function validateChange(change: MetadataChange): { readonly set: Readonly<Record<string, string>>; readonly unset: ReadonlySet<string> } {
  if (typeof change !== 'object' || change === null || Array.isArray(change)) {
    throw new InvalidArgumentError(`Expected the change to be an object of \`set\` and \`unset\`, got ${String(change)}`);
  }
  const set = change.set ?? {};
  if (typeof set !== 'object' || set === null || Array.isArray(set) || !Object.values(set).every((value) => typeof value === 'string')) {
    throw new InvalidArgumentError(`Expected \`set\` to be an object of strings, got ${JSON.stringify(set)}`);
  }
  validateMetadata({ metadata: set });
  const unset = change.unset ?? [];
  if (!Array.isArray(unset) || !unset.every((key) => typeof key === 'string')) {
    throw new InvalidArgumentError(`Expected \`unset\` to be an array of strings, got ${JSON.stringify(unset)}`);
  }
  const both = unset.filter((key) => Object.hasOwn(set, key));
  if (both.length > 0) {
    throw new InvalidArgumentError(`Expected each key in \`set\` or in \`unset\`, not both; got ${JSON.stringify(both)} in both`);
  }
  return { set, unset: new Set(unset) };
}
