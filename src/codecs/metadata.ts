import * as t from 'io-ts';

/**
 * Up to 16 string key-value pairs attached to a stored completion, or `null`.
 *
 * Accepts `{}` and `null` alike, as the API sends both for "no metadata". Values
 * must be strings: the API enforces that on write, and filters compare them as
 * strings. Keys are not counted or length-checked; limits are the server's job.
 *
 * @see Metadata (components.schemas.Metadata in stored-completions.yaml)
 */
export const Metadata = t.union([t.record(t.string, t.string), t.null], 'Metadata');
/** What {@link Metadata} decodes to. */
export type Metadata = t.TypeOf<typeof Metadata>;
