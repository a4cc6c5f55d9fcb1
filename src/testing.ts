/**
 * Test utilities of `rx-stored-completions`, published as the `rx-stored-completions/testing`
 * subpath: a local emulator of OpenAI's stored Chat Completions API.
 *
 * @packageDocumentation
 */

/**
 * Starts a local server of the stored Chat Completions API on 127.0.0.1 with a seeded history,
 * optional API key check, rate limit, faults and latency. See `docs/emulator.md`.
 *
 * ## Example
 *
 * ```ts
 * import { startEmulator } from 'rx-stored-completions/testing';
 *
 * const emulator = await startEmulator({ count: 250, seed: 7 });
 * // … point a client at emulator.url …
 * await emulator.close();
 * ```
 */
export { startEmulator } from './emulator/startEmulator';
/** A running emulator: its `url`, `close()` and `stats()`. */
export type { EmulatorHandle } from './emulator/startEmulator';
/** The request and response counters of `EmulatorHandle.stats()`. */
export type { EmulatorStats } from './emulator/startEmulator';
/** Options of `startEmulator`; each default is in `EMULATOR_DEFAULTS`. */
export type { EmulatorOptions } from './emulator/options';
/** The `rateLimit` option: a token bucket of `burst` tokens refilled at `requestsPerSecond`. */
export type { RateLimitOptions } from './emulator/options';
/** The `clock` option: the time of rate limiting and latency, injectable for tests in controlled time. */
export type { EmulatorClock } from './emulator/options';
/** What a rate-limited emulator's `x-ratelimit-*` headers describe: `exact`, `quantized` or `none`. */
export type { RateLimitHeaderMode } from './emulator/limits/rateLimit';
/** The `faults` option: probability, kinds, seed and cap of injected faults. */
export type { FaultOptions } from './emulator/options';
export type { RetryAfterMs } from './emulator/options';
/** The `azure` option: Azure OpenAI's paths, `api-key` and Entra tokens, and `api-version`. */
export type { AzureOptions } from './emulator/options';
/** The defaults of every emulator option, in one object. */
export { EMULATOR_DEFAULTS } from './emulator/options';
/** The kinds of fault the emulator can inject. */
export type { FaultKind } from './emulator/faults/faults';
/** Every fault kind, the default of `faults.kinds`. */
export { FAULT_KINDS } from './emulator/faults/faults';
/** The `writeFaults` option: probability, kinds, seed and cap of faults injected on update and delete. */
export type { WriteFaultOptions } from './emulator/options';
/** The kinds of fault the emulator can inject on writes, some after the write took effect. */
export type { WriteFaultKind } from './emulator/faults/writeFaults';
/** Every write fault kind, the default of `writeFaults.kinds`. */
export { WRITE_FAULT_KINDS } from './emulator/faults/writeFaults';
