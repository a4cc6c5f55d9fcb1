import { SEEDED_MODELS, SENTENCES } from '../seeded/corpus';
import { createCompletion } from '../seeded/createCompletion';
import { hash32, mulberry32 } from '../seeded/prng';
import type { EmulatorClock } from '../options';
import type { CompletionStore } from './completionStore';

const ARRIVAL_STREAM = 0xa771;

/**
 * Stores new completions over time, as an application using the API with
 * `store: true` would: one every `1000 / perSecond` ms of the emulator's
 * clock, until `signal` aborts. Each is what the create endpoint stores for
 * a one-message conversation: a model of the seeded history, a sentence of
 * the corpus, `created` at the wall-clock second, and `metadata.source`
 * `arrival`, so that a filter can tell arrivals from the seeded history.
 *
 * @param store The completions.
 * @param perSecond Arrivals per second, above 0.
 * @param clock The emulator's clock, whose `sleep` paces the arrivals.
 * @param seed Seed of the models and sentences drawn.
 * @param signal Aborted when the emulator closes.
 */
export function startArrivals(store: CompletionStore, perSecond: number, clock: EmulatorClock, seed: number, signal: AbortSignal): void {
  const rng = mulberry32(hash32(seed, 0, ARRIVAL_STREAM));
  void (async () => {
    for (let n = 0; ; n++) {
      try {
        await clock.sleep(1000 / perSecond, signal);
      } catch {
        return; // closed
      }
      const request = { model: rng.pick(SEEDED_MODELS), store: true, metadata: { source: 'arrival' }, messages: [{ role: 'user', content: rng.pick(SENTENCES) }] };
      const created = createCompletion(request, JSON.stringify(request), {
        id: store.newId(),
        created: Math.floor(Date.now() / 1000),
        requestId: `req_arrival${String(n).padStart(26, '0')}`,
      });
      if (created.stored !== undefined) store.insert(created.stored);
    }
  })();
}
