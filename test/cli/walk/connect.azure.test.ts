import { startEmulator, type EmulatorHandle } from '../../../src/testing';
import { json, listPage, startScriptedServer } from '../../helpers/scriptedServer';
import { runCliInMemory } from '../../helpers/cliRun';

const KEY = 'azure-cli-key-0123456789';
const VERSION = '2025-04-01-preview';

describe('rxsc against Azure OpenAI', () => {
  let emulator: EmulatorHandle;

  beforeAll(async () => {
    // The versioned paths take the key only as `api-key`, and only this version.
    emulator = await startEmulator({ count: 230, seed: 8, azure: { apiKey: KEY, apiVersion: VERSION } });
  });
  afterAll(() => emulator.close());

  const countOf = (stdout: string): number => (JSON.parse(stdout) as { count: number }).count;

  it('walks the v1 API with --azure-endpoint and --api-key', async () => {
    const before = emulator.stats().requests;
    const run = await runCliInMemory(['stats', '--azure-endpoint', emulator.endpoint, '--api-key', KEY, '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(countOf(run.stdout)).toBe(230);
    expect(emulator.stats().requests - before).toBe(3);
  });

  it('walks the versioned API with --api-version', async () => {
    const run = await runCliInMemory(['stats', '--azure-endpoint', `${emulator.endpoint}/openai/`, '--api-version', VERSION, '--api-key', KEY, '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(countOf(run.stdout)).toBe(230);
  });

  it('sends every request to /openai/…?api-version=V with --api-version, the key as api-key', async () => {
    const server = await startScriptedServer((_req, res) => json(res, 200, listPage([], false)));
    try {
      const run = await runCliInMemory(['stats', '--azure-endpoint', server.url.replace(/\/v1$/, ''), '--api-version', VERSION, '--api-key', KEY]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(server.requests.map((request) => [request.url, request.headers['api-key'], request.headers.authorization])).toEqual([
        [`/openai/chat/completions?limit=100&api-version=${VERSION}`, KEY, undefined],
      ]);
    } finally {
      await server.close();
    }
  });

  it('reads AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY and OPENAI_API_VERSION', async () => {
    const run = await runCliInMemory(['export', '--max', '3'], { env: { AZURE_OPENAI_ENDPOINT: emulator.endpoint, AZURE_OPENAI_API_KEY: KEY, OPENAI_API_VERSION: VERSION } });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('takes OPENAI_BASE_URL over AZURE_OPENAI_ENDPOINT, and --api-key over AZURE_OPENAI_API_KEY', async () => {
    const openai = await startEmulator({ count: 7 });
    try {
      const run = await runCliInMemory(['stats', '--json'], { env: { OPENAI_BASE_URL: openai.url, AZURE_OPENAI_ENDPOINT: emulator.endpoint } });
      expect(countOf(run.stdout)).toBe(7);
      const keyed = await runCliInMemory(['stats', '--json', '--api-key', KEY], { env: { AZURE_OPENAI_ENDPOINT: emulator.endpoint, AZURE_OPENAI_API_KEY: 'azure-cli-key-of-the-env' } });
      expect(countOf(keyed.stdout)).toBe(230);
    } finally {
      await openai.close();
    }
  });

  it('fails with exit code 1 for a refused key, explained, without printing it', async () => {
    const run = await runCliInMemory(['stats', '--max-retries', '0'], { env: { AZURE_OPENAI_ENDPOINT: emulator.endpoint, AZURE_OPENAI_API_KEY: 'azure-cli-key-refused-000' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('The API key was rejected by');
    expect(run.stderr).toContain('Access denied due to invalid subscription key');
    expect(run.stderr).not.toContain('azure-cli-key-refused-000');
  });

  it('masks the key of AZURE_OPENAI_API_KEY when a server quotes it back', async () => {
    const server = await startScriptedServer((req, res) => json(res, 401, { error: { code: '401', message: `Key ${String(req.headers['api-key'])} is not valid here` } }));
    try {
      const endpoint = server.url.replace(/\/v1$/, '');
      const run = await runCliInMemory(['stats', '--max-retries', '0'], { env: { AZURE_OPENAI_ENDPOINT: endpoint, AZURE_OPENAI_API_KEY: 'azure-cli-key-quoted-0000' } });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Key [redacted] is not valid here');
      expect(run.stderr).not.toContain('azure-cli-key-quoted-0000');
      expect(server.requests[0]?.headers['api-key']).toBe('azure-cli-key-quoted-0000');
      expect(server.requests[0]?.url).toBe('/openai/v1/chat/completions?limit=100');
    } finally {
      await server.close();
    }
  });

  it.each<[string, string[], Record<string, string>, string]>([
    ['--api-version without Azure', ['--api-version', VERSION, '--base-url', 'http://127.0.0.1:9/v1'], {}, '`--api-version` applies only to Azure: with `--azure-endpoint` or AZURE_OPENAI_ENDPOINT'],
    ['--azure-endpoint with --base-url', ['--azure-endpoint', 'https://r.openai.azure.com', '--base-url', 'http://127.0.0.1:9/v1'], {}, '`--azure-endpoint` and `--base-url` exclude each other'],
    ['--azure-endpoint with --emulator', ['--azure-endpoint', 'https://r.openai.azure.com', '--emulator'], {}, '`--emulator` runs its own server: it cannot be combined with `--azure-endpoint`'],
    ['a malformed endpoint', ['--azure-endpoint', 'r.openai.azure.com'], {}, 'Expected `--azure-endpoint` to be an'],
    ['a malformed OPENAI_API_VERSION', [], { AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com', OPENAI_API_VERSION: '2025 04' }, 'Expected `OPENAI_API_VERSION` to be a version such as "2025-04-01-preview", got "2025 04"'],
  ])('refuses %s with exit code 2', async (_, args, env, message) => {
    const run = await runCliInMemory(['stats', ...args], { env: env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
