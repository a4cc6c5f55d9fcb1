import { randomBytes } from 'node:crypto';
import { readFile, rename, unlink, utimes, writeFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { CommandFailure } from '../CommandFailure';

/** What a lock file holds: who holds it, and a nonce that tells two holders apart. */
interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
  readonly nonce: string;
}

/**
 * The lock of an archive: one sync at a time per folder. A file created
 * exclusively (`O_EXCL`), holding the owner's pid and host, whose modification
 * time the owner renews every `heartbeatMs`.
 *
 * A lock left by a run that was killed (SIGKILL, a power cut) is taken over
 * when it is stale: its process is gone (same host), or it has not been
 * renewed for `staleMs` (another host, or a pid reused since). The take-over
 * renames the stale file aside first, so that of two runs racing for it only
 * one succeeds.
 */
export class SyncLock {
  private heartbeat: NodeJS.Timeout | undefined;

  private constructor(
    private readonly path: string,
    private readonly owner: LockOwner,
  ) {}

  /**
   * Takes the lock, or refuses clearly.
   *
   * @param path The lock file.
   * @param now The clock, in milliseconds.
   * @param heartbeatMs How often the owner renews the lock.
   * @param staleMs How old a lock must be, unrenewed, to be taken over.
   * @returns The lock, renewed until {@link SyncLock.release}.
   * @throws {CommandFailure} when another live sync holds it.
   */
  static async acquire(path: string, now: () => number, heartbeatMs: number, staleMs: number): Promise<SyncLock> {
    const owner: LockOwner = { pid: process.pid, host: hostname(), started: new Date(now()).toISOString(), nonce: randomBytes(8).toString('hex') };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await writeFile(path, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
        const lock = new SyncLock(path, owner);
        lock.heartbeat = setInterval(() => void utimes(path, new Date(), new Date()).catch(() => undefined), heartbeatMs);
        lock.heartbeat.unref();
        return lock;
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
      }
      const held = await readOwner(path);
      if (held === undefined) continue; // released meanwhile
      if (!(await isStale(path, held.owner, now, staleMs))) {
        throw new CommandFailure(
          `Another sync holds ${path}: process ${held.owner.pid} on ${held.owner.host}, started ${held.owner.started}. ` +
            'Two syncs into one folder would write the same completions twice; wait for it to finish. ' +
            `If no sync is running there, delete ${path}.`,
        );
      }
      // Aside first, under a name of our own: of two runs that found it stale, one rename fails.
      const aside = `${path}.stale-${owner.nonce}`;
      try {
        await rename(path, aside);
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ENOENT') continue;
        throw error;
      }
      const taken = await readOwner(aside);
      if (taken?.text !== held.text) {
        // Another run took it over between our read and our rename: give its lock back.
        await rename(aside, path);
        continue;
      }
      await unlink(aside);
    }
    throw new CommandFailure(`Could not take the lock ${path}: other runs keep taking it`);
  }

  /** Stops renewing the lock and removes it, if it is still ours. */
  async release(): Promise<void> {
    clearInterval(this.heartbeat);
    const held = await readOwner(this.path);
    if (held?.owner.nonce === this.owner.nonce) await unlink(this.path).catch(() => undefined);
  }
}

async function readOwner(path: string): Promise<{ readonly owner: LockOwner; readonly text: string } | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.nonce === 'string') {
      return { owner: { pid: value.pid, host: value.host, started: String(value.started), nonce: value.nonce }, text };
    }
  } catch {
    // A lock cut short by a crash between its creation and its write: its age decides.
  }
  return { owner: { pid: 0, host: '', started: 'at an unknown time', nonce: '' }, text };
}

async function isStale(path: string, owner: LockOwner, now: () => number, staleMs: number): Promise<boolean> {
  if (owner.host === hostname() && owner.pid > 0 && !isAlive(owner.pid)) return true;
  const { mtimeMs } = await stat(path).catch(() => ({ mtimeMs: now() }));
  return now() - mtimeMs > staleMs;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}
