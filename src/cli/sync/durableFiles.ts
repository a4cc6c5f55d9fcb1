import { open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes a file so that a reader, or the next run after a crash, sees either
 * its old content or the new one whole, never a part: the bytes go to
 * `PATH.tmp`, which is flushed to the disk (fsync) and renamed over `PATH`.
 * The rename itself is made durable by {@link syncDirectory} of its folder,
 * left to the caller so that one commit of many files flushes each folder once.
 *
 * @param path The file.
 * @param write Writes the content to the temporary file's handle.
 */
export async function writeDurably(path: string, write: (handle: FileHandle) => Promise<void>): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await write(handle);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

/**
 * Flushes a folder's entries (a rename, a new file) to the disk: on Linux a
 * rename is durable only once its folder is. Where a folder cannot be opened
 * for that (Windows), this is a no-op.
 *
 * @param path The folder.
 */
export async function syncDirectory(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EISDIR' || (error as { code?: unknown }).code === 'EPERM') return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems refuse to fsync a folder; their renames are as durable as they get.
    if (!['EINVAL', 'EBADF', 'EPERM'].includes(String((error as { code?: unknown }).code))) throw error;
  } finally {
    await handle.close();
  }
}

/**
 * @param paths Files just renamed into place.
 * @returns Their folders, each once.
 */
export function foldersOf(paths: readonly string[]): string[] {
  return [...new Set(paths.map((path) => dirname(path)))];
}
