import { defer, lastValueFrom } from 'rxjs';
import { createClient, InvalidArgumentError } from '../../../src';
import { startEmulator, type EmulatorHandle } from '../../../src/testing';
import { sendJson } from '../../helpers/rawHttp';

// One table of metadata, run through both sides: `update()`, which checks before sending, and the
// emulator, which checks as the API does. Both must agree on every case, lengths in code points.
const keys = (count: number): Record<string, string> => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 'v']));

const CASES: ReadonlyArray<readonly [string, 'accepted' | 'refused', Record<string, string>]> = [
  ['exactly 16 keys', 'accepted', keys(16)],
  ['17 keys', 'refused', keys(17)],
  ['a key of 64 characters', 'accepted', { ['k'.repeat(64)]: 'v' }],
  ['a key of 65 characters', 'refused', { ['k'.repeat(65)]: 'v' }],
  ['a key of 40 emoji (80 UTF-16 units)', 'accepted', { ['🧪'.repeat(40)]: 'v' }],
  ['a key of 64 emoji', 'accepted', { ['🧪'.repeat(64)]: 'v' }],
  ['a key of 65 emoji', 'refused', { ['🧪'.repeat(65)]: 'v' }],
  ['a value of 512 characters', 'accepted', { k: 'v'.repeat(512) }],
  ['a value of 513 characters', 'refused', { k: 'v'.repeat(513) }],
  ['a value of 512 emoji', 'accepted', { k: '🧪'.repeat(512) }],
  ['a value of 513 emoji', 'refused', { k: '🧪'.repeat(513) }],
  ['a value of 300 accented letters and 212 emoji', 'accepted', { k: 'é'.repeat(300) + '🧪'.repeat(212) }],
];

describe('the metadata limits, as update() and the emulator count them', () => {
  let emulator: EmulatorHandle;
  let id: string;
  beforeAll(async () => {
    emulator = await startEmulator({ count: 1, seed: 3 });
    id = (await lastValueFrom(createClient({ baseURL: emulator.url }).chat.completions.list())).id;
  });
  afterAll(() => emulator.close());

  it.each(CASES)('%s: %s by both', async (_name, expected, metadata) => {
    const client = createClient({ baseURL: emulator.url, retry: { maxRetries: 0 } });
    const byClient = await lastValueFrom(defer(() => client.chat.completions.update(id, { metadata }))).then(
      () => 'accepted',
      (error: unknown) => (error instanceof InvalidArgumentError ? 'refused' : error),
    );
    const byEmulator = await sendJson(`${emulator.url}/chat/completions/${id}`, 'POST', { metadata });
    expect({ byClient, byEmulator: byEmulator.status === 200 ? 'accepted' : byEmulator.status === 400 ? 'refused' : byEmulator.status }).toEqual({
      byClient: expected,
      byEmulator: expected,
    });
  });
});
