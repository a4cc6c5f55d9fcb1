import { PassThrough } from 'node:stream';
import type { CliContext } from '../../src/cli/CliContext';
import { runCli } from '../../src/cli/runCli';

/** What an in-process run of the CLI left. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `rxsc` in process, with in-memory streams, an environment of its own (nothing of the test's
 * `process.env`) and a clock that starts now and moves 50 ms per reading.
 *
 * @param argv The arguments after `rxsc`.
 * @param options The environment, whether stderr claims to be a terminal, the width of the
 *   terminal stdout claims to be (none: not a terminal), the signal that stands for Ctrl-C (abort
 *   it with `'SIGINT'`) or SIGTERM, and a listener of stdout.
 * @returns The exit code and what was written.
 */
export async function runCliInMemory(
  argv: readonly string[],
  options: {
    readonly env?: Readonly<Record<string, string>>;
    readonly isTTY?: boolean;
    readonly stdoutColumns?: number;
    readonly signal?: AbortSignal;
    /** Told of all of stdout so far after each write, for commands that run until interrupted. */
    readonly onStdout?: (text: string) => void;
  } = {},
): Promise<CliRun> {
  const stdout = Object.assign(new PassThrough(), options.stdoutColumns === undefined ? {} : { isTTY: true, columns: options.stdoutColumns });
  const stderr = Object.assign(new PassThrough(), { isTTY: options.isTTY ?? false });
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    options.onStdout?.(out);
  });
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  let nowMs = Date.now();
  const context: CliContext = { stdout, stderr, env: options.env ?? {}, now: () => (nowMs += 50), signal: options.signal ?? new AbortController().signal };
  const code = await runCli(argv, context);
  return { code, stdout: out, stderr: err };
}
