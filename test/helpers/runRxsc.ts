import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The built CLI; `npm test` builds it first (`pretest`), a bare `npx jest` needs `npm run build`. */
export const MAIN = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');

if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` before these tests`);

/**
 * How long a child may run before {@link finished} kills it and fails: the test's own bound, inside
 * jest's 30 s, so that a hang fails with the command that hung rather than with jest's timeout.
 */
export const CHILD_TIMEOUT_MS = 20_000;

/** What a finished run of the CLI left. */
export interface RxscRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Variables that would point a child CLI at a real API (OpenAI's, Azure's) or through a proxy. */
const OUTSIDE_VARIABLES = [
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'AZURE_OPENAI_ENDPOINT',
  'AZURE_OPENAI_API_KEY',
  'OPENAI_API_VERSION',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];

/** Children not yet exited: killed after each test, so that none outlives the test that started it. */
const running = new Set<ChildProcessWithoutNullStreams>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

/**
 * The environment of a child CLI: the test's, minus the variables that would
 * point it at a real API or through a proxy, plus `env`.
 */
export function childEnv(env: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const rest = Object.fromEntries(Object.entries(process.env).filter(([name]) => !OUTSIDE_VARIABLES.includes(name)));
  return { ...rest, ...env };
}

/**
 * Spawns `node dist/cli/main.js …args` without waiting for it. Its stdin is closed at once, so a
 * prompt reads the end of its input rather than waiting; it is killed at the end of the test.
 *
 * @param args The CLI's arguments.
 * @param env Variables added to {@link childEnv}.
 * @returns The child process.
 */
export function spawnRxsc(args: readonly string[], env: Readonly<Record<string, string>> = {}): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [MAIN, ...args], { env: childEnv(env) });
  child.stdin.end();
  running.add(child);
  child.on('exit', () => running.delete(child));
  return child;
}

/**
 * Waits for a child to exit, collecting its output; kills it if it runs longer than `timeoutMs`.
 *
 * @param child A child from {@link spawnRxsc} (or any child with piped stdout and stderr).
 * @param timeoutMs How long it may run; past it the child is killed and the promise rejects.
 * @returns Its exit code or signal, stdout and stderr.
 */
export function finished(child: ChildProcessWithoutNullStreams, timeoutMs = CHILD_TIMEOUT_MS): Promise<RxscRun> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${child.spawnargs.slice(1).join(' ')} still ran after ${timeoutMs} ms: killed\n--- stderr\n${stderr}\n--- stdout\n${stdout.slice(0, 4000)}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Runs the CLI to its end, within {@link CHILD_TIMEOUT_MS}.
 *
 * @param args The CLI's arguments.
 * @param env Variables added to {@link childEnv}.
 * @returns Its exit code, stdout and stderr.
 */
export function runRxsc(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<RxscRun> {
  return finished(spawnRxsc(args, env));
}
