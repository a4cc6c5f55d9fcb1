import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { transformSync } from '@swc/core';
import { CLI_DEFAULTS } from '../../src/cli/cliDefaults';
import { startEmulator } from '../../src/testing';
import { startCountingProxy } from '../helpers/countingProxy';

// Every ```ts block of the README and of docs/*.md runs here, as a reader would run it: compiled
// to CommonJS, in a process of its own, against an emulator named by OPENAI_BASE_URL, loading the
// built package (dist/, which `npm test` builds first). The blocks are typechecked together too.
// A block fenced ```ts no-run is a fragment and is skipped. A `// prints: text` comment in a block
// is checked: that process's stdout must contain `text`.
//
// The emulator holds the history of a plain `rxsc emulator` (its count and seed), without its rate
// limit and faults, which change no output: so the `// prints:` lines are what a reader sees who
// runs an example against `rxsc emulator`, as the README says. A reader waits there for every
// request, at its rate limit: an example that walks the whole history (500 pages) takes many
// seconds, so each example's requests are counted, by a proxy of its own, and bounded.

const root = path.join(__dirname, '../..');

// Under node_modules, so git ignores it. Node does not resolve a package's own name from files under
// node_modules (no self-reference there), so a node_modules/rx-stored-completions link to the
// repository stands in for an install; rxjs and the rest resolve from the repository's node_modules.
const workDir = path.join(root, 'node_modules/.cache/doc-examples');

/** How long one example may run before it counts as hung. */
const RUN_TIMEOUT_MS = 30_000;
/** `rxsc emulator`'s default rate limit, in requests per second. */
const EMULATOR_RPS = CLI_DEFAULTS.emulator.rateLimit.requestsPerSecond;
/**
 * The most requests one example may send to OPENAI_BASE_URL: two seconds' worth at
 * `rxsc emulator`'s default rate limit. A walk of its whole history sends 500.
 */
const MAX_REQUESTS = 2 * EMULATOR_RPS;
/** How long tsc may take over all the examples. */
const TYPECHECK_TIMEOUT_MS = 120_000;
/** Examples run this many at a time. */
const CONCURRENCY = Math.max(2, Math.min(8, os.availableParallelism()));

interface Block {
  /** `docs/walk.md:42`: the file and the line of the opening fence. */
  readonly name: string;
  readonly file: string;
  readonly fenceLine: number;
  readonly code: string;
  /** A file name for its compiled forms. */
  readonly slug: string;
}

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface Run extends Outcome {
  /** Requests the example sent to OPENAI_BASE_URL (not to emulators it started). */
  readonly requests: number;
}

function markdownFiles(): string[] {
  const docs = fs.existsSync(path.join(root, 'docs'))
    ? fs.readdirSync(path.join(root, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)
    : [];
  return ['README.md', ...docs].filter((file) => fs.existsSync(path.join(root, file)));
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)(.*)$/;

/** The runnable TypeScript blocks of a Markdown file, in order. */
function extractBlocks(file: string): Block[] {
  const lines = fs.readFileSync(path.join(root, file), 'utf8').split(/\r?\n/);
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (open === null) continue;
    const [, indent = '', fence = '', lang = '', rest = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] ?? '';
      const close = FENCE.exec(line);
      if (close !== null && close[2]?.[0] === fence[0] && (close[2]?.length ?? 0) >= fence.length && close[3] === '') break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line);
    }
    const runnable = (lang === 'ts' || lang === 'typescript') && !rest.split(/\s+/).includes('no-run');
    if (runnable) {
      const fenceLine = i + 1;
      blocks.push({
        name: `${file}:${fenceLine}`,
        file,
        fenceLine,
        code: body.join('\n'),
        slug: `${file.replace(/[^A-Za-z0-9]+/g, '_')}_${fenceLine}`,
      });
    }
    i = j;
  }
  return blocks;
}

/** Runs Node on `args`; never rejects: a failure is in the outcome. */
function runNode(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd, env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: number | string; signal?: NodeJS.Signals | null }) | null;
        const code = failure === null ? 0 : typeof failure.code === 'number' ? failure.code : null;
        resolve({ code, signal: failure?.signal ?? null, stdout, stderr });
      },
    );
  });
}

/** Runs `tasks` at most `limit` at a time; each promise settles with its own task. */
function pool<T>(tasks: ReadonlyArray<() => Promise<T>>, limit: number): Array<Promise<T>> {
  let active = 0;
  const waiting: Array<() => void> = [];
  const slot = async (): Promise<void> => {
    if (active < limit) {
      active++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return tasks.map(async (task) => {
    await slot();
    try {
      return await task();
    } finally {
      release();
    }
  });
}

/** tsc's `file.ts(line,col)` mapped back to `README.md:line` in the Markdown. */
function mapDiagnostics(output: string, blocks: readonly Block[]): string {
  const bySlug = new Map(blocks.map((block) => [`${block.slug}.ts`, block]));
  return output.replace(/([\w.-]+\.ts)\((\d+),(\d+)\)/g, (match: string, file: string, line: string, column: string) => {
    const block = bySlug.get(path.basename(file));
    return block === undefined ? match : `${block.file}:${block.fenceLine + Number(line)}:${column}`;
  });
}

const blocks = markdownFiles().flatMap(extractBlocks);

describe('the code examples in the README and docs/', () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let runs: Map<string, Promise<Run>>;
  let typecheck: Promise<Outcome>;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(root, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
    fs.rmSync(workDir, { recursive: true, force: true });
    fs.mkdirSync(path.join(workDir, 'node_modules'), { recursive: true });
    fs.symlinkSync(root, path.join(workDir, 'node_modules/rx-stored-completions'), 'junction');

    const checkDir = path.join(workDir, 'check');
    fs.mkdirSync(checkDir);
    for (const block of blocks) {
      // Each file a module of its own, so that blocks without imports do not share one global scope.
      fs.writeFileSync(path.join(checkDir, `${block.slug}.ts`), `${block.code}\nexport {};\n`);
    }
    fs.writeFileSync(
      path.join(checkDir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'node16',
          moduleResolution: 'node16',
          lib: ['ES2022'],
          types: ['node'],
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: true,
          noEmit: true,
        },
        include: ['*.ts'],
      }),
    );
    // tsc runs while the examples do: the two overlap.
    typecheck = runNode([require.resolve('typescript/bin/tsc'), '-p', checkDir, '--pretty', 'false'], checkDir, process.env, TYPECHECK_TIMEOUT_MS);

    const env: NodeJS.ProcessEnv = { ...process.env, OPENAI_API_KEY: 'sk-doc-examples-dummy' };
    delete env['OPENAI_ORG_ID'];
    delete env['OPENAI_PROJECT_ID'];
    const { count, seed } = CLI_DEFAULTS.emulator;
    emulator = await startEmulator({ count, seed });
    const tasks = blocks.map((block) => async (): Promise<Run> => {
      const dir = path.join(workDir, 'run', block.slug);
      fs.mkdirSync(dir, { recursive: true });
      const { code } = transformSync(block.code, {
        filename: `${block.slug}.ts`,
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      });
      const script = path.join(dir, 'index.js');
      fs.writeFileSync(script, code);
      const proxy = await startCountingProxy(emulator.url);
      try {
        const outcome = await runNode([script], dir, { ...env, OPENAI_BASE_URL: proxy.url }, RUN_TIMEOUT_MS);
        return { ...outcome, requests: proxy.requests.length };
      } finally {
        await proxy.close();
      }
    });
    const settled = pool(tasks, CONCURRENCY);
    runs = new Map(blocks.map((block, i) => [block.name, settled[i] as Promise<Run>]));
  }, 60_000);

  afterAll(async () => {
    // Let every example finish before the emulator goes, whatever failed first.
    await Promise.allSettled([...(runs?.values() ?? [])]);
    await emulator?.close();
  });

  it('finds the examples', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it('typecheck', async () => {
    const { code, stdout, stderr } = await typecheck;
    if (code !== 0) throw new Error(`tsc failed:\n${mapDiagnostics(`${stdout}${stderr}`, blocks)}`);
  }, TYPECHECK_TIMEOUT_MS);

  it.each(blocks.map((block) => [block.name, block] as const))('%s runs and exits with 0', async (_name, block) => {
    const outcome = await runs.get(block.name);
    if (outcome === undefined) throw new Error(`no run for ${block.name}`);
    const { code, signal, stdout, stderr, requests } = outcome;
    if (code !== 0) {
      const why = signal === null ? `exited with ${String(code)}` : `was killed by ${signal} (over ${RUN_TIMEOUT_MS} ms?)`;
      throw new Error(`${block.name} ${why}\n--- stderr\n${stderr}\n--- stdout\n${stdout.slice(0, 4000)}`);
    }
    for (const [, expected] of block.code.matchAll(/\/\/ prints: (.+)$/gm)) {
      expect(stdout).toContain(expected?.trim());
    }
    if (requests > MAX_REQUESTS) {
      throw new Error(
        `${block.name} sent ${requests} requests, over ${MAX_REQUESTS}: at rxsc emulator's ${EMULATOR_RPS} a second, it is slow there; bound it (take, a filter, a window of dates)`,
      );
    }
  }, RUN_TIMEOUT_MS * 2);
});
