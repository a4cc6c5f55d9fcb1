import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../src/testing';
import { runCliInMemory } from '../helpers/cliRun';
import { lines, listStored } from '../helpers/listStored';
import { finished, runRxsc, spawnRxsc } from '../helpers/runRxsc';
import { until } from '../helpers/until';
import { jsonlIds } from '../helpers/ids';

// The built binary in a process of its own, where the process is the point: its exit codes, the
// signals it stops on, the pipe it writes to. Everything else about the commands runs in process
// (test/cli/commands/, runCli.exitCodes.test.ts).

describe('rxsc, the binary', () => {
  const KEY = 'sk-right-key-0123456789';
  let guarded: EmulatorHandle;
  beforeAll(async () => {
    guarded = await startEmulator({ count: 20, apiKey: KEY });
  });
  afterAll(() => guarded.close());

  it('exits 0 when the command succeeds', async () => {
    const run = await runRxsc(['stats', '--base-url', guarded.url, '--api-key', KEY, '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({ count: 20 });
  });

  it('prints no warning of Node’s on stderr: not even of sixteen requests listening to one abort signal', async () => {
    const run = await runRxsc(['export', '--base-url', guarded.url, '--api-key', KEY, '--with-messages', '--concurrency', '16']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.split('\n')).toHaveLength(21);
  });

  it('exits 1 when the command fails, and never prints the key', async () => {
    const wrong = 'sk-wrong-key-9876543210';
    const run = await runRxsc(['export', '--base-url', guarded.url], { OPENAI_API_KEY: wrong });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^rxsc: The API key was rejected by /);
    expect(run.stdout + run.stderr).not.toContain(wrong.slice(3, 15));
  });

  it('exits 2 on a bad command line, with the usage on stderr', async () => {
    const run = await runRxsc([]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('Usage: rxsc <command> [options]');
  });
});

describe('rxsc, stopped from outside', () => {
  const COUNT = 300;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rxsc-main-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('export stops cleanly on Ctrl-C: exit 130, only whole lines, each a completion in order', async () => {
    const slow = await startEmulator({ count: COUNT, seed: 7, latencyMs: 40 });
    try {
      const full = (await runCliInMemory(['export', '--base-url', slow.url])).stdout;
      const file = join(dir, 'interrupted.jsonl');
      const child = spawnRxsc(['export', '--base-url', slow.url, '--limit', '5', '--out', file]);
      const run = finished(child);
      await until(async () => lines(await readFile(file, 'utf8').catch(() => '')).length >= 10);
      child.kill('SIGINT');
      const { code, stderr } = await run;
      expect(code).toBe(130);
      expect(stderr).toMatch(/^Interrupted: \d+ completions written/);
      const written = await readFile(file, 'utf8');
      expect(written.endsWith('\n')).toBe(true);
      const got = jsonlIds(written);
      expect(got.length).toBeLessThan(COUNT);
      expect(got).toEqual(jsonlIds(full).slice(0, got.length));
    } finally {
      await slow.close();
    }
  });

  it('export stops quietly with exit 0 when its reader goes away (EPIPE)', async () => {
    const slow = await startEmulator({ count: COUNT, seed: 7, latencyMs: 20 });
    try {
      const child = spawnRxsc(['export', '--base-url', slow.url, '--limit', '5']);
      const run = finished(child);
      child.stdout.once('data', () => child.stdout.destroy());
      const { code, stderr } = await run;
      expect(stderr).toBe('');
      expect(code).toBe(0);
    } finally {
      await slow.close();
    }
  });

  it('delete, interrupted, finishes the job when run again', async () => {
    const slow = await startEmulator({ count: COUNT, seed: 11, latencyMs: 20, strictCursor: true });
    try {
      const child = spawnRxsc(['delete', '--base-url', slow.url, '--yes', '--limit', '10', '--concurrency', '2']);
      const run = finished(child);
      let seen = '';
      await new Promise<void>((resolve) =>
        child.stdout.on('data', (chunk: Buffer) => {
          seen += chunk.toString('utf8');
          if (lines(seen).length >= 15) resolve();
        }),
      );
      child.kill('SIGINT');
      const first = await run;
      expect(first.code).toBe(130);
      expect(first.stderr).toMatch(/^Interrupted: \d+ deleted, 0 already gone, 0 failed\. Run the same command again to finish\.\n$/);
      const again = await runCliInMemory(['delete', '--base-url', slow.url, '--yes', '--concurrency', '8']);
      expect(again.code).toBe(0);
      // The interrupt aborts the deletions in flight, at most --concurrency of them: they may
      // have acted without their id being printed.
      const reported = new Set([...lines(first.stdout), ...lines(again.stdout)]);
      expect(reported.size).toBeGreaterThanOrEqual(COUNT - 2);
      expect(await listStored(slow.url)).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});
