import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The built CLI; `npm test` builds it first (`pretest`), a bare `npx jest` needs `npm run build`. */
export const MAIN = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');

if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` before these tests`);

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

/**
 * The environment of a child CLI: the test's, minus the variables that would
 * point it at a real API or through a proxy, plus `env`.
 */
export function childEnv(env: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const rest = Object.fromEntries(Object.entries(process.env).filter(([name]) => !OUTSIDE_VARIABLES.includes(name)));
  return { ...rest, ...env };
}

/**
 * Spawns `node dist/cli/main.js …args` without waiting for it.
 *
 * @param args The CLI's arguments.
 * @param env Variables added to {@link childEnv}.
 * @returns The child process.
 */
export function spawnRxsc(args: readonly string[], env: Readonly<Record<string, string>> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [MAIN, ...args], { env: childEnv(env) });
}

/**
 * Waits for a child CLI to exit, collecting its output.
 *
 * @param child A child from {@link spawnRxsc}.
 * @returns Its exit code or signal, stdout and stderr.
 */
export function finished(child: ChildProcessWithoutNullStreams): Promise<RxscRun> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * Runs the CLI to its end.
 *
 * @param args The CLI's arguments.
 * @param env Variables added to {@link childEnv}.
 * @returns Its exit code, stdout and stderr.
 */
export function runRxsc(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<RxscRun> {
  return finished(spawnRxsc(args, env));
}
