import { setTimeout as delay } from 'node:timers/promises';

/** What {@link closeWithin} closes: an undici dispatcher, or anything that can close gently or at once. */
export interface Closable {
  close(): Promise<unknown>;
  destroy(): Promise<unknown>;
}

/**
 * Closes `target` gently, waiting at most `graceMs` for what is in flight; then
 * destroys it, waiting at most `graceMs` again. A connection that never
 * answers (a proxy silent after CONNECT) would otherwise hold `close()` for
 * as long as undici's own timeouts, five minutes: the command has its
 * outcome already, and must not wait on the cleanup.
 *
 * @param target The dispatcher.
 * @param graceMs How long each step may take.
 * @returns Once closed or destroyed, or once both steps ran out of time.
 */
export async function closeWithin(target: Closable, graceMs: number): Promise<void> {
  if (await settlesWithin(target.close(), graceMs)) return;
  await settlesWithin(target.destroy(), graceMs);
}

/** Whether `promise` settled within `ms`; the timer does not keep the process alive. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const timeout = new AbortController();
  const settled = promise.then(
    () => true,
    () => true,
  );
  const late = delay(ms, false, { ref: false, signal: timeout.signal }).catch(() => false);
  try {
    return await Promise.race([settled, late]);
  } finally {
    timeout.abort();
  }
}
