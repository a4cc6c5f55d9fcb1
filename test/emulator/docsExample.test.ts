import { startEmulator, type EmulatorHandle } from '../../src/testing';

/** The code under test: counts the stored completions by walking the list. */
async function countStored(baseURL: string, apiKey: string): Promise<number> {
  let count = 0;
  let after: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '100', ...(after === null ? {} : { after }) });
    const response = await fetch(`${baseURL}/chat/completions?${query}`, { headers: { authorization: `Bearer ${apiKey}` } });
    const page = (await response.json()) as { data: unknown[]; last_id: string | null; has_more: boolean };
    count += page.data.length;
    after = page.has_more ? page.last_id : null;
  } while (after !== null);
  return count;
}

describe('countStored', () => {
  let emulator: EmulatorHandle;

  beforeAll(async () => {
    emulator = await startEmulator({ count: 250, apiKey: 'sk-test' });
  });
  afterAll(() => emulator.close());

  it('counts every completion, one request per page of 100', async () => {
    const before = emulator.stats().requests;
    expect(await countStored(emulator.url, 'sk-test')).toBe(250);
    expect(emulator.stats().requests - before).toBe(3);
  });

  it('copes with slow responses', async () => {
    const flaky = await startEmulator({ count: 250, apiKey: 'sk-test', faults: { rate: 1, kinds: ['latency'] } });
    try {
      expect(await countStored(flaky.url, 'sk-test')).toBe(250);
      expect(flaky.stats().faults).toBe(3);
    } finally {
      await flaky.close();
    }
  });
});
