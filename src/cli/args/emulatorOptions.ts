import { CLI_DEFAULTS } from '../cliDefaults';
import type { OptionSpecs, ParsedOptions } from './parseOptions';

const EMULATOR = CLI_DEFAULTS.emulator;

/** An in-process emulator instead of `--base-url`. */
export const EMULATOR_OPTIONS: OptionSpecs = {
  emulator: { type: 'boolean', help: 'Run against an in-process emulator instead of --base-url' },
  'emulator-count': { type: 'string', value: 'N', help: `Completions it holds (default ${EMULATOR.count})` },
  'emulator-seed': { type: 'string', value: 'N', help: `Seed of its history (default ${EMULATOR.seed})` },
  'emulator-rate-limit': {
    type: 'string',
    value: 'RPS[:BURST]|off',
    help: `Its rate limit (default ${EMULATOR.rateLimit.requestsPerSecond}:${EMULATOR.rateLimit.burst})`,
  },
  'emulator-fault-rate': { type: 'string', value: 'R', help: `Share of requests it fails, 0 to 1 (default ${EMULATOR.faultRate})` },
  'emulator-latency-ms': { type: 'string', value: 'MS', help: `Delay it adds to every response (default ${EMULATOR.latencyMs})` },
  'emulator-arrivals': { type: 'string', value: 'N', help: `Completions it stores per second, as an application would (default ${EMULATOR.arrivalsPerSecond})` },
};

/** The emulator to start in-process. */
export interface EmulatorSettings {
  readonly count: number;
  readonly seed: number;
  /** `undefined` when rate limiting is off. */
  readonly rateLimit: { readonly requestsPerSecond: number; readonly burst: number } | undefined;
  readonly faultRate: number;
  readonly latencyMs: number;
  readonly arrivalsPerSecond: number;
}

/**
 * Reads the emulator flags, under a prefix: `emulator-` on `export` and
 * `stats`, none on the `emulator` command.
 *
 * @param options The parsed command line.
 * @param prefix The flags' prefix.
 * @returns The settings, defaults filled in.
 * @throws {UsageError} for a bad value.
 */
export function readEmulatorSettings(options: ParsedOptions, prefix: string): EmulatorSettings {
  return {
    count: options.integer(`${prefix}count`, 0) ?? EMULATOR.count,
    seed: options.integer(`${prefix}seed`, 0, 0xffff_ffff) ?? EMULATOR.seed,
    rateLimit: readRateLimit(options, `${prefix}rate-limit`),
    faultRate: options.number(`${prefix}fault-rate`, 0, 1) ?? EMULATOR.faultRate,
    latencyMs: options.integer(`${prefix}latency-ms`, 0) ?? EMULATOR.latencyMs,
    arrivalsPerSecond: options.number(`${prefix}arrivals`, 0, 1_000) ?? EMULATOR.arrivalsPerSecond,
  };
}

function readRateLimit(options: ParsedOptions, name: string): EmulatorSettings['rateLimit'] {
  const text = options.string(name);
  if (text === undefined) return EMULATOR.rateLimit;
  if (text === 'off') return undefined;
  const match = /^(\d+(?:\.\d+)?)(?::(\d+))?$/.exec(text);
  const requestsPerSecond = Number(match?.[1]);
  const burst = match?.[2] === undefined ? Math.max(1, Math.ceil(requestsPerSecond / 10)) : Number(match[2]);
  if (match === null || !(requestsPerSecond > 0) || !(burst >= 1)) {
    options.fail(name, 'RPS[:BURST] with RPS > 0 and BURST ≥ 1, or off', text);
  }
  return { requestsPerSecond, burst };
}
