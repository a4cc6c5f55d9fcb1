/**
 * The benchmark of the join (docs/performance.md, "The join"): every completion with its input
 * messages, against an emulator answering each request 20 ms late, `withMessages` and
 * `rxsc export --with-messages` at concurrency 8 against the official SDK's obvious sequential loop. Usage, after `npm run build && tsc -p test/bench`:
 *
 *   node dist/bench/join.js [COUNT]          # the runner: one table
 *   node dist/bench/join.js VARIANT BASE_URL # one measured join, in a process of its own
 *
 * Each variant prints `{ completions, messages, digest, ms, maxRssMB }`; the digest covers every
 * completion id and message id in the order they arrived, so equal digests mean every message
 * arrived, in order.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { lastValueFrom, tap } from 'rxjs';
import { createClient, withMessages } from 'rx-stored-completions';

interface JoinResult {
  readonly completions: number;
  readonly messages: number;
  readonly digest: string;
  readonly ms: number;
  readonly maxRssMB: number;
}

const LATENCY_MS = 20;
const CONCURRENCY = 8;

/** The built CLI, beside this file in dist/. */
const RXSC = path.join(__dirname, '..', 'cli', 'main.js');

/** Runs the script of argv[1] with the rest as its arguments, and prints its peak RSS on stderr when it exits. */
const WITH_PEAK_RSS = `
process.argv.splice(1, 1);
process.on('exit', () => process.stderr.write(JSON.stringify({ maxRssMB: process.resourceUsage().maxRSS / 1024 })));
require(process.argv[1]);
`;

/**
 * The joins, each feeding `record` every completion and its messages, in the order they come;
 * one that measures another process returns that process's peak RSS.
 */
const variants: Record<
  string,
  (baseURL: string, record: (completionId: string, messageIds: readonly string[]) => void) => Promise<{ readonly maxRssMB: number } | void>
> = {
  /** `list().pipe(withMessages(client, { concurrency: 8 }))`, defaults otherwise. */
  withMessages: async (baseURL, record) => {
    const client = createClient({ baseURL });
    await lastValueFrom(
      client.chat.completions.list().pipe(
        withMessages(client, { concurrency: CONCURRENCY }),
        tap(({ completion, messages }) => record(completion.id, (messages ?? []).map((message) => message.id))),
      ),
      { defaultValue: undefined },
    );
  },

  /** The CLI's lossless join, as users run it: a process of its own, its lines read as they come. */
  rxsc: async (baseURL, record) => {
    const args = ['export', '--with-messages', '--concurrency', String(CONCURRENCY), '--base-url', baseURL];
    const child = spawn(process.execPath, ['-e', WITH_PEAK_RSS, '-', RXSC, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    for await (const line of createInterface({ input: child.stdout })) {
      const { completion, messages } = JSON.parse(line) as { completion: { id: string }; messages: Array<{ id: string }> };
      record(completion.id, messages.map((message) => message.id));
    }
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`rxsc exited with ${String(code)}: ${stderr}`);
    return JSON.parse(stderr.slice(stderr.lastIndexOf('{'))) as { maxRssMB: number };
  },

  /** The official SDK's obvious loop: for each completion, its messages, one after the other. */
  sdk: async (baseURL, record) => {
    const client = new OpenAI({ apiKey: 'sk-bench', baseURL });
    for await (const completion of client.chat.completions.list({ limit: 100 })) {
      const ids: string[] = [];
      for await (const message of client.chat.completions.messages.list(completion.id)) ids.push(message.id);
      record(completion.id, ids);
    }
  },
};

async function measure(variant: string, baseURL: string): Promise<JoinResult> {
  const join = variants[variant];
  if (join === undefined) throw new Error(`unknown variant ${variant}`);
  const hash = createHash('sha256');
  let completions = 0;
  let messages = 0;
  const started = performance.now();
  const measured = await join(baseURL, (completionId, messageIds) => {
    completions++;
    messages += messageIds.length;
    hash.update(`${completionId}:${messageIds.join(',')}\n`);
  });
  const ms = performance.now() - started;
  const maxRssMB = measured?.maxRssMB ?? process.resourceUsage().maxRSS / 1024;
  return { completions, messages, digest: hash.digest('hex').slice(0, 16), ms, maxRssMB };
}

async function runner(count: number): Promise<void> {
  const here = __dirname;
  const emulator = spawn(process.execPath, [path.join(here, 'emulatorProcess.js'), JSON.stringify({ count, seed: 5, latencyMs: LATENCY_MS })], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      emulator.once('exit', (code) => reject(new Error(`emulator exited with ${String(code)}`)));
      createInterface({ input: emulator.stdout }).once('line', resolve);
    });
    const results: Array<[string, JoinResult]> = [];
    for (const variant of ['withMessages', 'rxsc', 'sdk']) {
      const { stdout } = await promisify(execFile)(process.execPath, [__filename, variant, url], { maxBuffer: 1 << 20 });
      results.push([variant, JSON.parse(stdout) as JoinResult]);
    }
    const sdk = Object.fromEntries(results)['sdk'] as JoinResult;
    process.stdout.write(
      `Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, load average ${os.loadavg()[0]?.toFixed(1) ?? '?'}\n\n` +
        `### The join: ${count.toLocaleString('en-US')} completions with their messages, ${LATENCY_MS} ms per response\n\n` +
        '| client | completions | messages | same order as the SDK | wall time | speed-up vs SDK | peak RSS |\n' +
        '| --- | --- | --- | --- | --- | --- | --- |\n',
    );
    const labels: Record<string, string> = {
      withMessages: `list().pipe(withMessages(client, { concurrency: ${CONCURRENCY} }))`,
      rxsc: `rxsc export --with-messages --concurrency ${CONCURRENCY} (its own process)`,
      sdk: 'SDK: for await list, for await messages.list',
    };
    for (const [variant, r] of results) {
      const cells = [
        labels[variant] ?? variant,
        r.completions.toLocaleString('en-US'),
        r.messages.toLocaleString('en-US'),
        r.digest === sdk.digest ? 'yes' : 'NO',
        `${(r.ms / 1000).toFixed(2)} s`,
        `${(sdk.ms / r.ms).toFixed(2)}×`,
        `${r.maxRssMB.toFixed(0)} MB`,
      ];
      process.stdout.write(`| ${cells.join(' | ')} |\n`);
    }
  } finally {
    emulator.kill('SIGTERM');
  }
}

const [first = '2000', baseURL] = process.argv.slice(2);
const done = baseURL === undefined ? runner(Number(first)) : measure(first, baseURL).then((r) => void process.stdout.write(`${JSON.stringify(r)}\n`));
void done.catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
