import { lastValueFrom, map, Subject, take, toArray, type Subscription } from 'rxjs';
import { createClient, type ChatCompletion, type Client } from '../../../../src';
import { pacedSourceOf } from '../../../../src/internal/core/pacedSource';
import { startEmulator, type EmulatorHandle } from '../../../../src/testing';
import { CountingAgent } from '../../../helpers/CountingAgent';
import { turns, until } from '../../../helpers/until';

/** Works that finish only when the test says so, recording which run at once. */
function heldWorks() {
  const running = new Map<string, Subject<string>>();
  const work = (item: ChatCompletion) => {
    const release = new Subject<string>();
    running.set(item.id, release);
    return release.pipe(take(1));
  };
  const finish = (id: string): void => {
    running.get(id)?.next(id);
    running.delete(id);
  };
  return { running, work, finish };
}


describe('process() paced by its work, across page boundaries', () => {
  let emulator: EmulatorHandle;
  let client: Client;
  let all: ChatCompletion[];
  let subscription: Subscription | undefined;

  beforeAll(async () => {
    emulator = await startEmulator({ count: 12, seed: 5 });
    client = createClient({ baseURL: emulator.url });
    all = await lastValueFrom(client.chat.completions.list().pipe(toArray()));
  });
  afterEach(() => subscription?.unsubscribe());
  afterAll(() => emulator.close());

  it('starts the next page\'s items while the last of the current one still run', async () => {
    const { running, work } = heldWorks();
    subscription = client.chat.completions.process({ limit: 3 }, work, { concurrency: 4 }).subscribe();
    await until(() => running.size === 4);
    // Page 0 holds the first three: the fourth work is page 1's first item.
    expect([...running.keys()]).toEqual(all.slice(0, 4).map((c) => c.id));
  });

  it('requests no page beyond `prefetch` ahead of the last finished one, however far the works lag', async () => {
    const { running, work, finish } = heldWorks();
    // Counted where the client hands requests to undici: once the responses that could prompt
    // another request are delivered and the work they start has run, none may have been asked for.
    const dispatcher = new CountingAgent();
    try {
      const counted = createClient({ baseURL: emulator.url, dispatcher });
      subscription = counted.chat.completions.process({ limit: 3 }, work, { concurrency: 1, prefetch: 1 }).subscribe();
      await until(() => running.size === 1 && dispatcher.answered === 2);
      await turns(20);
      // Page 0 is at work and page 1 prefetched; page 2 waits until page 0 is finished.
      expect(dispatcher.dispatched).toBe(2);
      for (const c of all.slice(0, 2)) {
        finish(c.id);
        await until(() => running.size === 1);
      }
      await turns(20);
      expect(dispatcher.dispatched).toBe(2);
      finish(all[2]!.id);
      await until(() => dispatcher.dispatched === 3);
    } finally {
      subscription?.unsubscribe();
      await dispatcher.close();
    }
  });

  it('emits every result once, in the order the works finish', async () => {
    const results = await lastValueFrom(
      client.chat.completions.process({ limit: 5 }, (c) => [c.id], { concurrency: 3 }).pipe(toArray()),
    );
    expect(results).toEqual(all.map((c) => c.id));
  });

  it('list() hands operators a runner over the same walk; anything piped after it does not', async () => {
    const listed = client.chat.completions.list({ limit: 5 });
    const runner = pacedSourceOf(listed);
    expect(runner).toBeDefined();
    expect(pacedSourceOf(listed.pipe(map((c) => c)))).toBeUndefined();
    const before = emulator.stats().requests;
    const ids = await lastValueFrom(runner!((c: ChatCompletion) => [c.id], { concurrency: 2, prefetch: 1 }).pipe(toArray()));
    expect(ids).toEqual(all.map((c) => c.id));
    expect(emulator.stats().requests - before).toBe(3);
  });
});
