import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rawItems } from '../../../src/cli/jsonl/rawItems';
import { startEmulator, type EmulatorHandle } from '../../../src/testing';
import { runCliInMemory } from '../../helpers/cliRun';
import { completion, json, startScriptedServer } from '../../helpers/scriptedServer';
import { storeScript } from '../../helpers/scriptedStore';

describe('rxsc get, rxsc messages, rxsc --version', () => {
  let emulator: EmulatorHandle;
  let id: string;

  beforeAll(async () => {
    emulator = await startEmulator({ count: 20, seed: 4 });
    const page = (await (await fetch(`${emulator.url}/chat/completions?limit=1`)).json()) as { data: Array<{ id: string }> };
    id = page.data[0]!.id;
  });
  afterAll(() => emulator.close());

  it('get prints the completion as the server sent it', async () => {
    const body = await (await fetch(`${emulator.url}/chat/completions/${id}`)).text();
    const run = await runCliInMemory(['get', id, '--base-url', emulator.url]);
    expect(run).toMatchObject({ code: 0, stderr: '', stdout: `${body}\n` });
  });

  it('messages prints every input message as JSONL, as sent, in either order', async () => {
    const body = await (await fetch(`${emulator.url}/chat/completions/${id}/messages`)).text();
    const messages = rawItems(body);
    const run = await runCliInMemory(['messages', id, '--base-url', emulator.url, '--limit', '1']);
    expect(run).toMatchObject({ code: 0, stderr: '', stdout: `${messages.join('\n')}\n` });
    const last = await runCliInMemory(['messages', id, '--base-url', emulator.url, '--order', 'desc', '--max', '1']);
    expect(last.stdout).toBe(`${messages.at(-1)}\n`);
  });

  it.each(['get', 'messages'])('%s of an unknown id fails with exit 1, saying so', async (command) => {
    const run = await runCliInMemory([command, 'chatcmpl-missing', '--base-url', emulator.url]);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toMatch(/^rxsc: No stored completion has the id "chatcmpl-missing": 404 /);
  });

  it.each([
    ['no id', [], 'Expected one argument, <ID>, got 0'],
    ['two ids', ['a', 'b'], 'Expected one argument, <ID>, got 2'],
  ])('get with %s is a usage error (exit 2)', async (_name, ids, message) => {
    const run = await runCliInMemory(['get', ...ids, '--base-url', emulator.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('--version prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    await expect(runCliInMemory(['--version'])).resolves.toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('JSON a server wrote, on stdout', () => {
  it.each([
    ['get', ['get', 'chatcmpl-1']],
    ['messages', ['messages', 'chatcmpl-1']],
    ['export', ['export']],
    ['export --with-messages', ['export', '--with-messages']],
  ])('%s escapes the control characters JSON lets through, keeping the value', async (_name, args) => {
    const hostile = completion('chatcmpl-1', { model: 'gpt\u009b2J\u202e' });
    const message = { id: 'm-1', role: 'user', content: 'hi\u2066\u007f', name: null, content_parts: null };
    const server = await startScriptedServer(
      storeScript([hostile], (_id, res) => json(res, 200, { object: 'list', data: [message], first_id: 'm-1', last_id: 'm-1', has_more: false })),
    );
    try {
      const run = await runCliInMemory([...args, '--base-url', server.url]);
      expect(run.code).toBe(0);
      expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      const value = JSON.parse(run.stdout) as Record<string, unknown>;
      const expected = { get: hostile, messages: message, export: hostile, 'export --with-messages': { completion: hostile, messages: [message] } }[_name];
      expect(value).toEqual(expected);
    } finally {
      await server.close();
    }
  });
});
