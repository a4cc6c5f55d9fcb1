import { CLI_DEFAULTS } from '../cliDefaults';
import type { Command } from '../Command';

const DEFAULTS = CLI_DEFAULTS.emulator;

/**
 * `rxsc emulator`: a local server of the stored Chat Completions API, for
 * trying the CLI or a client without an OpenAI account. It prints its base URL
 * on stdout, alone on its line, so that scripts can read it, and runs until
 * SIGINT or SIGTERM.
 */
export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'Run a local emulator of the stored Chat Completions API',
  description: [
    'Starts an emulator of the stored Chat Completions API on 127.0.0.1 with a seeded',
    'history, prints its base URL (ending in /v1) on stdout, and serves until Ctrl-C',
    '(SIGINT) or SIGTERM, then exits 0. Its defaults are those of --emulator on export',
    'and stats: rate limiting and faults are on, so that clients meet 429s and 5xx.',
  ].join('\n'),
  options: {
    port: { type: 'string', value: 'N', help: 'TCP port on 127.0.0.1 (default 0: any free port)' },
    count: { type: 'string', value: 'N', help: `Completions it holds (default ${DEFAULTS.count})` },
    seed: { type: 'string', value: 'N', help: `Seed of its history (default ${DEFAULTS.seed})` },
    'api-key': { type: 'string', value: 'KEY', help: 'Require this API key (default: accept any request)' },
    azure: {
      type: 'boolean',
      help: 'Act as an Azure OpenAI resource: print its endpoint, serve /openai/v1/… and /openai/…?api-version=V, take the key as api-key',
    },
    'rate-limit': {
      type: 'string',
      value: 'RPS[:BURST]|off',
      help: `Rate limit (default ${DEFAULTS.rateLimit.requestsPerSecond}:${DEFAULTS.rateLimit.burst}; BURST defaults to RPS/10)`,
    },
    'fault-rate': { type: 'string', value: 'R', help: `Share of requests it fails, 0 to 1 (default ${DEFAULTS.faultRate})` },
    'latency-ms': { type: 'string', value: 'MS', help: `Delay added to every response (default ${DEFAULTS.latencyMs})` },
    arrivals: { type: 'string', value: 'N', help: `Completions it stores per second, as an application would (default ${DEFAULTS.arrivalsPerSecond})` },
  },
  examples: ['rxsc emulator --port 8787 --count 1000 --rate-limit off --fault-rate 0'],
  load: () => (require('./runEmulator') as typeof import('./runEmulator')).runEmulator,
};
