import { InvalidArgumentError } from '../../errors';

/**
 * Checks the `options` argument of a public method before anything reads it:
 * `null` or a number in its place would otherwise throw a raw `TypeError`.
 * (`signal` is checked by `untilAborted`.)
 *
 * @param options The caller's options.
 * @throws {InvalidArgumentError} for anything but an object or `undefined`.
 */
export function checkRequestOptions(options: unknown): void {
  if (options === undefined || (typeof options === 'object' && options !== null && !Array.isArray(options))) return;
  throw new InvalidArgumentError(
    `Expected the options to be an object or undefined, got ${Array.isArray(options) ? 'an array' : String(options)}`,
  );
}
