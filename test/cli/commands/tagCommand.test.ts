import { startEmulator, type EmulatorHandle } from '../../../src/testing';
import { lines, listStored } from '../../helpers/listStored';
import { runCliInMemory } from '../../helpers/cliRun';

const COUNT = 120;

async function setMetadata(url: string, id: string, metadata: Record<string, string>): Promise<void> {
  const response = await fetch(`${url}/chat/completions/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ metadata }),
  });
  expect(response.status).toBe(200);
}

describe('rxsc tag', () => {
  let emulator: EmulatorHandle;
  beforeEach(async () => {
    emulator = await startEmulator({ count: COUNT, seed: 5 });
  });
  afterEach(() => emulator.close());

  it('merges --set and --unset into each match, keeping the other keys', async () => {
    const before = await listStored(emulator.url);
    const matches = before.filter((item) => item.metadata?.['env'] === 'staging');
    expect(matches.length).toBeGreaterThan(10);
    const run = await runCliInMemory(['tag', '--base-url', emulator.url, '--metadata', 'env=staging', '--set', 'purpose=distill', '--set', 'batch=1', '--unset', 'feature', '--limit', '15']);
    expect(run).toMatchObject({ code: 0, stderr: `${matches.length} updated, 0 already gone, 0 failed.\n` });
    expect(lines(run.stdout).sort()).toEqual(matches.map((item) => item.id).sort());
    const after = await listStored(emulator.url);
    for (const [index, item] of after.entries()) {
      const old = before[index]!;
      if (old.metadata?.['env'] !== 'staging') {
        expect(item.metadata).toEqual(old.metadata);
        continue;
      }
      const { feature: _dropped, ...kept } = old.metadata;
      expect(item.metadata).toEqual({ ...kept, purpose: 'distill', batch: '1' });
    }
  });

  it('fails a completion that would exceed 16 keys alone, with exit 1', async () => {
    const [full, ...others] = await listStored(emulator.url);
    const sixteen = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'v']));
    await setMetadata(emulator.url, full!.id, sixteen);
    const run = await runCliInMemory(['tag', '--base-url', emulator.url, '--set', 'purpose=eval']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`rxsc: ${full!.id}: Updating the metadata of ${full!.id} would give it 17 keys; the API allows at most 16\n`);
    expect(run.stderr).toMatch(new RegExp(`\\n${others.length} updated, 0 already gone, 1 failed\\. Running the same command again would fail the same way \\(see why above\\)\\.\\n$`));
    expect(lines(run.stdout)).not.toContain(full!.id);
    const after = await listStored(emulator.url);
    expect(after[0]!.metadata).toEqual(sixteen);
    expect(after.slice(1).every((item) => item.metadata?.['purpose'] === 'eval')).toBe(true);
    expect(after).toHaveLength(others.length + 1);
  });

  it('--dry-run prints the ids it would update and sends no update', async () => {
    const before = await listStored(emulator.url);
    const since = before[100]!.created;
    const expected = before.filter((item) => item.created >= since).map((item) => item.id);
    const run = await runCliInMemory(['tag', '--base-url', emulator.url, '--since', String(since), '--order', 'desc', '--set', 'x=y', '--dry-run', '--concurrency', '1']);
    expect(run).toMatchObject({ code: 0, stderr: `Would update ${expected.length} completions.\n` });
    expect(lines(run.stdout)).toEqual([...expected].reverse());
    expect(await listStored(emulator.url)).toEqual(before);
  });

  it.each([
    ['a --set without =', ['--set', 'x'], 'Expected `--set` to be KEY=VALUE with a non-empty KEY, got "x"'],
    ['a key both set and unset', ['--set', 'a=1', '--unset', 'a'], 'The key "a" is given to both `--set` and `--unset`'],
    ['a key of 65 characters', ['--set', `${'k'.repeat(65)}=v`], 'Expected `--set` to be a KEY of at most 64 characters'],
    ['a value of 513 characters', ['--set', `k=${'v'.repeat(513)}`], 'Expected `--set` to be a VALUE of at most 512 characters'],
    ['no --set nor --unset', [], 'Nothing to do: give at least one `--set KEY=VALUE` or `--unset KEY`'],
  ])('refuses %s with exit 2, before any request', async (_name, flags, message) => {
    const run = await runCliInMemory(['tag', '--base-url', emulator.url, ...flags]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(emulator.stats().requests).toBe(0);
  });
});

describe('rxsc tag --unset without a filter', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator({ count: 30, seed: 5 });
  });
  afterAll(() => emulator.close());

  it('asks first, as delete does: with stdin not a terminal, it refuses without --yes and sends nothing', async () => {
    const run = await runCliInMemory(['tag', '--base-url', emulator.url, '--unset', 'env']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe(
      'rxsc: `rxsc tag --unset` without a filter would remove "env" from every stored completion; it asks first, and stdin is not a terminal: ' +
        "pass --yes to go ahead without asking, or --dry-run to list them\nRun 'rxsc tag --help' for usage.\n",
    );
    expect(emulator.stats().requests).toBe(0);
  });

  it('goes ahead with --yes, or with a filter, and lists with --dry-run', async () => {
    expect((await runCliInMemory(['tag', '--base-url', emulator.url, '--unset', 'env', '--dry-run'])).code).toBe(0);
    expect((await runCliInMemory(['tag', '--base-url', emulator.url, '--unset', 'feature', '--max', '5'])).code).toBe(0);
    const run = await runCliInMemory(['tag', '--base-url', emulator.url, '--unset', 'env', '--yes']);
    expect(run).toMatchObject({ code: 0, stderr: '30 updated, 0 already gone, 0 failed.\n' });
    expect((await listStored(emulator.url)).every((item) => item.metadata?.['env'] === undefined)).toBe(true);
  });
});
