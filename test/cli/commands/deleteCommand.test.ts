import { startEmulator, type EmulatorHandle } from '../../../src/testing';
import { lines, listStored } from '../../helpers/listStored';
import { runCliInMemory } from '../../helpers/cliRun';

const COUNT = 300;
/** Five pages of 25 through faults on three requests in ten: every fault kind, read and write, meets a delete. */
const FAULTY_COUNT = 125;

describe('rxsc delete', () => {
  let emulator: EmulatorHandle;
  beforeEach(async () => {
    emulator = await startEmulator({ count: COUNT, seed: 11 });
  });
  afterEach(() => emulator.close());

  it('refuses without --yes when stdin is not a terminal: exit 2, naming --yes, nothing sent', async () => {
    const run = await runCliInMemory(['delete', '--base-url', emulator.url, '--metadata', 'env=prod']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('pass --yes');
    expect(run.stderr).toContain('every stored completion, with metadata "env"="prod"');
    expect(emulator.stats().requests).toBe(0);
  });

  it('--dry-run prints the ids it would delete and deletes nothing', async () => {
    const before = await listStored(emulator.url);
    const expected = before.filter((item) => item.metadata?.['env'] === 'prod').map((item) => item.id);
    const run = await runCliInMemory(['delete', '--base-url', emulator.url, '--metadata', 'env=prod', '--dry-run', '--limit', '30']);
    expect(run).toMatchObject({ code: 0, stderr: `Would delete ${expected.length} completions.\n` });
    expect(lines(run.stdout)).toEqual(expected);
    expect(await listStored(emulator.url)).toEqual(before);
  });

  it('--yes deletes every match, prints each deleted id, and sums up on stderr', async () => {
    const before = await listStored(emulator.url);
    const expected = before.filter((item) => item.metadata?.['env'] === 'prod').map((item) => item.id);
    expect(expected.length).toBeGreaterThan(50);
    const run = await runCliInMemory(['delete', '--base-url', emulator.url, '--metadata', 'env=prod', '--yes', '--limit', '20', '--concurrency', '4']);
    expect(run).toMatchObject({ code: 0, stderr: `${expected.length} deleted, 0 already gone, 0 failed.\n` });
    // In the order the deletions finish, which --concurrency mixes.
    expect(lines(run.stdout).sort()).toEqual([...expected].sort());
    const left = await listStored(emulator.url);
    expect(left.map((item) => item.id)).toEqual(before.filter((item) => !expected.includes(item.id)).map((item) => item.id));
  });

  it('keeps to --since and --until, and to --max', async () => {
    const before = await listStored(emulator.url);
    const since = before[40]!.created;
    const until = before[90]!.created;
    const expected = before.filter((item) => item.created >= since && item.created < until).map((item) => item.id);
    const run = await runCliInMemory(['delete', '--base-url', emulator.url, '--since', String(since), '--until', String(until), '--order', 'desc', '--yes']);
    expect(run.code).toBe(0);
    expect(lines(run.stdout).sort()).toEqual([...expected].sort());
    const capped = await runCliInMemory(['delete', '--base-url', emulator.url, '--max', '5', '--yes']);
    expect(lines(capped.stdout).sort()).toEqual(before.slice(0, 5).map((item) => item.id).sort());
  });

  it('deletes through faults, resets after the server acted and rate limits, never sending a deleted cursor: each gone and reported once, none failed', async () => {
    const faulty = await startEmulator({
      count: FAULTY_COUNT,
      seed: 11,
      faults: { rate: 0.3, retryAfterMs: 1, latencyMs: 1 },
      writeFaults: { rate: 0.3, retryAfterMs: 1, kinds: ['reset-after-acting', 'http-500-after-acting', 'truncated-after-acting', 'connection-reset', 'http-503'] },
      // A list `after` naming a deleted completion would be a 404, ending the walk with exit 1.
      strictCursor: true,
      rateLimit: { requestsPerSecond: 400, burst: 20 },
    });
    try {
      const run = await runCliInMemory(['delete', '--base-url', faulty.url, '--yes', '--limit', '25', '--max-retries', '20']);
      expect(run.code).toBe(0);
      const deleted = lines(run.stdout);
      expect(new Set(deleted).size).toBe(deleted.length);
      // A DELETE retried after a reset and answered 404 counts as deleted: none is "already gone".
      expect(run.stderr).toMatch(new RegExp(`^(rxsc: retrying after [^\\n]+\\n)*${FAULTY_COUNT} deleted, 0 already gone, 0 failed\\.\\n$`));
      expect(deleted).toHaveLength(FAULTY_COUNT);
      expect(await listStored(faulty.url)).toEqual([]);
      expect(faulty.stats().faults).toBeGreaterThan(0);
      expect(faulty.stats().stored).toBe(0);
    } finally {
      await faulty.close();
    }
  });

  it('refuses a bad --concurrency and an empty window, before any request', async () => {
    const bad = await runCliInMemory(['delete', '--base-url', emulator.url, '--yes', '--concurrency', '0']);
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.stderr).toContain('Expected `--concurrency` to be an integer from 1 to 100, got "0"');
    const empty = await runCliInMemory(['delete', '--base-url', emulator.url, '--yes', '--since', '2026-11-02', '--until', '2026-11-01']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('`--since 2026-11-02` is not before `--until 2026-11-01`');
    expect(emulator.stats().requests).toBe(0);
  });
});
