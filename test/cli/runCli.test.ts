import { PassThrough, Writable } from 'node:stream';
import type { CliContext } from '../../src/cli/CliContext';
import { CommandFailure } from '../../src/cli/CommandFailure';
import { COMMANDS, runCli } from '../../src/cli/runCli';
import { packageVersion } from '../../src/cli/packageVersion';
import { runCliInMemory } from '../helpers/cliRun';
import { screenLines } from '../helpers/pseudoTerminal';
import { UsageError } from '../../src/cli/UsageError';
import { StoredCompletionsError } from '../../src';
import { startEmulator, type EmulatorHandle } from '../../src/testing';

/** A context with in-memory streams, a stderr that may claim to be a terminal, and a signal to abort. */
function fakeContext(isTTY: boolean) {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY });
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString('utf8')));
  const interrupt = new AbortController();
  let nowMs = 0;
  // Each reading of the clock moves it by 50 ms, so the throttled line is redrawn every other event.
  const context: CliContext = { stdout, stderr, env: {}, now: () => (nowMs += 50), signal: interrupt.signal };
  return { context, out, err, interrupt };
}

describe('runCli (in process)', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator({ count: 300, seed: 3 });
  });
  afterAll(() => emulator.close());

  it('draws the progress line on a terminal and erases it before the report', async () => {
    const { context, out, err } = fakeContext(true);
    await expect(runCli(['stats', '--base-url', emulator.url, '--limit', '50'], context)).resolves.toBe(0);
    expect(err.length).toBeGreaterThan(2);
    expect(err[0]).toMatch(/^\r\x1b\[K\d+ items? · \d+ pages? · [\d,]+ items\/s · 0 retries/);
    expect(err.join('')).toContain('300 items · 6 pages');
    expect(err.at(-1)).toBe('\r\x1b[K');
    expect(out.join('')).toMatch(/^Completions +300$/m);
  });

  it('draws nothing when stderr is not a terminal', async () => {
    const { context, out, err } = fakeContext(false);
    await expect(runCli(['export', '--base-url', emulator.url, '--max', '3'], context)).resolves.toBe(0);
    expect(err).toEqual([]);
    expect(out.join('').split('\n')).toHaveLength(4);
  });

  it('exits 143 when terminated, 130 when interrupted', async () => {
    for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
      const { context, err, interrupt } = fakeContext(false);
      interrupt.abort(signal);
      await expect(runCli(['stats', '--base-url', emulator.url], context)).resolves.toBe(code);
      expect(err.join('')).toBe('Interrupted after 0 completions: no summary.\n');
    }
  });

  it('masks the API key in every message, whatever its source', async () => {
    const { context, err } = fakeContext(false);
    const key = 'sk-flag-secret';
    await expect(runCli(['export', `--base-url=${key}`, '--api-key', key], context)).resolves.toBe(2);
    expect(err.join('')).toBe(
      'rxsc: Expected `--base-url` to be an absolute http(s) URL, got "[redacted]"\nRun \'rxsc export --help\' for usage.\n',
    );
  });

  it("its own errors belong to the library's one hierarchy, each with a code", () => {
    expect(new UsageError('bad flag')).toMatchObject({ name: 'UsageError', code: 'usage_error' });
    expect(new CommandFailure('failed')).toMatchObject({ name: 'CommandFailure', code: 'command_failed' });
    expect(new UsageError('bad flag')).toBeInstanceOf(StoredCompletionsError);
    expect(new CommandFailure('failed')).toBeInstanceOf(StoredCompletionsError);
  });
});

describe('runCli: help, version and unknown commands', () => {
  it.each(COMMANDS.map((command) => command.name))('%s takes -h and --help, wherever among its flags', async (name) => {
    for (const args of [[name, '-h'], [name, '--help'], [name, '--max', '3', '-h'], ['help', name]]) {
      const run = await runCliInMemory(args);
      expect([run.code, run.stderr]).toEqual([0, '']);
      expect(run.stdout).toMatch(new RegExp(`^Usage: rxsc ${name} `));
      expect(run.stdout).toContain('-h, --help');
    }
  });

  it.each([
    [['help', 'bogus'], 'rxsc: Unknown command "bogus"; expected one of export, sync, tail, stats, get, messages, delete, tag, emulator. Run \'rxsc --help\'.\n'],
    [['bogus'], 'rxsc: Unknown command "bogus"; expected one of export, sync, tail, stats, get, messages, delete, tag, emulator. Run \'rxsc --help\'.\n'],
    [['--version', 'extra'], "rxsc: `--version` takes no argument, got 1. Run 'rxsc --help'.\n"],
    [['help', 'export', 'extra'], "rxsc: `rxsc help export` takes no further argument, got 1. Run 'rxsc --help'.\n"],
    [['get', '--version'], "rxsc: Unknown option \"--version\": the version is `rxsc --version`, before any command\nRun 'rxsc get --help' for usage.\n"],
    [['export', '--max', '-1'], 'rxsc: Expected `--max` to be an integer ≥ 1, got "-1"\nRun \'rxsc export --help\' for usage.\n'],
    [['stats', '--count', '5'], "rxsc: Unknown option \"--count\"; did you mean `--max`?\nRun 'rxsc stats --help' for usage.\n"],
  ])('%j is a usage error, said on one line', async (args, message) => {
    const run = await runCliInMemory(args);
    expect([run.code, run.stdout, run.stderr]).toEqual([2, '', message]);
  });

  it('prints the version, and the commands for --help, -h and help', async () => {
    expect(await runCliInMemory(['--version'])).toEqual({ code: 0, stdout: `${packageVersion()}\n`, stderr: '' });
    for (const flag of ['--help', '-h', 'help']) {
      const run = await runCliInMemory([flag]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^rxsc: stream OpenAI stored Chat Completions\n/);
    }
  });
});

describe('runCli: stdout and the status line on one terminal', () => {
  it('erases the status line before every write to stdout, so that no line holds both', async () => {
    const emulator = await startEmulator({ count: 120, seed: 5, latencyMs: 1 });
    try {
      // One terminal: both streams write, synchronously, into the same transcript.
      let transcript = '';
      const terminal = () =>
        Object.assign(new Writable({ write: (chunk: Buffer, _encoding, done) => void ((transcript += chunk.toString('utf8')), done()) }), { isTTY: true });
      let nowMs = 0;
      const context: CliContext = { stdout: terminal(), stderr: terminal(), env: {}, now: () => (nowMs += 50), signal: new AbortController().signal };
      await expect(runCli(['delete', '--yes', '--base-url', emulator.url, '--limit', '20'], context)).resolves.toBe(0);
      const lines = screenLines(transcript);
      expect(transcript).toContain(' · ');
      expect(lines.filter((line) => line.startsWith('chatcmpl-'))).toHaveLength(120);
      expect(lines.filter((line) => line.includes('chatcmpl-') && line.includes(' · '))).toEqual([]);
    } finally {
      await emulator.close();
    }
  });
});
