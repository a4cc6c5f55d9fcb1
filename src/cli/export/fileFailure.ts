import { dirname } from 'node:path';
import { CommandFailure } from '../CommandFailure';

/** Why a file could not be opened, read or written, by its system error code. */
const REASONS: Readonly<Record<string, (path: string) => string>> = {
  ENOENT: (path) => `no such file or directory (is ${dirname(path)} there?)`,
  EACCES: () => 'permission denied',
  EPERM: () => 'operation not permitted',
  EISDIR: () => 'it is a directory',
  ENOTDIR: (path) => `a part of ${dirname(path)} is not a directory`,
  ENOSPC: () => 'no space left on the device',
  EDQUOT: () => 'the disk quota is exceeded',
  EROFS: () => 'the file system is read-only',
  EMFILE: () => 'too many open files',
  ENAMETOOLONG: () => 'the name is too long',
};

/**
 * The failure for a file a flag named, in the user's terms: which flag, which
 * file (the flag's own, or the record beside it) and why, rather than Node's
 * `ENOENT: no such file or directory, open '…'`. An error that is not a file
 * system error is returned as it is.
 *
 * @param error What opening, reading or writing the file threw.
 * @param action `write` or `read`.
 * @param flag The flag and its value as given, e.g. `--out x.jsonl`.
 * @param file The file it failed on, when it is not the flag's own (the record `x.jsonl.rxsc.json`).
 * @returns A {@link CommandFailure} with `error` as its cause, or `error`.
 */
export function fileFailure(error: unknown, action: 'read' | 'write', flag: string, file?: string): unknown {
  const { code, path } = error as { code?: unknown; path?: unknown };
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return error;
  const failedPath = typeof path === 'string' ? path : (file ?? flag);
  const why = REASONS[code]?.(failedPath) ?? (error instanceof Error ? error.message : code);
  const what = file === undefined ? `\`${flag}\`` : `${file}, the record of \`${flag}\``;
  return new CommandFailure(`Could not ${action} ${what}: ${why} (${code})`, { cause: error });
}
