import { hash32, hashString } from '../seeded/prng';

/**
 * The failures the emulator can inject, each a way real traffic to the API fails:
 *
 * - `http-429`: an isolated rate-limit error (a busy shard, a gateway's hiccup) with a short
 *   `retry-after-ms`, whatever the rate of requests: noise, not a limit.
 * - `http-429-no-wait`: the same without `retry-after` or `retry-after-ms`: a 429 that states no wait.
 * - `http-500`, `http-502`, `http-503`: server errors in the API's envelope.
 * - `connection-reset`: the socket is reset before any response.
 * - `truncated-body`: the full `content-length`, half the body, then the socket is destroyed.
 * - `html-body`: a proxy's HTML page instead of JSON, with status 502 or 200.
 * - `latency`: the normal response, late.
 */
export const FAULT_KINDS = [
  'http-429',
  'http-429-no-wait',
  'http-500',
  'http-502',
  'http-503',
  'connection-reset',
  'truncated-body',
  'html-body',
  'latency',
] as const;

/** One of {@link FAULT_KINDS}. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A fault chosen for one request: of a read ({@link FaultKind}) or of a write (`WriteFaultKind`). */
export interface Fault<K extends string = FaultKind> {
  readonly kind: K;
  /** A further deterministic draw, for kinds with variants (`html-body`'s status). */
  readonly variant: number;
}

/** How often and which faults to inject. */
export interface FaultConfig<K extends string = FaultKind> {
  /** Probability per request, 0 to 1. */
  readonly rate: number;
  readonly kinds: readonly K[];
  readonly seed: number;
  /** At most this many failed attempts in a row for one request key. */
  readonly maxConsecutive: number;
}

/**
 * The fault for one attempt at one request, before the cap on consecutive faults: a pure function
 * of the seed, the request key and the attempt number for that key.
 *
 * @param config rate, kinds and seed.
 * @param key method, path and query of the request.
 * @param attempt how many requests with this key came before (0 for the first).
 * @returns the fault, or `undefined` for a normal response.
 */
export function drawFault<K extends string>(config: FaultConfig<K>, key: string, attempt: number): Fault<K> | undefined {
  const draw = hash32(config.seed, hashString(key), attempt);
  if (draw / 0x100000000 >= config.rate) return undefined;
  const kind = config.kinds[hash32(draw, 1, 0) % config.kinds.length];
  return kind === undefined ? undefined : { kind, variant: hash32(draw, 2, 0) };
}

/** Latency delays the response but does not fail it, so it does not count towards the cap. */
function fails(fault: Fault<string> | undefined): boolean {
  return fault !== undefined && fault.kind !== 'latency';
}

/**
 * Decides the fault for each request, counting attempts per request key.
 *
 * The decision for the n-th request with a key is {@link drawFault} of `(seed, key, n)`, except
 * that after `maxConsecutive` failed attempts in a row the next one succeeds, so a client that
 * retries always progresses. Attempts are counted per key, not globally, so concurrent requests
 * for other keys do not change the outcome of this one.
 */
export class FaultPlan<K extends string = FaultKind> {
  private readonly attempts = new Map<string, { count: number; consecutive: number }>();

  /** @param config rate, kinds, seed and cap. */
  constructor(private readonly config: FaultConfig<K>) {}

  /**
   * The fault for the next request with this key.
   *
   * @param key method, path and query of the request.
   * @returns the fault, or `undefined` for a normal response.
   */
  next(key: string): Fault<K> | undefined {
    const history = this.attempts.get(key) ?? { count: 0, consecutive: 0 };
    const drawn = drawFault(this.config, key, history.count);
    const fault = fails(drawn) && history.consecutive >= this.config.maxConsecutive ? undefined : drawn;
    this.attempts.set(key, { count: history.count + 1, consecutive: fails(fault) ? history.consecutive + 1 : 0 });
    return fault;
  }
}
