import { PassThrough } from 'node:stream';
import type { CliContext } from '../../src/cli/CliContext';
import { runCli } from '../../src/cli/runCli';
import { startEmulator, type EmulatorHandle } from '../../src/testing';

/** A context whose stdin claims to be a terminal and answers `answer`, and whose stderr records what was asked. */
function terminalContext(answer: string | undefined) {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: false });
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => {
    err.push(chunk.toString('utf8'));
    // Answer once asked, as a person would.
    if (answer !== undefined && chunk.toString('utf8').endsWith('[y/N] ')) stdin.write(`${answer}\n`);
  });
  const context: CliContext = { stdin, stdout, stderr, env: {}, now: () => 0, signal: new AbortController().signal };
  return { context, out, err, stdin };
}

describe('rxsc delete on a terminal (in process)', () => {
  let emulator: EmulatorHandle;
  beforeEach(async () => {
    emulator = await startEmulator({ count: 40, seed: 2 });
  });
  afterEach(() => emulator.close());

  it('shows the filters and asks; "y" deletes', async () => {
    const { context, out, err } = terminalContext('y');
    await expect(runCli(['delete', '--base-url', emulator.url, '--model', 'gpt-4o-mini', '--since', '2024-01-01'], context)).resolves.toBe(0);
    expect(err[0]).toBe('Delete every stored completion, of model "gpt-4o-mini", created from 2024-01-01T00:00:00Z (--since 2024-01-01)? [y/N] ');
    expect(out.join('').split('\n').length).toBeGreaterThan(3);
    expect(err.at(-1)).toMatch(/^\d+ deleted, 0 already gone, 0 failed\.\n$/);
  });

  it.each([['n'], [''], ['yes please']])('answered %j, sends nothing and exits 1', async (answer) => {
    const { context, out, err } = terminalContext(answer);
    await expect(runCli(['delete', '--base-url', emulator.url], context)).resolves.toBe(1);
    expect(err).toEqual(['Delete every stored completion? [y/N] ', 'Nothing deleted.\n']);
    expect(out).toEqual([]);
    expect(emulator.stats().requests).toBe(0);
  });

  it('treats the end of input as no', async () => {
    const { context, err, stdin } = terminalContext(undefined);
    const run = runCli(['delete', '--base-url', emulator.url], context);
    stdin.end();
    await expect(run).resolves.toBe(1);
    expect(err.at(-1)).toBe('Nothing deleted.\n');
  });

  it('treats Ctrl-C at the question as no, with the exit code of the signal', async () => {
    const { context, err } = terminalContext(undefined);
    const interrupt = new AbortController();
    const run = runCli(['delete', '--base-url', emulator.url], { ...context, signal: interrupt.signal });
    interrupt.abort('SIGINT');
    await expect(run).resolves.toBe(130);
    expect(err.at(-1)).toBe('Nothing deleted.\n');
    expect(emulator.stats().requests).toBe(0);
  });
});
