import { CONNECTION_OPTIONS, readConnection } from '../../../src/cli/args/connectionOptions';
import { EMULATOR_OPTIONS } from '../../../src/cli/args/emulatorOptions';
import { HELP_OPTION } from '../../../src/cli/args/commonOptions';
import { LIST_OPTIONS, readWalkParams } from '../../../src/cli/args/listOptions';
import { formatOptionsHelp, parseOptions } from '../../../src/cli/args/parseOptions';
import { CLI_DEFAULTS } from '../../../src/cli/cliDefaults';
import { UsageError } from '../../../src/cli/UsageError';

const SPECS = { ...LIST_OPTIONS, ...CONNECTION_OPTIONS, ...EMULATOR_OPTIONS, ...HELP_OPTION };
const parse = (...args: string[]) => parseOptions(args, SPECS);
const walk = (...args: string[]) => readWalkParams(parse(...args));
const connect = (env: Record<string, string>, ...args: string[]) => readConnection(parse(...args), env);

/** The UsageError a function throws, for assertions on its message and command. */
function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('parseOptions', () => {
  it.each([
    [['--nope'], 'Unknown option "--nope"'],
    [['--count', '5'], 'Unknown option "--count"; did you mean `--max`?'],
    [['--metdata', 'a=1'], 'Unknown option "--metdata"; did you mean `--metadata`?'],
    [['--version'], 'Unknown option "--version": the version is `rxsc --version`, before any command'],
    [['stray'], 'Unexpected positional argument (not shown, in case it is a key): every value follows its --flag'],
    [['--model'], '`--model` needs a value (MODEL)'],
    [['--model', '--order', 'asc'], '`--model` needs a value (MODEL); give one that starts with a dash as `--model=-…`'],
    [['--help=yes'], '`--help` takes no value'],
  ])('turns %j into a usage error of one line', (args, message) => {
    expect(usageError(() => parse(...args)).message).toBe(message);
  });

  it('takes a negative number for the value it is, so that the flag says what is wrong with it', () => {
    expect(usageError(() => parse('--max', '-1').integer('max', 1)).message).toBe('Expected `--max` to be an integer ≥ 1, got "-1"');
    expect(parse('--max', '-1', '--order', 'asc').string('order')).toBe('asc');
  });

  it('takes -h for --help', () => {
    expect(parse('-h').flag('help')).toBe(true);
  });

  it('accepts --flag=value and --flag value alike', () => {
    expect(parse('--model=gpt-4o').string('model')).toBe('gpt-4o');
    expect(parse('--model', 'gpt-4o').string('model')).toBe('gpt-4o');
  });

  it('refuses an empty value', () => {
    expect(usageError(() => parse('--model=').string('model')).message).toBe('Expected `--model` to be a non-empty value, got ""');
  });

  it('formats help with aligned flags and value placeholders', () => {
    const help = formatOptionsHelp({
      a: { type: 'boolean', help: 'A flag' },
      'long-one': { type: 'string', value: 'N', help: 'A number' },
      help: { type: 'boolean', short: 'h', help: 'Help' },
    });
    expect(help).toBe('  --a           A flag\n  --long-one N  A number\n  -h, --help    Help\n');
  });
});

describe('readWalkParams', () => {
  it('reads every list parameter and --max', () => {
    expect(walk('--model', 'gpt-4o', '--order', 'desc', '--limit', '50', '--after', 'chatcmpl-1', '--max', '7')).toEqual({
      params: { model: 'gpt-4o', order: 'desc', limit: 50, after: 'chatcmpl-1' },
      max: 7,
    });
  });

  it('reads nothing from nothing', () => {
    expect(walk()).toEqual({ params: {}, max: undefined });
  });

  it('splits --metadata on the first =, so values may hold one', () => {
    expect(walk('--metadata', 'env=prod', '--metadata', 'query=a=b', '--metadata', 'empty=').params.metadata).toEqual({
      env: 'prod',
      query: 'a=b',
      empty: '',
    });
  });

  it.each([
    [['--limit', '0'], 'Expected `--limit` to be an integer from 1 to 100, got "0"'],
    [['--limit', '101'], 'Expected `--limit` to be an integer from 1 to 100, got "101"'],
    [['--limit', '2.5'], 'Expected `--limit` to be an integer from 1 to 100, got "2.5"'],
    [['--limit', '1e2'], 'Expected `--limit` to be an integer from 1 to 100, got "1e2"'],
    [['--max', '0'], 'Expected `--max` to be an integer ≥ 1, got "0"'],
    [['--max', 'ten'], 'Expected `--max` to be an integer ≥ 1, got "ten"'],
    [['--order', 'up'], "Expected `--order` to be 'asc' or 'desc', got \"up\""],
    [['--metadata', 'novalue'], 'Expected `--metadata` to be KEY=VALUE with a non-empty KEY, got "novalue"'],
    [['--metadata', '=x'], 'Expected `--metadata` to be KEY=VALUE with a non-empty KEY, got "=x"'],
    [['--metadata', 'a=1', '--metadata', 'a=2'], '`--metadata` gives the key "a" twice; a completion has one value per key'],
  ])('refuses %j', (args, message) => {
    expect(usageError(() => walk(...args)).message).toBe(message);
  });
});

describe('readConnection', () => {
  it('takes --base-url and --api-key over the environment', () => {
    const env = { OPENAI_BASE_URL: 'http://env.example/v1', OPENAI_API_KEY: 'sk-env' };
    expect(connect(env, '--base-url', 'http://flag.example/v1/', '--api-key', 'sk-flag', '--max-retries', '0')).toEqual({
      target: { kind: 'remote', baseURL: 'http://flag.example/v1', apiKey: 'sk-flag' },
      maxRetries: 0,
      timeoutMs: CLI_DEFAULTS.timeoutMs,
    });
    expect(connect(env)).toEqual({
      target: { kind: 'remote', baseURL: 'http://env.example/v1', apiKey: 'sk-env' },
      maxRetries: undefined,
      timeoutMs: CLI_DEFAULTS.timeoutMs,
    });
  });

  it('requires a key for OpenAI’s own URL only', () => {
    expect(usageError(() => connect({})).message).toBe(
      'Missing API key for https://api.openai.com/v1: pass --api-key or set OPENAI_API_KEY',
    );
    expect(usageError(() => connect({ OPENAI_API_KEY: '' }, '--base-url', 'https://api.openai.com/v1/')).message).toMatch(/Missing API key/);
    expect(connect({}, '--base-url', 'http://127.0.0.1:8080/v1').target).toEqual({
      kind: 'remote',
      baseURL: 'http://127.0.0.1:8080/v1',
      apiKey: undefined,
    });
  });

  it.each([
    [{}, ['--base-url', 'localhost:8080'], 'Expected `--base-url` to be an http(s) URL, got "localhost:8080"'],
    [{}, ['--base-url', 'nope'], 'Expected `--base-url` to be an absolute http(s) URL, got "nope"'],
    [{ OPENAI_BASE_URL: 'ftp://x/v1' }, [], 'Expected `OPENAI_BASE_URL` to be an http(s) URL, got "ftp://x/v1"'],
    [{}, ['--base-url', 'https://x/v1?v=1'], 'Expected `--base-url` to have no query and no fragment, got "https://x/v1?v=1"'],
    [{}, ['--max-retries=-1'], 'Expected `--max-retries` to be an integer ≥ 0, got "-1"'],
    [{}, ['--emulator', '--base-url', 'http://x/v1'], '`--emulator` runs its own server: it cannot be combined with `--base-url`'],
    [{ OPENAI_API_KEY: 'k' }, ['--emulator-count', '5'], '`--emulator-count` applies only with `--emulator`'],
  ])('refuses env %j with %j', (env, args, message) => {
    expect(usageError(() => connect(env, ...args)).message).toBe(message);
  });

  it('starts the default emulator with --emulator, and needs no key', () => {
    expect(connect({}, '--emulator')).toEqual({
      target: { kind: 'emulator', emulator: { ...CLI_DEFAULTS.emulator } },
      maxRetries: undefined,
      timeoutMs: CLI_DEFAULTS.timeoutMs,
    });
  });

  it('reads the emulator flags, rate limiting and faults included', () => {
    const args = ['--emulator', '--emulator-count', '10', '--emulator-seed', '3', '--emulator-rate-limit', '50:5'];
    expect(connect({}, ...args, '--emulator-fault-rate', '0', '--emulator-latency-ms', '20').target).toEqual({
      kind: 'emulator',
      emulator: { count: 10, seed: 3, rateLimit: { requestsPerSecond: 50, burst: 5 }, faultRate: 0, latencyMs: 20, arrivalsPerSecond: 0 },
    });
    expect(connect({}, '--emulator', '--emulator-rate-limit', 'off').target).toMatchObject({ emulator: { rateLimit: undefined } });
    expect(connect({}, '--emulator', '--emulator-rate-limit', '25').target).toMatchObject({
      emulator: { rateLimit: { requestsPerSecond: 25, burst: 3 } },
    });
  });

  it.each([
    [['--emulator-rate-limit', '0'], 'Expected `--emulator-rate-limit` to be RPS[:BURST] with RPS > 0 and BURST ≥ 1, or off, got "0"'],
    [['--emulator-rate-limit', '5:0'], 'Expected `--emulator-rate-limit` to be RPS[:BURST] with RPS > 0 and BURST ≥ 1, or off, got "5:0"'],
    [['--emulator-rate-limit', 'fast'], 'Expected `--emulator-rate-limit` to be RPS[:BURST] with RPS > 0 and BURST ≥ 1, or off, got "fast"'],
    [['--emulator-fault-rate', '1.5'], 'Expected `--emulator-fault-rate` to be a number from 0 to 1, got "1.5"'],
    [['--emulator-fault-rate', 'NaN'], 'Expected `--emulator-fault-rate` to be a number from 0 to 1, got "NaN"'],
  ])('refuses emulator flags %j', (args, message) => {
    expect(usageError(() => connect({}, '--emulator', ...args)).message).toBe(message);
  });
});
