import { DEFAULTS } from '../../defaults';
import type { ListParams } from '../../resources/chat/completions/ListParams';
import { UsageError } from '../UsageError';
import type { OptionSpecs, ParsedOptions } from './parseOptions';

/** The list parameters of the API, and `--max`. */
export const LIST_OPTIONS: OptionSpecs = {
  model: { type: 'string', value: 'MODEL', help: 'Only completions of this model' },
  metadata: {
    type: 'string',
    multiple: true,
    value: 'KEY=VALUE',
    help: 'Only completions whose metadata has KEY=VALUE; repeatable, all must match',
  },
  order: { type: 'string', value: 'asc|desc', help: 'Oldest first (asc, the default) or newest first (desc), by created' },
  limit: { type: 'string', value: 'N', help: `Page size, 1 to 100 (default ${DEFAULTS.pageLimit})` },
  after: { type: 'string', value: 'ID', help: 'Start after the completion with this id' },
  max: { type: 'string', value: 'N', help: 'Stop after N completions (default: all)' },
};

/** The list parameters and the item cap of a walk. */
export interface WalkParams {
  readonly params: ListParams;
  /** Stop after this many items; `undefined` for all. */
  readonly max: number | undefined;
}

/**
 * Reads {@link LIST_OPTIONS}, checking each value with a message that names the flag.
 *
 * @param options The parsed command line.
 * @returns The list parameters and `--max`.
 * @throws {UsageError} for a bad value.
 */
export function readWalkParams(options: ParsedOptions): WalkParams {
  // Without a prototype, so that any key is an own pair, `__proto__` included.
  const metadata = Object.create(null) as Record<string, string>;
  for (const pair of options.strings('metadata')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) options.fail('metadata', 'KEY=VALUE with a non-empty KEY', pair);
    const key = pair.slice(0, equals);
    if (Object.prototype.hasOwnProperty.call(metadata, key)) {
      throw new UsageError(`\`--metadata\` gives the key ${JSON.stringify(key)} twice; a completion has one value per key`);
    }
    metadata[key] = pair.slice(equals + 1);
  }
  const params: ListParams = {
    model: options.string('model'),
    order: options.choice('order', ['asc', 'desc'] as const),
    limit: options.integer('limit', 1, 100),
    after: options.string('after'),
    metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
  };
  return { params, max: options.integer('max', 1) };
}
