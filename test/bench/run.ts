/**
 * `npm run bench`: the benchmark of docs/performance.md. Starts the emulator
 * in a separate process for each scenario, runs each walk in a process of its
 * own, and prints one table per scenario. Nothing here is asserted: targets
 * are read off the table (see docs/performance.md).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { startEmulator } from 'rx-stored-completions/testing';

interface WalkResult {
  readonly items: number;
  readonly ms: number;
  readonly maxRssMB: number;
  readonly requests: number;
  readonly rateLimited: number;
  readonly exactlyOnce: boolean;
}

const run = promisify(execFile);
const here = __dirname;

async function withEmulator<T>(options: object, body: (url: string) => Promise<T>): Promise<T> {
  const child: ChildProcess = spawn(process.execPath, [path.join(here, 'emulatorProcess.js'), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`emulator exited with ${String(code)}`)));
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
    });
    return await body(url);
  } finally {
    child.kill('SIGTERM');
  }
}

async function walk(variant: string, url: string, options: object = {}): Promise<WalkResult> {
  const { stdout } = await run(process.execPath, [path.join(here, 'walker.js'), variant, url, JSON.stringify(options)], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as WalkResult;
}

function table(title: string, header: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  process.stdout.write(`\n### ${title}\n\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

const ROUNDS = 3;

/** What each variant of walker.js stands for, in the tables. */
const LABELS: Readonly<Record<string, string>> = {
  list: 'list()',
  'list-prefetch-0': 'list({}, { prefetch: 0 })',
  bidirectional: "list({}, { strategy: 'bidirectional' })",
  sdk: 'SDK, for await, limit: 100',
  'sdk-defaults': 'SDK, for await, defaults',
  floor: 'floor: undici request + JSON.parse',
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ratio = (n: number): string => `${n.toFixed(2)}×`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const mb = (n: number): string => `${n.toFixed(0)} MB`;

async function fullWalk(): Promise<void> {
  // Full walks are short and CPU-bound, so a run varies by several percent with
  // what else the machine does: each variant runs ROUNDS times, interleaved, and
  // the table shows the median.
  const variants = ['list', 'list-prefetch-0', 'sdk', 'floor'];
  const runs = await withEmulator({ count: 100_000, seed: 1 }, async (url) => {
    const results = new Map<string, WalkResult[]>(variants.map((variant) => [variant, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of variants) results.get(variant)?.push(await walk(variant, url));
    }
    return results;
  });
  const rate = (r: WalkResult): number => r.items / (r.ms / 1000);
  const medianRate = (variant: string): number => median((runs.get(variant) ?? []).map(rate));
  const floorRate = medianRate('floor');
  const sdkRate = medianRate('sdk');
  table(
    `1. Full walk, 100,000 completions, pages of 100 (median of ${ROUNDS} runs)`,
    ['client', 'items', 'items/s', 'slowest–fastest', 'peak RSS', 'vs SDK', 'vs floor'],
    variants.map((variant) => {
      const results = runs.get(variant) ?? [];
      const rates = results.map(rate);
      return [
        LABELS[variant] ?? variant,
        // Every run must have walked the whole history: a range here would show one that did not.
        [...new Set(results.map((r) => int(r.items)))].join('–'),
        int(medianRate(variant)),
        `${int(Math.min(...rates))}–${int(Math.max(...rates))}`,
        mb(median(results.map((r) => r.maxRssMB))),
        ratio(medianRate(variant) / sdkRate),
        ratio(medianRate(variant) / floorRate),
      ];
    }),
  );

}

async function latencyBound(): Promise<void> {
  const latency = await withEmulator({ count: 10_000, seed: 2, latencyMs: 20 }, async (url) => {
    const results: Array<[string, WalkResult]> = [];
    for (const variant of ['list', 'list-prefetch-0', 'bidirectional', 'sdk-defaults']) results.push([variant, await walk(variant, url)]);
    return results;
  });
  const sdkMs = (Object.fromEntries(latency)['sdk-defaults'] as WalkResult).ms;
  const listMs = (Object.fromEntries(latency)['list'] as WalkResult).ms;
  table(
    '2. Latency-bound walk, 20 ms per response, 10,000 completions, defaults',
    ['client', 'items', 'wall time', 'speed-up vs SDK', 'vs list()'],
    latency.map(([name, r]) => [LABELS[name] ?? name, int(r.items), seconds(r.ms), ratio(sdkMs / r.ms), ratio(listMs / r.ms)]),
  );

}

async function slowConsumer(): Promise<void> {
  const slow: Array<[string, WalkResult]> = [];
  for (const count of [10_000, 100_000]) {
    slow.push([int(count), await withEmulator({ count, seed: 3 }, (url) => walk('process', url, { workMs: 1 }))]);
  }
  table(
    '3. Slow consumer, ~1 ms of async work per item, process() with prefetch 1',
    ['completions', 'items', 'wall time', 'peak RSS'],
    slow.map(([count, r]) => [count, int(r.items), seconds(r.ms), mb(r.maxRssMB)]),
  );

}

async function rateLimited(): Promise<void> {
  const limit = { requestsPerSecond: 40, burst: 4 };
  const rows: string[][] = [];
  for (const headers of ['exact', 'quantized', 'none'] as const) {
    for (const walks of [4, 16]) {
      const count = 4_000;
      const merged = await withEmulator({ count, seed: 4, rateLimit: { ...limit, headers } }, (url) => walk('merged', url, { walks }));
      const goodput = merged.requests - merged.rateLimited;
      rows.push([
        headers,
        String(walks),
        `${int(merged.items)}${merged.exactlyOnce && merged.items === walks * count ? '' : ' (not every item exactly once)'}`,
        seconds(merged.ms),
        `${((goodput / (merged.ms / 1000) / limit.requestsPerSecond) * 100).toFixed(1)}%`,
        int(merged.requests),
        `${((merged.rateLimited / merged.requests) * 100).toFixed(1)}%`,
      ]);
    }
  }
  table(
    `4. Walks merged on one client, emulator limited to ${limit.requestsPerSecond} requests/s (burst ${limit.burst}), pages of 100`,
    ['rate-limit headers', 'walks', 'items', 'wall time', 'pages/s, of the limit', 'requests', 'answered 429'],
    rows,
  );
}

interface ExportResult {
  readonly ms: number;
  readonly maxRssMB: number;
  readonly bytes: number;
}

/** One `rxsc export` against `url`, in a process of its own: its wall time, peak RSS and file size. */
async function exportRun(url: string, format: 'jsonl' | 'parquet'): Promise<ExportResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rxsc-bench-'));
  try {
    const out = path.join(dir, `completions.${format}`);
    const report = path.join(dir, 'report.json');
    const args = ['export', '--base-url', url, '--api-key', 'bench', '--out', out, ...(format === 'parquet' ? ['--format', 'parquet'] : [])];
    const started = performance.now();
    await run(process.execPath, [path.join(here, 'cliProcess.js'), report, ...args], { maxBuffer: 1 << 20 });
    const ms = performance.now() - started;
    const { code, maxRssMB } = JSON.parse(await readFile(report, 'utf8')) as { code: number; maxRssMB: number };
    if (code !== 0) throw new Error(`rxsc export --out ${format} exited with ${code}`);
    return { ms, maxRssMB, bytes: (await stat(out)).size };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function exportFormats(): Promise<void> {
  // 50,000 completions, each format ROUNDS times, interleaved (the median is shown); then each
  // export's peak RSS over 10,000 and 40,000 completions, which must stay flat. Full walks, no
  // --max, which would turn the prefetch off.
  const formats = ['jsonl', 'parquet'] as const;
  const runs = await withEmulator({ count: 50_000, seed: 5 }, async (url) => {
    const results = new Map<string, ExportResult[]>(formats.map((format) => [format, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const format of formats) results.get(format)?.push(await exportRun(url, format));
    }
    return results;
  });
  for (const count of [10_000, 40_000]) {
    await withEmulator({ count, seed: 5 }, async (url) => {
      for (const format of formats) runs.set(`${format} ${count}`, [await exportRun(url, format)]);
    });
  }
  const medianOf = (key: string, pick: (r: ExportResult) => number): number => median((runs.get(key) ?? []).map(pick));
  const jsonlMs = medianOf('jsonl', (r) => r.ms);
  table(
    `5. rxsc export, 50,000 completions to a file, JSONL and Parquet (median of ${ROUNDS} runs)`,
    ['format', 'wall time', 'slowest–fastest', 'vs JSONL', 'file size', 'peak RSS', 'peak RSS at 10,000', 'at 40,000'],
    formats.map((format) => {
      const times = (runs.get(format) ?? []).map((r) => r.ms);
      return [
        format === 'jsonl' ? 'JSONL' : 'Parquet',
        seconds(medianOf(format, (r) => r.ms)),
        `${seconds(Math.min(...times))}–${seconds(Math.max(...times))}`,
        ratio(medianOf(format, (r) => r.ms) / jsonlMs),
        mb(medianOf(format, (r) => r.bytes) / 2 ** 20),
        mb(medianOf(format, (r) => r.maxRssMB)),
        mb(medianOf(`${format} 10000`, (r) => r.maxRssMB)),
        mb(medianOf(`${format} 40000`, (r) => r.maxRssMB)),
      ];
    }),
  );
}

/**
 * How long `rxsc` takes to start and answer what loads no command's code, beside `node -e 0`,
 * each run ROUNDS_STARTUP times, interleaved so that the machine's load weighs on all alike.
 */
async function startup(): Promise<void> {
  const main = path.join(here, '..', 'cli', 'main.js');
  const commands: ReadonlyArray<readonly [string, readonly string[]]> = [
    ['node -e 0', ['-e', '0']],
    ['rxsc --version', [main, '--version']],
    ['rxsc export --help', [main, 'export', '--help']],
    ['rxsc stats --help', [main, 'stats', '--help']],
  ];
  const times = new Map<string, number[]>(commands.map(([label]) => [label, []]));
  for (let round = 0; round < ROUNDS_STARTUP; round++) {
    for (const [label, args] of commands) {
      const started = process.hrtime.bigint();
      await run(process.execPath, [...args]);
      times.get(label)?.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  const baseline = median(times.get('node -e 0') ?? []);
  table(
    `6. Start-up, median of ${ROUNDS_STARTUP} runs each, interleaved`,
    ['command', 'wall time', 'vs node -e 0'],
    commands.map(([label]) => {
      const ms = median(times.get(label) ?? []);
      return [label, `${ms.toFixed(0)} ms`, ratio(ms / baseline)];
    }),
  );
}

const ROUNDS_STARTUP = 15;

/** The built CLI, beside this script's folder in dist/. */
const RXSC = path.join(here, '..', 'cli', 'main.js');

/** Runs `rxsc …args` in a process of its own, to its end; the wall time from spawn to exit. */
async function timedRxsc(args: readonly string[]): Promise<number> {
  const started = performance.now();
  await run(process.execPath, [RXSC, ...args], { maxBuffer: 1 << 20 });
  return performance.now() - started;
}

/** Median wall times of `export --out` and of a first `sync`, interleaved, each a fresh process (and folder). */
async function exportAndSync(work: string, count: number, latencyMs: number): Promise<{ readonly exportMs: number; readonly syncMs: number }> {
  return withEmulator({ count, seed: 5, latencyMs }, async (url) => {
    const exports: number[] = [];
    const syncs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      exports.push(await timedRxsc(['export', '--base-url', url, '--out', path.join(work, `export-${latencyMs}-${round}.jsonl`)]));
      syncs.push(await timedRxsc(['sync', path.join(work, `archive-${latencyMs}-${round}`), '--base-url', url]));
    }
    return { exportMs: median(exports), syncMs: median(syncs) };
  });
}

/** The list requests of a second `sync`, after `added` new completions; counted by an emulator of this process. */
async function secondSyncRequests(work: string, count: number, added: number): Promise<number> {
  const emulator = await startEmulator({ count, seed: 5 });
  try {
    const archive = path.join(work, 'archive-counted');
    await timedRxsc(['sync', archive, '--base-url', emulator.url]);
    for (let k = 0; k < added; k++) {
      await fetch(`${emulator.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', store: true, messages: [{ role: 'user', content: `new ${k}` }] }),
      });
    }
    const before = emulator.stats().byEndpoint.list;
    await timedRxsc(['sync', archive, '--base-url', emulator.url]);
    return emulator.stats().byEndpoint.list - before;
  } finally {
    await emulator.close();
  }
}

async function syncAgainstExport(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'rxsc-bench-sync-'));
  try {
    const local = await exportAndSync(work, 50_000, 0);
    const remote = await exportAndSync(work, 10_000, 50);
    const lists = await secondSyncRequests(work, 50_000, 250);
    table(
      `7. rxsc sync DIR (first run) against rxsc export --out FILE, pages of 100, each run a process (median of ${ROUNDS}; load ${os.loadavg()[0]?.toFixed(1)})`,
      ['emulator', 'export', 'sync', 'sync / export'],
      [
        ['50,000 completions, no latency', seconds(local.exportMs), seconds(local.syncMs), ratio(local.syncMs / local.exportMs)],
        ['10,000 completions, 50 ms a response', seconds(remote.exportMs), seconds(remote.syncMs), ratio(remote.syncMs / remote.exportMs)],
      ],
    );
    table('7b. A second rxsc sync, after 250 new completions in a history of 50,000', ['list requests'], [[int(lists)]]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function isolated429s(): Promise<void> {
  // 300 pages; 2% of requests answered 429 at random, whatever the rate: noise, not a limit.
  const count = 30_000;
  const noise = { rate: 0.02, seed: 5, maxConsecutive: 3 };
  const servers = [
    ['no 429s', { count, seed: 5 }],
    ['2% 429s, retry-after-ms 5–25', { count, seed: 5, faults: { ...noise, kinds: ['http-429'], retryAfterMs: [5, 25] } }],
    ['2% 429s, no stated wait', { count, seed: 5, faults: { ...noise, kinds: ['http-429-no-wait'] } }],
  ] as const;
  const variants = ['list', 'sdk'];
  const rows: string[][] = [];
  const medianMs: Record<string, number> = {};
  for (const [name, options] of servers) {
    const runs = await withEmulator(options, async (url) => {
      const results = new Map<string, WalkResult[]>(variants.map((variant) => [variant, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const variant of variants) results.get(variant)?.push(await walk(variant, url));
      }
      return results;
    });
    for (const variant of variants) {
      const results = runs.get(variant) ?? [];
      medianMs[`${name} ${variant}`] = median(results.map((r) => r.ms));
      rows.push([name, LABELS[variant] ?? variant, [...new Set(results.map((r) => int(r.items)))].join('–'), seconds(medianMs[`${name} ${variant}`] ?? 0)]);
    }
  }
  for (const row of rows) {
    const [name = '', label = ''] = row;
    const variant = label === LABELS['sdk'] ? 'sdk' : 'list';
    const ms = medianMs[`${name} ${variant}`] ?? Number.NaN;
    row.push(ratio((medianMs[`${name} sdk`] ?? Number.NaN) / ms), ratio((medianMs['no 429s list'] ?? Number.NaN) / ms));
  }
  table(
    `8. Full walk, ${int(count)} completions, 2% of requests answered 429 at random (median of ${ROUNDS} runs)`,
    ['server', 'client', 'items', 'wall time', 'speed vs SDK, same server', "vs list() without 429s"],
    rows,
  );
}

/** `npm run bench` runs every scenario; `npm run bench -- 1 4` runs scenarios 1 and 4 only. */
async function main(): Promise<void> {
  const scenarios = [fullWalk, latencyBound, slowConsumer, rateLimited, exportFormats, startup, syncAgainstExport, isolated429s];
  const chosen = process.argv.slice(2).map(Number);
  process.stdout.write(
    `Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB\n`,
  );
  for (const [index, scenario] of scenarios.entries()) {
    if (chosen.length === 0 || chosen.includes(index + 1)) await scenario();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
