import type { WatchCheckpoint } from '../../../client/WatchOptions';

const CHECKPOINTS = new WeakMap<object, WatchCheckpoint>();

/**
 * The checkpoint of a completion emitted by `watch()`: store it once the
 * completion is handled, and a watch given it back as `options.from` emits
 * every completion after this one, none twice, those stored while no watch
 * ran included.
 *
 * ## Example
 * ```ts no-run
 * client.chat.completions.watch({}, { from: load() }).subscribe((completion) => {
 *   handle(completion);
 *   save(watchCheckpoint(completion));
 * });
 * ```
 *
 * @param completion A completion emitted by `watch()`.
 * @returns Its checkpoint, plain JSON; `undefined` for an object `watch()` did not emit.
 * @see WatchOptions.from
 */
export function watchCheckpoint(completion: object): WatchCheckpoint | undefined {
  return CHECKPOINTS.get(completion);
}

/**
 * Records the checkpoint of an item `watch()` emits, for {@link watchCheckpoint}.
 *
 * @param item The item.
 * @param checkpoint Its checkpoint.
 * @returns The item.
 */
export function withCheckpoint<T extends object>(item: T, checkpoint: WatchCheckpoint): T {
  CHECKPOINTS.set(item, checkpoint);
  return item;
}
