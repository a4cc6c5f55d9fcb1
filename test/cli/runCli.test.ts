import { PassThrough } from 'node:stream';
import type { CliContext } from '../../src/cli/CliContext';
import { CommandFailure } from '../../src/cli/CommandFailure';
import { runCli } from '../../src/cli/runCli';
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
