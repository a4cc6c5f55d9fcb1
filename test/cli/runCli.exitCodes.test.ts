import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { COMMANDS } from '../../src/cli/runCli';
import { startEmulator, type EmulatorHandle } from '../../src/testing';
import { runCliInMemory } from '../helpers/cliRun';

describe('rxsc exit codes and messages', () => {
  let guarded: EmulatorHandle;
  const RIGHT_KEY = 'sk-right-key-0123456789';
  const WRONG_KEY = 'sk-wrong-key-9876543210';

  beforeAll(async () => {
    guarded = await startEmulator({ count: 20, apiKey: RIGHT_KEY });
  });
  afterAll(() => guarded.close());

  it('exits 0 with the key the emulator expects', async () => {
    const run = await runCliInMemory(['stats', '--base-url', guarded.url, '--api-key', RIGHT_KEY, '--json']);
    expect(run.code).toBe(0);
  });

  it.each([
    ['--api-key', (url: string) => ['export', '--base-url', url, '--api-key', WRONG_KEY], {}],
    ['--api-key=', (url: string) => ['stats', '--base-url', url, `--api-key=${WRONG_KEY}`], {}],
    ['OPENAI_API_KEY', (url: string) => ['export', '--base-url', url], { OPENAI_API_KEY: WRONG_KEY }],
  ])('exits 1 when the key given by %s is rejected, and never prints the key', async (_source, args, env) => {
    const run = await runCliInMemory(args(guarded.url), { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^rxsc: The API key was rejected by http:\/\/127\.0\.0\.1:\d+\/v1 \(check --api-key or OPENAI_API_KEY\): 401 /);
    expect(run.stdout + run.stderr).not.toContain(WRONG_KEY);
    expect(run.stdout + run.stderr).not.toContain(WRONG_KEY.slice(3, 15));
  });

  it('exits 2 for a missing key against OpenAI’s own URL, before any request', async () => {
    const run = await runCliInMemory(['export']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe(
      "rxsc: Missing API key for https://api.openai.com/v1: pass --api-key or set OPENAI_API_KEY\nRun 'rxsc export --help' for usage.\n",
    );
  });

  it('gives up on refused connections after 2 s of waits when nothing ever answered, not after the full 23.5 s', async () => {
    const run = await runCliInMemory(['stats', '--base-url', 'http://127.0.0.1:1/v1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^rxsc: Nothing accepted a connection at http:\/\/127\.0\.0\.1:1\/v1 \(connection refused: /m);
    expect(run.stderr).toMatch(/; gave up after 3 attempts and 1\.\d s of waits, as nothing ever answered there\n$/);
  });

  it('exits 1 when the host is unreachable', async () => {
    const run = await runCliInMemory(['export', '--base-url', 'http://127.0.0.1:1/v1', '--max-retries', '1']);
    expect(run.code).toBe(1);
    // Off a terminal, the retry is logged with its cause before the failure.
    expect(run.stderr).toMatch(
      /^rxsc: retrying after ECONNREFUSED \(1 so far\)\nrxsc: Nothing accepted a connection at http:\/\/127\.0\.0\.1:1\/v1 \(connection refused: .*\): Connection failed: .*ECONNREFUSED/,
    );
  });

  it('exits 1 when a page does not match the schema, naming the path', async () => {
    const server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end('{"object":"list","data":[{"id":"chatcmpl-1","choices":[],"created":1,"model":"m"},{"id":2}],"has_more":false}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      const run = await runCliInMemory(['export', '--base-url', url]);
      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(run.stderr).toMatch(/^rxsc: http:\/\/127\.0\.0\.1:\d+\/v1 sent a page that is not a list of stored completions: Invalid ChatCompletionList: data\[1\]\.id: expected string/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each([
    [['export', '--nope'], 'rxsc: Unknown option "--nope"'],
    [['stats', '--limit', '500', '--emulator'], 'rxsc: Expected `--limit` to be an integer from 1 to 100, got "500"'],
    [['stats', '--top', '0', '--emulator'], 'rxsc: Expected `--top` to be an integer ≥ 1, got "0"'],
    [['export', '--emulator', 'extra'], 'rxsc: Unexpected positional argument (not shown, in case it is a key)'],
    [['emulator', '--port', '70000'], 'rxsc: Expected `--port` to be an integer from 0 to 65535, got "70000"'],
    [['exprt'], 'rxsc: Unknown command "exprt"; expected one of export, sync, tail, stats, get, messages, delete, tag, emulator.'],
  ])('exits 2 for the bad command line %j', async (args, message) => {
    const run = await runCliInMemory(args);
    expect(run.code).toBe(2);
    expect(run.stderr.startsWith(message)).toBe(true);
  });

  it('exits 2 and prints the usage on stderr without a command', async () => {
    const run = await runCliInMemory([]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('Usage: rxsc <command> [options]');
  });

  it.each([[['--help']], [['-h']], [['help']]])('prints the top-level help for %j and exits 0', async (args) => {
    const run = await runCliInMemory(args);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    for (const command of COMMANDS) expect(run.stdout).toContain(`  ${command.name}`);
  });

  it.each(COMMANDS.map((command) => [command.name]))('prints the help of %s and exits 0', async (name) => {
    for (const args of [[name, '--help'], ['help', name]]) {
      const run = await runCliInMemory(args);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(new RegExp(`^Usage: rxsc ${name} \\[options\\]( <\\w+>)*\\n`));
      expect(run.stdout).toContain('  -h, --help');
    }
  });
});
