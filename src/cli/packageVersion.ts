import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The version of the installed package, from its `package.json`, which npm
 * always ships: two folders up from this file, whether it runs from `src/cli`
 * or from `dist/cli`.
 *
 * @returns The `version` field, e.g. `0.1.0`.
 * @throws {Error} when `package.json` cannot be read or has no string `version`.
 */
export function packageVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const version = typeof manifest === 'object' && manifest !== null ? (manifest as { version?: unknown }).version : undefined;
  if (typeof version !== 'string') throw new Error('package.json has no string `version`');
  return version;
}
