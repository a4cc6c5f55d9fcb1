import { startEmulator, type EmulatorClock } from '../../../src/testing';

/** A clock whose sleeps end only when the test says: each `tick()` ends the sleep under way. */
class SteppedClock implements EmulatorClock {
  private wake: (() => void) | undefined;
  readonly slept: number[] = [];

  now(): number {
    return 0;
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    this.slept.push(ms);
    return new Promise((resolve, reject) => {
      this.wake = resolve;
      signal.addEventListener('abort', () => reject(new Error('closed')), { once: true });
    });
  }

  async tick(): Promise<void> {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('the emulator’s arrivals', () => {
  it('stores a completion every 1/arrivalsPerSecond of its clock, listed like a created one', async () => {
    const clock = new SteppedClock();
    const emulator = await startEmulator({ count: 20, arrivalsPerSecond: 4, clock });
    try {
      for (let k = 0; k < 3; k++) await clock.tick();
      expect(clock.slept.slice(0, 3)).toEqual([250, 250, 250]);
      expect(emulator.stats().stored).toBe(23);
      const page = (await (await fetch(`${emulator.url}/chat/completions?order=desc&metadata[source]=arrival`)).json()) as {
        data: Array<{ id: string; created: number; metadata: Record<string, string> }>;
      };
      expect(page.data).toHaveLength(3);
      expect(page.data[0]?.created).toBeGreaterThan(Date.now() / 1000 - 60);
      const messages = (await (await fetch(`${emulator.url}/chat/completions/${page.data[0]?.id}/messages`)).json()) as { data: unknown[] };
      expect(messages.data).toHaveLength(1);
      expect(emulator.stats().byEndpoint).toEqual({ list: 1, create: 0, retrieve: 0, update: 0, delete: 0, messages: 1 });
    } finally {
      await emulator.close();
    }
  });

  it('stores nothing by default, and stops when the emulator closes', async () => {
    const clock = new SteppedClock();
    const quiet = await startEmulator({ count: 5, clock });
    expect(clock.slept).toEqual([]);
    await quiet.close();
    const busy = await startEmulator({ count: 5, arrivalsPerSecond: 1, clock });
    await busy.close();
    await clock.tick();
    expect(busy.stats().stored).toBe(5);
  });

  it('refuses a rate that is not a non-negative number', async () => {
    await expect(startEmulator({ arrivalsPerSecond: -1 })).rejects.toThrow('Expected `arrivalsPerSecond` to be a non-negative number, got -1');
  });
});
