import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { finished, spawnRxsc } from '../../helpers/runRxsc';

/** The first line the child prints on stdout: the emulator's URL. */
function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
  });
}

describe('rxsc emulator (child process)', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('prints its URL, serves the API, and exits 0 on %s', async (signal) => {
    const child = spawnRxsc(['emulator', '--count', '30', '--seed', '5', '--rate-limit', 'off', '--fault-rate', '0']);
    const run = finished(child);
    const url = await firstLine(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const page = (await (await fetch(`${url}/chat/completions?limit=100`)).json()) as { data: unknown[]; has_more: boolean };
    expect(page.data).toHaveLength(30);
    expect(page.has_more).toBe(false);
    child.kill(signal);
    const { code, stdout, stderr } = await run;
    expect(code).toBe(0);
    expect(stdout).toBe(`${url}\n`);
    expect(stderr).toMatch(/^Emulating 30 stored completions \(seed 5\), no rate limit, fault rate 0/);
  });

  it('requires the API key it was given', async () => {
    const child = spawnRxsc(['emulator', '--count', '1', '--api-key', 'sk-emulated', '--fault-rate', '0']);
    const run = finished(child);
    const url = await firstLine(child);
    expect((await fetch(`${url}/chat/completions`)).status).toBe(401);
    expect((await fetch(`${url}/chat/completions`, { headers: { authorization: 'Bearer sk-emulated' } })).status).toBe(200);
    child.kill('SIGINT');
    expect((await run).code).toBe(0);
  });

  it('acts as Azure OpenAI with --azure: its endpoint, Azure’s paths, the key as api-key', async () => {
    const child = spawnRxsc(['emulator', '--azure', '--count', '3', '--api-key', 'azure-emulated', '--rate-limit', 'off', '--fault-rate', '0']);
    const run = finished(child);
    const endpoint = await firstLine(child);
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const versioned = `${endpoint}/openai/chat/completions?api-version=2025-04-01-preview`;
    expect((await fetch(versioned, { headers: { 'api-key': 'azure-emulated' } })).status).toBe(200);
    expect((await fetch(versioned, { headers: { authorization: 'Bearer azure-emulated' } })).status).toBe(401);
    expect((await fetch(`${endpoint}/openai/v1/chat/completions`, { headers: { 'api-key': 'azure-emulated' } })).status).toBe(200);
    child.kill('SIGINT');
    const { code, stderr } = await run;
    expect(code).toBe(0);
    expect(stderr).toMatch(/^Emulating 3 stored completions \(seed 1\) as Azure OpenAI, no rate limit/);
  });
});
