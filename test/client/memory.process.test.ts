/**
 * Bounded memory, in a child process with a bounded heap: the
 * built client (dist/) walks against a server whose body never ends, or is
 * 600 MB, and must fail with the typed error while its resident memory stays
 * bounded. A watchdog in the child stops it as soon as its memory passes
 * WATCHDOG_MB, which is how the unbounded client of before failed this test.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from '../helpers/runRxsc';
import { flood, startScriptedServer, type ScriptedServer } from '../helpers/scriptedServer';

const DIST = join(__dirname, '..', '..', 'dist', 'index.js');
if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run \`npm run build\` before these tests`);

const HEAP_MB = 64;
const WATCHDOG_MB = 512;
/** The default maxBodyBytes (32 MiB) held as chunks, on top of what Node and the library take at rest. */
const BOUND_MB = 256;

const CHILD = `
const { createClient, StoredCompletionsError } = require(${JSON.stringify(DIST)});
const { lastValueFrom } = require('rxjs');
let peak = 0;
const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
const watchdog = setInterval(() => {
  sample();
  if (peak > ${WATCHDOG_MB} * 2 ** 20) {
    console.log(JSON.stringify({ name: 'watchdog', peakMB: Math.round(peak / 2 ** 20) }));
    process.exit(3);
  }
}, 5);
const client = createClient({ baseURL: process.env.HOSTILE_URL, retry: { maxRetries: 2, initialDelayMs: 1 } });
lastValueFrom(client.chat.completions.list()).then(
  () => console.log(JSON.stringify({ name: 'completed' })),
  (error) => {
    clearInterval(watchdog);
    sample();
    console.log(JSON.stringify({ name: error.name, typed: error instanceof StoredCompletionsError, peakMB: Math.round(peak / 2 ** 20) }));
  },
);
`;

interface ChildOutcome {
  readonly name: string;
  readonly typed?: boolean;
  readonly peakMB?: number;
}

async function runChild(url: string): Promise<ChildOutcome> {
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '-e', CHILD], { env: { ...process.env, HOSTILE_URL: url } });
  const { stdout, stderr } = await finished(child, 50_000);
  try {
    return JSON.parse(stdout.trim()) as ChildOutcome;
  } catch {
    throw new Error(`the child printed ${JSON.stringify(stdout)}, stderr ${JSON.stringify(stderr.slice(0, 2_000))}`);
  }
}

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('memory, in a child process with a heap of 64 MB', () => {
  const HUGE_BYTES = 600 * 1024 * 1024;

  it.each([
    ['a 200 whose body never ends', 200, {}, Number.POSITIVE_INFINITY],
    ['a 600 MB body', 200, { 'content-length': String(HUGE_BYTES) }, HUGE_BYTES],
    ['a 600 MB error body, without content-length', 500, {}, HUGE_BYTES],
  ])('%s fails with a ResponseTooLargeError in bounded memory', async (_name, status, headers, totalBytes) => {
    server = await startScriptedServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      flood(res, totalBytes);
    });
    const outcome = await runChild(server.url);
    expect(outcome).toMatchObject({ name: 'ResponseTooLargeError', typed: true });
    expect(outcome.peakMB).toBeLessThan(BOUND_MB);
    expect(server.requests).toHaveLength(1);
  }, 60_000);
});
