import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmulator, type EmulatorHandle } from '../../../src/testing';
import { listStored } from '../../helpers/listStored';
import { startScriptedServer } from '../../helpers/scriptedServer';
import { until } from '../../helpers/until';
import { finished, runRxsc, spawnRxsc } from '../../helpers/runRxsc';

/** Every file under a folder, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)])));
  return nested.flat();
}

/** The ids of the completions archived, each line parsed: a cut line fails here. */
async function archivedIds(dir: string): Promise<string[]> {
  const ids: string[] = [];
  for (const file of (await filesUnder(join(dir, 'completions'))).sort()) {
    expect(file).toMatch(/part-\d{6}\.jsonl$/);
    const text = await readFile(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    for (const line of text.slice(0, -1).split('\n')) ids.push((JSON.parse(line) as { id: string }).id);
  }
  return ids;
}

async function store(emulator: EmulatorHandle, count: number): Promise<void> {
  for (let k = 0; k < count; k++) {
    await fetch(`${emulator.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', store: true, messages: [{ role: 'user', content: `between runs ${k}` }] }),
    });
  }
}

/** Seven runs of the CLI, six of them killed once they have committed: more than jest's 30 s on a busy machine. */
const KILLS_TIMEOUT_MS = 90_000;

describe('rxsc sync, as a process', () => {
  let dir: string;
  let emulator: EmulatorHandle;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rxsc-sync-kill-'));
  });
  afterEach(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('killed with SIGKILL at random moments, then run again, archives each completion exactly once, every file whole', async () => {
    emulator = await startEmulator({ count: 4_000, seed: 21, latencyMs: 2 });
    let state = 19;
    const random = (): number => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const statePath = join(dir, 'rxsc-sync.json');
    const committedCount = async (): Promise<number> =>
      existsSync(statePath) ? (JSON.parse(await readFile(statePath, 'utf8')) as { counts: { completions: number } }).counts.completions : 0;
    const committed: number[] = [];
    for (let kill = 0; kill < 6; kill++) {
      const before = await committedCount();
      const child = spawnRxsc(['sync', dir, '--base-url', emulator.url, '--commit-every', '150']);
      let exited = false;
      const run = finished(child).then(() => (exited = true));
      // Once the run has committed something, a random moment later: amid the walk, a part or the state.
      const deadline = Date.now() + 20_000;
      while (!exited && (await committedCount()) === before && Date.now() < deadline) await sleep(2);
      await sleep(Math.floor(random() * 120));
      child.kill('SIGKILL');
      await run;
      committed.push(await committedCount());
      await store(emulator, 7);
    }
    // The kills struck mid-run: after some commits, before the last.
    expect(committed.filter((count) => count > 0 && count < 4_000).length).toBeGreaterThanOrEqual(3);
    const last = await finished(spawnRxsc(['sync', dir, '--base-url', emulator.url, '--commit-every', '150']), KILLS_TIMEOUT_MS / 2);
    expect(last.code).toBe(0);
    const files = await filesUnder(dir);
    expect(files.filter((file) => file.endsWith('.tmp'))).toEqual([]);
    const ids = await archivedIds(dir);
    expect(ids.length).toBe(new Set(ids).size);
    expect([...ids].sort()).toEqual((await listStored(emulator.url)).map((item) => item.id).sort());
    expect(existsSync(join(dir, 'rxsc-sync.lock'))).toBe(false);
  }, KILLS_TIMEOUT_MS);

  it('refuses a second sync into the same folder while one runs, and takes over the lock of one killed', async () => {
    emulator = await startEmulator({ count: 2_000, seed: 22 });
    // The first sync waits on a server that never answers: it holds the lock until it is killed,
    // however slowly this machine starts the second.
    const silent = await startScriptedServer(() => undefined);
    const first = spawnRxsc(['sync', dir, '--base-url', silent.url, '--timeout', '60000']);
    const firstRun = finished(first);
    await until(() => existsSync(join(dir, 'rxsc-sync.lock')));
    const second = await runRxsc(['sync', dir, '--base-url', emulator.url]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^rxsc: Another sync holds .*rxsc-sync\.lock: process \d+ on .*; wait for it to finish\./m);
    first.kill('SIGKILL');
    await firstRun;
    await silent.close();
    const third = await runRxsc(['sync', dir, '--base-url', emulator.url]);
    expect(third.code).toBe(0);
    const ids = await archivedIds(dir);
    expect(ids.length).toBe(2_000);
    expect(new Set(ids).size).toBe(2_000);
  });
});
