import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Archive } from '../../../src/cli/sync/Archive';
import { JSONL_FORMAT } from '../../../src/cli/sync/partFormat';

const SELECTION = { format: 'jsonl', model: null, metadata: {}, withMessages: false };

describe('Archive', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rxsc-archive-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('commits the records of each day to a part of its own, then the state', async () => {
    const archive = await Archive.open(dir, SELECTION, JSONL_FORMAT);
    archive.add('completions', 1_704_067_200, '{"id":"a"}', 0);
    archive.add('completions', 1_704_153_600, '{"id":"b"}', 0);
    archive.add('completions', 1_704_067_201, '{"id":"c"}', 0);
    await archive.commit({ created: 5, ids: ['c'], after: 'a' }, 0);
    expect(await readFile(join(dir, 'completions/day=2024-01-01/part-000001.jsonl'), 'utf8')).toBe('{"id":"a"}\n{"id":"c"}\n');
    expect(await readFile(join(dir, 'completions/day=2024-01-02/part-000002.jsonl'), 'utf8')).toBe('{"id":"b"}\n');
    const state = JSON.parse(await readFile(join(dir, 'rxsc-sync.json'), 'utf8')) as Record<string, unknown>;
    expect(state).toMatchObject({ nextPart: 3, counts: { completions: 3 }, checkpoint: { created: 5, ids: ['c'], after: 'a' } });
  });

  it('drops what a killed run wrote after its last commit: temporary files and parts the state does not count', async () => {
    const archive = await Archive.open(dir, SELECTION, JSONL_FORMAT);
    archive.add('completions', 1_704_067_200, '{"id":"a"}', 0);
    await archive.commit({ created: 0, ids: [], after: null }, 0);
    const day = join(dir, 'completions/day=2024-01-01');
    // As a run killed between its parts and its state would leave them.
    await writeFile(join(day, 'part-000002.jsonl'), '{"id":"b"}\n');
    await writeFile(join(day, 'part-000003.jsonl.tmp'), '{"id":"c"');
    await mkdir(join(dir, 'messages/day=2024-01-01'), { recursive: true });
    await writeFile(join(dir, 'messages/day=2024-01-01/part-000004.jsonl'), '{}\n');
    await writeFile(join(dir, 'rxsc-sync.json.tmp'), '{');
    await Archive.open(dir, SELECTION, JSONL_FORMAT);
    expect(existsSync(join(day, 'part-000001.jsonl'))).toBe(true);
    expect(existsSync(join(day, 'part-000002.jsonl'))).toBe(false);
    expect(existsSync(join(day, 'part-000003.jsonl.tmp'))).toBe(false);
    expect(existsSync(join(dir, 'messages/day=2024-01-01/part-000004.jsonl'))).toBe(false);
    expect(existsSync(join(dir, 'rxsc-sync.json.tmp'))).toBe(false);
  });

  it('refuses a state it cannot read', async () => {
    await writeFile(join(dir, 'rxsc-sync.json'), 'not json');
    await expect(Archive.open(dir, SELECTION, JSONL_FORMAT)).rejects.toThrow('rxsc-sync.json is not JSON');
  });
});
