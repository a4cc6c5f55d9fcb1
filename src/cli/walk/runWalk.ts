import { setMaxListeners } from 'node:events';
import { lastValueFrom, type Observable } from 'rxjs';
import type { Client } from '../../client/createClient';
import type { ConnectionSettings } from '../args/connectionOptions';
import { CLI_DEFAULTS, EXIT } from '../cliDefaults';
import type { CommandContext } from '../Command';
import { CommandFailure } from '../CommandFailure';
import { explainError } from '../explainError';
import { WalkProgress } from '../progress/WalkProgress';
import { connect } from './connect';
import type { RetryEvent } from '../../client/RetryOptions';
import { APIConnectionError } from '../../errors';
import { connectionCode } from '../progress/connectionCode';

/** How a walk ended, when it did not fail. */
export type WalkOutcome<T> =
  | { readonly interrupted: false; readonly last: T | undefined; readonly progress: WalkProgress }
  | { readonly interrupted: true; readonly exitCode: number; readonly progress: WalkProgress };

/**
 * Runs the walk of `export` or `stats`: connects, subscribes, draws the
 * progress line on a terminal, and cleans up whatever happens.
 *
 * An interrupt (the context's signal) reaches the stream as its `signal`:
 * the client then aborts the request in flight and the stream errors, which
 * unsubscribes everything; the outcome says so, with the exit code of the
 * signal, and the command finishes what it wrote.
 *
 * @param context The CLI's edges and the status line.
 * @param settings Where to connect.
 * @param walk Builds the stream from the client, the progress counters (to
 *   count pages and items) and the signal to pass to the client.
 * @param countsPages Whether the progress shows pages (`delete` and `tag` walk with list(): completions only).
 * @returns The last value of the stream, or the interruption.
 * @throws {CommandFailure} with an explanation, when the walk fails.
 */
export async function runWalk<T>(
  context: CommandContext,
  settings: ConnectionSettings,
  walk: (client: Client, progress: WalkProgress, signal: AbortSignal) => Observable<T>,
  countsPages = true,
): Promise<WalkOutcome<T>> {
  const log = context.status === undefined ? (line: string) => void context.stderr.write(line) : undefined;
  const { progressIntervalMs, retryLogIntervalMs } = CLI_DEFAULTS;
  const progress = new WalkProgress(context.status, context.now, progressIntervalMs, log, retryLogIntervalMs, countsPages);
  // Refused connections before any answer: see CLI_DEFAULTS.refusedBeforeAnswerMs.
  const giveUp = new AbortController();
  let refusedMs = 0;
  let refusal: unknown;
  let answered = false;
  const onRetry = (event: RetryEvent): void => {
    progress.retry(event);
    const refused = event.error instanceof APIConnectionError && connectionCode(event.error) === 'ECONNREFUSED';
    answered ||= !refused || progress.pages > 0 || progress.items > 0;
    if (answered) return;
    if (refusedMs + event.delayMs > CLI_DEFAULTS.refusedBeforeAnswerMs) {
      refusal = event.error;
      giveUp.abort();
      return;
    }
    refusedMs += event.delayMs;
  };
  const connection = await connect(settings, context.env, onRetry);
  try {
    const signal = AbortSignal.any([context.signal, giveUp.signal]);
    // Each request in flight listens to it, up to `--concurrency` (100) of them: no leak to warn of past ten.
    setMaxListeners(0, signal);
    const last = await lastValueFrom(walk(connection.client, progress, signal), { defaultValue: undefined });
    return { interrupted: false, last, progress };
  } catch (error) {
    if (context.signal.aborted) return { interrupted: true, exitCode: interruptExitCode(context.signal), progress };
    if (refusal !== undefined) {
      const tries = `${progress.retries} attempts and ${(refusedMs / 1000).toFixed(1)} s of waits`;
      throw new CommandFailure(`${explainError(refusal, connection)}; gave up after ${tries}, as nothing ever answered there`, { cause: refusal });
    }
    throw new CommandFailure(explainError(error, connection), { cause: error });
  } finally {
    progress.finish();
    await connection.close();
  }
}

/**
 * The exit code for an interrupt: 128 plus the signal's number, as shells report it.
 *
 * @param signal The aborted signal of the context.
 * @returns 143 for SIGTERM, else 130 (SIGINT).
 */
export function interruptExitCode(signal: AbortSignal): number {
  return signal.reason === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}

/**
 * The `prefetch` of a command's walk: a page ahead for a full walk, which is
 * faster; none under `--max`, so the walk sends only the requests it needs.
 *
 * @param max The `--max` flag, if given.
 * @returns The prefetch, in pages.
 */
export function fullWalkPrefetch(max: number | undefined): number {
  return max === undefined ? 1 : 0;
}
