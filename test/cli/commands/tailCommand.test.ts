import { startEmulator, type EmulatorHandle } from '../../../src/testing';
import { runCliInMemory } from '../../helpers/cliRun';
import { until } from '../../helpers/until';

const linesOf = (text: string): string[] => text.split('\n').filter((line) => line !== '');

describe('rxsc tail', () => {
  let emulator: EmulatorHandle;
  beforeEach(async () => {
    emulator = await startEmulator({ count: 300, seed: 9 });
  });
  afterEach(() => emulator.close());

  const store = async (count: number, model = 'gpt-4o-mini'): Promise<string[]> => {
    const texts: string[] = [];
    for (let k = 0; k < count; k++) {
      const response = await fetch(`${emulator.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, store: true, messages: [{ role: 'user', content: `tail ${k}` }] }),
      });
      const { id } = (await response.json()) as { id: string };
      // What the list sends for it: the line tail must print, byte for byte.
      texts.push((await (await fetch(`${emulator.url}/chat/completions/${id}`)).text()).trimEnd());
    }
    return texts;
  };

  it('prints each of 30 completions stored in 3 bursts once, as the server sent it, and exits 130 on Ctrl-C', async () => {
    const interrupt = new AbortController();
    let stdout = '';
    const run = runCliInMemory(['tail', '--base-url', emulator.url, '--interval', '20'], { signal: interrupt.signal, onStdout: (text) => (stdout = text) });
    await until(() => emulator.stats().byEndpoint.list >= 1);
    const stored: string[] = [];
    for (let burst = 0; burst < 3; burst++) {
      stored.push(...(await store(10)));
      await until(() => linesOf(stdout).length === stored.length);
    }
    const polls = emulator.stats().byEndpoint.list;
    await until(() => emulator.stats().byEndpoint.list >= polls + 2);
    interrupt.abort('SIGINT');
    const { code } = await run;
    expect(code).toBe(130);
    expect(linesOf(stdout).sort()).toEqual([...stored].sort());
  });

  it('takes the list filters, and backfills from --since', async () => {
    const interrupt = new AbortController();
    let stdout = '';
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const old = await store(2, 'gpt-5.4');
    await store(2, 'gpt-4o-mini');
    const run = runCliInMemory(['tail', '--base-url', emulator.url, '--interval', '20', '--model', 'gpt-5.4', '--since', since], {
      signal: interrupt.signal,
      onStdout: (text) => (stdout = text),
    });
    await until(() => linesOf(stdout).length === 2);
    const added = await store(1, 'gpt-5.4');
    await until(() => linesOf(stdout).length === 3);
    interrupt.abort('SIGINT');
    expect((await run).code).toBe(130);
    // Within one second, tail prints by id: the order of the three is not the order they were stored in.
    expect(linesOf(stdout).sort()).toEqual([...old, ...added].sort());
  });
});
