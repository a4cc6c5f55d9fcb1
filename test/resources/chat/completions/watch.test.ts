import { argumentErrorOf } from '../../../helpers/argumentErrorOf';
import { VirtualTimeScheduler, type Observable, type Subscription } from 'rxjs';
import { AbortError, AuthenticationError, createClient, InvalidArgumentError, watchCheckpoint, type ChatCompletion } from '../../../../src';
import { startEmulator, type EmulatorHandle } from '../../../../src/testing';
import { startTieShufflingServer, tiedItems, type Fault, type StoredItem, type TieShufflingServer } from '../../../helpers/tieShufflingServer';
import { CountingAgent } from '../../../helpers/CountingAgent';
import { until } from '../../../helpers/until';

/** A subscription to a watch whose interval runs in virtual time: `poll()` runs the next poll to its end. */
function watching(stream: (scheduler: VirtualTimeScheduler) => Observable<ChatCompletion>) {
  const scheduler = new VirtualTimeScheduler();
  const seen: ChatCompletion[] = [];
  const errors: unknown[] = [];
  const subscription: Subscription = stream(scheduler).subscribe({ next: (item) => seen.push(item), error: (error: unknown) => errors.push(error) });
  const pollEnded = () => until(() => scheduler.actions.length > 0 || errors.length > 0);
  return {
    seen,
    errors,
    subscription,
    scheduler,
    /** The baseline, or the poll under way, has ended. */
    pollEnded,
    async poll(): Promise<void> {
      await pollEnded();
      scheduler.flush();
      await pollEnded();
    },
  };
}

const idsOf = (items: ReadonlyArray<{ readonly id: string }>): string[] => items.map((item) => item.id);

describe('watch() against the emulator', () => {
  let emulator: EmulatorHandle;
  beforeEach(async () => {
    emulator = await startEmulator({ count: 150, seed: 3 });
  });
  afterEach(() => emulator.close());

  const store = async (count: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let k = 0; k < count; k++) {
      const response = await fetch(`${emulator.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', store: true, messages: [{ role: 'user', content: `burst item ${k}` }] }),
      });
      ids.push(((await response.json()) as { id: string }).id);
    }
    return ids;
  };

  it('sees each of 30 completions stored in 3 bursts once, in created order, and nothing stored before it started', async () => {
    const client = createClient({ baseURL: emulator.url });
    const watch = watching((scheduler) => client.chat.completions.watch({}, { intervalMs: 1_000, scheduler }));
    await watch.pollEnded();
    const stored: string[] = [];
    for (let burst = 0; burst < 3; burst++) {
      stored.push(...(await store(10)));
      await watch.poll();
      expect(watch.seen).toHaveLength(stored.length);
    }
    await watch.poll();
    watch.subscription.unsubscribe();
    expect(new Set(idsOf(watch.seen))).toEqual(new Set(stored));
    expect(idsOf(watch.seen)).toHaveLength(30);
    const created = watch.seen.map((completion) => completion.created);
    expect(created).toEqual([...created].sort((a, b) => a - b));
    expect(watch.errors).toEqual([]);
  });

  it('emits a checkpoint with each completion from which a new watch misses nothing and repeats nothing', async () => {
    const client = createClient({ baseURL: emulator.url });
    const first = watching((scheduler) => client.chat.completions.watch({}, { intervalMs: 1_000, scheduler }));
    await first.pollEnded();
    const stored = await store(8);
    await first.poll();
    first.subscription.unsubscribe();
    const checkpoint = watchCheckpoint(first.seen[4] as ChatCompletion);
    expect(checkpoint).toEqual({ created: expect.any(Number), ids: expect.any(Array) });
    stored.push(...(await store(4)));
    const resumed = watching((scheduler) => client.chat.completions.watch({}, { intervalMs: 1_000, scheduler, from: JSON.parse(JSON.stringify(checkpoint)) }));
    await resumed.pollEnded();
    resumed.subscription.unsubscribe();
    expect([...idsOf(first.seen.slice(0, 5)), ...idsOf(resumed.seen)].sort()).toEqual([...stored].sort());
  });

  it('filters by model and metadata as the list does', async () => {
    const client = createClient({ baseURL: emulator.url });
    const watch = watching((scheduler) => client.chat.completions.watch({ metadata: { team: 'blue' } }, { intervalMs: 1_000, scheduler }));
    await watch.pollEnded();
    const post = (metadata: Record<string, string>) =>
      fetch(`${emulator.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', store: true, metadata, messages: [{ role: 'user', content: 'hi' }] }),
      });
    await post({ team: 'blue' });
    await post({ team: 'red' });
    await watch.poll();
    watch.subscription.unsubscribe();
    expect(watch.seen.map((completion) => completion.metadata)).toEqual([{ team: 'blue' }]);
  });

  it('ends with the error that no retry mends: a rejected key', async () => {
    const locked = await startEmulator({ count: 5, apiKey: 'sk-right' });
    const client = createClient({ baseURL: locked.url, apiKey: 'sk-wrong-key-123' });
    const watch = watching((scheduler) => client.chat.completions.watch({}, { scheduler }));
    await until(() => watch.errors.length > 0);
    await locked.close();
    expect(watch.errors[0]).toBeInstanceOf(AuthenticationError);
    expect(String((watch.errors[0] as Error).message)).not.toContain('sk-wrong-key-123');
  });

  it('refuses bad options on subscribe, before anything is sent', () => {
    const client = createClient({ baseURL: emulator.url });
    expect(argumentErrorOf(() => client.chat.completions.watch({}, { intervalMs: -1 }))).toBeInstanceOf(InvalidArgumentError);
    expect(argumentErrorOf(() => client.chat.completions.watch({}, { from: { created: 'yesterday' } as never }))).toEqual(
      expect.objectContaining({ message: expect.stringMatching(/Expected `from` to be a checkpoint/) }),
    );
    expect(emulator.stats().requests).toBe(0);
  });
});

describe('watch() against a server that is not the emulator', () => {
  // Seconds of two: the walk's guarantee holds for seconds of at most half a page (see settlePage).
  const base: StoredItem[] = tiedItems('old', 40, 1_000, 2);

  it('loses and repeats nothing when each call orders the completions of one second differently', async () => {
    const server = await startTieShufflingServer(base);
    const client = createClient({ baseURL: server.url });
    // Pages of 20 against seconds of up to 10, the second of the first burst joined by the second
    // burst, and no lookback: the checkpoint's ids alone tell old from new within that second.
    const watch = watching((scheduler) => client.chat.completions.watch({ limit: 20 }, { intervalMs: 1_000, lookbackSeconds: 0, scheduler }));
    await watch.pollEnded();
    const bursts = [tiedItems('a', 6, 1_030, 10), tiedItems('b', 4, 1_030, 10), tiedItems('c', 20, 1_031, 10)];
    for (const burst of bursts) {
      server.insert(...burst);
      await watch.poll();
    }
    await watch.poll();
    watch.subscription.unsubscribe();
    await server.close();
    expect(idsOf(watch.seen).sort()).toEqual(idsOf(bursts.flat()).sort());
  });

  it('carries on when the completion its cursor names is deleted and a strict server answers 404 to it', async () => {
    let deleting = false;
    const refused: string[] = [];
    const server: TieShufflingServer = await startTieShufflingServer(base, {
      beforeList: (after) => {
        if (!deleting || after === null) return;
        // The newest completion seen, the cursor of this poll's second page, is deleted before it is read.
        deleting = false;
        refused.push(after);
        server.remove(after);
      },
    });
    const client = createClient({ baseURL: server.url });
    const watch = watching((scheduler) => client.chat.completions.watch({ limit: 5 }, { intervalMs: 1_000, scheduler }));
    await watch.pollEnded();
    const added = tiedItems('a', 12, 1_030, 2);
    server.insert(...added);
    deleting = true;
    await watch.poll();
    watch.subscription.unsubscribe();
    await server.close();
    expect(watch.errors).toEqual([]);
    expect(refused).toHaveLength(1);
    // The poll starts again from the newest: all but the deleted one, which is gone before the poll ends.
    expect(idsOf(watch.seen).sort()).toEqual(idsOf(added).filter((id) => id !== refused[0]).sort());
  });

  it('carries on when the newest completion it has emitted is deleted', async () => {
    const server = await startTieShufflingServer(base);
    const client = createClient({ baseURL: server.url });
    const watch = watching((scheduler) => client.chat.completions.watch({ limit: 5 }, { intervalMs: 1_000, scheduler }));
    await watch.pollEnded();
    server.insert(...tiedItems('a', 6, 1_030, 2));
    await watch.poll();
    server.remove(watch.seen[watch.seen.length - 1]?.id ?? '');
    server.insert(...tiedItems('b', 6, 1_034, 2));
    await watch.poll();
    watch.subscription.unsubscribe();
    await server.close();
    expect(watch.errors).toEqual([]);
    expect(idsOf(watch.seen).sort()).toEqual([...idsOf(tiedItems('a', 6, 1_030, 2)), ...idsOf(tiedItems('b', 6, 1_034, 2))].sort());
  });

  it('goes on through resets and 5xx: a failed poll is reported and the next one catches up', async () => {
    const faults = (n: number): Fault => (n % 3 === 1 ? 'reset' : n % 3 === 2 ? 'http-500' : undefined);
    const server = await startTieShufflingServer(base, { faults });
    const client = createClient({ baseURL: server.url, retry: { maxRetries: 0 } });
    const pollErrors: unknown[] = [];
    const watch = watching((scheduler) =>
      client.chat.completions.watch({ limit: 100 }, { intervalMs: 1_000, scheduler, onPollError: (error) => pollErrors.push(error) }),
    );
    await watch.pollEnded();
    const added = tiedItems('a', 12, 1_040, 4);
    server.insert(...added);
    for (let poll = 0; poll < 3; poll++) await watch.poll();
    watch.subscription.unsubscribe();
    await server.close();
    expect(pollErrors).toHaveLength(2);
    expect(watch.errors).toEqual([]);
    expect(idsOf(watch.seen).sort()).toEqual(idsOf(added).sort());
  });

  it('retries a fault within the poll, through the client’s own retries', async () => {
    const server = await startTieShufflingServer(base, { faults: (n) => (n === 1 ? 'http-500' : n === 2 ? 'reset' : undefined) });
    const client = createClient({ baseURL: server.url, retry: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 2 } });
    const pollErrors: unknown[] = [];
    const watch = watching((scheduler) => client.chat.completions.watch({}, { intervalMs: 1_000, scheduler, onPollError: (error) => pollErrors.push(error) }));
    await watch.pollEnded();
    server.insert(...tiedItems('a', 3, 1_050, 3));
    await watch.poll();
    watch.subscription.unsubscribe();
    await server.close();
    expect(pollErrors).toEqual([]);
    expect(idsOf(watch.seen)).toHaveLength(3);
  });

  it('sends nothing more once unsubscribed: the request in flight is aborted and no poll follows', async () => {
    let hang = false;
    const server = await startTieShufflingServer(base, { faults: () => (hang ? 'hang' : undefined) });
    const dispatcher = new CountingAgent();
    const client = createClient({ baseURL: server.url, dispatcher });
    const watch = watching((scheduler) => client.chat.completions.watch({}, { intervalMs: 1_000, scheduler }));
    await watch.pollEnded();
    hang = true;
    watch.scheduler.flush();
    await until(() => server.requests.length === 2);
    watch.subscription.unsubscribe();
    await until(() => server.aborted() === 1);
    // No poll is scheduled, and running the scheduler dry asks the client for nothing more.
    expect(watch.scheduler.actions).toHaveLength(0);
    watch.scheduler.flush();
    expect(dispatcher.dispatched).toBe(2);
    await server.close();
    await dispatcher.close();
  });

  it('stops at once on its signal, with an AbortError', async () => {
    const server = await startTieShufflingServer(base);
    const client = createClient({ baseURL: server.url });
    const controller = new AbortController();
    const watch = watching((scheduler) => client.chat.completions.watch({}, { intervalMs: 1_000, scheduler, signal: controller.signal }));
    await watch.pollEnded();
    controller.abort();
    expect(watch.errors[0]).toBeInstanceOf(AbortError);
    expect(watch.scheduler.actions.every((action) => action.closed)).toBe(true);
    await server.close();
  });
});
