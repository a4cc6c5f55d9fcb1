import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fineTuneExample } from '../../../src/cli/export/fineTuneExample';
import { rawItems } from '../../../src/cli/jsonl/rawItems';
import { startEmulator, type EmulatorHandle } from '../../../src/testing';
import { completion, json, startScriptedServer, type ScriptedServer } from '../../helpers/scriptedServer';
import { storeScript } from '../../helpers/scriptedStore';
import { runCliInMemory } from '../../helpers/cliRun';
import { lines } from '../../helpers/listStored';

const COUNT = 250;

const parsed = <T>(text: string): T[] => lines(text).map((line) => JSON.parse(line) as T);

/** The input messages of a completion as the emulator writes them, fetched with plain HTTP: each item's raw text. */
async function rawMessages(url: string, id: string): Promise<string[]> {
  const items: string[] = [];
  let after: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: '100', ...(after === undefined ? {} : { after }) });
    const body = await (await fetch(`${url}/chat/completions/${id}/messages?${query}`)).text();
    items.push(...rawItems(body));
    const page = JSON.parse(body) as { has_more: boolean; last_id: string };
    if (!page.has_more) return items;
    after = page.last_id;
  }
}

describe('rxsc export --with-messages, --format finetune, --since/--until, --resume checks', () => {
  let clean: EmulatorHandle;
  let dir: string;
  let plain: string[];

  beforeAll(async () => {
    clean = await startEmulator({ count: COUNT, seed: 9 });
    dir = await mkdtemp(join(tmpdir(), 'rxsc-formats-'));
    const run = await runCliInMemory(['export', '--base-url', clean.url]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    plain = lines(run.stdout);
  });
  afterAll(async () => {
    await Promise.all([clean.close(), rm(dir, { recursive: true, force: true })]);
  });

  it('--with-messages writes each completion with its input messages, as sent, in list order', async () => {
    const run = await runCliInMemory(['export', '--base-url', clean.url, '--with-messages', '--max', '60', '--limit', '25', '--concurrency', '5']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const got = lines(run.stdout);
    expect(got).toHaveLength(60);
    for (const [index, line] of got.entries()) {
      const completion = plain[index]!;
      const { id } = JSON.parse(completion) as { id: string };
      const messages = await rawMessages(clean.url, id);
      expect(messages.length).toBeGreaterThan(0);
      expect(line).toBe(`{"completion":${completion},"messages":[${messages.join(',')}]}`);
    }
  });

  it('--with-messages writes the same bytes through faults and retries', async () => {
    const faulty = await startEmulator({ count: COUNT, seed: 9, faults: { rate: 0.3, retryAfterMs: 1, latencyMs: 1 } });
    try {
      const reference = await runCliInMemory(['export', '--base-url', clean.url, '--with-messages', '--max', '20']);
      const run = await runCliInMemory(['export', '--base-url', faulty.url, '--with-messages', '--max', '20', '--max-retries', '20']);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(reference.stdout);
      expect(faulty.stats().faults).toBeGreaterThan(0);
      // Off a terminal, stderr says why the run is slow: one line per retry cause, at most every 5 s.
      expect(run.stderr).toMatch(/^(rxsc: retrying after (HTTP \d{3}|body not JSON|timeout \(\w+\)|[A-Z_]+|connection failed) \(\d+ so far\)\n)+$/);
    } finally {
      await faulty.close();
    }
  });

  it('--with-messages skips a completion deleted before its messages were read, and says so', async () => {
    const gone = (JSON.parse(plain[3]!) as { id: string }).id;
    // The emulator's answers, but the messages of one completion are a 404, as after a deletion.
    const server = await startScriptedServer((req, res) => {
      const path = (req.url ?? '').replace(/^\/v1/, '');
      if (path.startsWith(`/chat/completions/${gone}/messages`)) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `No chat completion found with id '${gone}'.`, type: 'invalid_request_error', code: null, param: null } }));
        return;
      }
      void fetch(`${clean.url}${path}`).then(async (answer) => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(await answer.text());
      });
    });
    try {
      const reference = await runCliInMemory(['export', '--base-url', clean.url, '--with-messages', '--max', '6']);
      const run = await runCliInMemory(['export', '--base-url', server.url, '--with-messages', '--max', '6']);
      expect(run).toMatchObject({
        code: 0,
        stderr: 'Skipped 1 completion deleted after the walk listed them, before their messages were read.\n',
      });
      expect(lines(run.stdout)).toEqual(lines(reference.stdout).filter((_line, i) => i !== 3));
    } finally {
      await server.close();
    }
  });

  it('--format finetune writes one fine-tuning example per completion', async () => {
    const run = await runCliInMemory(['export', '--base-url', clean.url, '--format', 'finetune', '--max', '30']);
    expect(run.code).toBe(0);
    const expected: string[] = [];
    for (const completion of plain.slice(0, 30)) {
      const { id } = JSON.parse(completion) as { id: string };
      const messages = (await rawMessages(clean.url, id)).map((text): unknown => JSON.parse(text));
      const result = fineTuneExample(JSON.parse(completion), messages);
      if ('example' in result) expected.push(JSON.stringify(result.example));
    }
    expect(lines(run.stdout)).toEqual(expected);
    const examples = parsed<{ messages: Array<{ role: string }>; tools?: unknown[] }>(run.stdout);
    for (const example of examples) {
      expect(example.messages.at(-1)?.role).toBe('assistant');
      expect(Object.keys(example)).toEqual(example.tools === undefined ? ['messages'] : ['messages', 'tools']);
    }
    expect(examples.some((example) => example.tools !== undefined)).toBe(true);
    const skipped = 30 - expected.length;
    expect(run.stderr).toBe(skipped === 0 ? '' : `Skipped ${skipped} ${skipped === 1 ? 'completion' : 'completions'} whose first choice is a refusal.\n`);
  });

  it('--since and --until keep [since, until); descending with --since, the walk stops at the first older page', async () => {
    const created = plain.map((line) => (JSON.parse(line) as { created: number }).created);
    const since = created[200]!;
    const until = created[230]!;
    const inside = plain.filter((_line, i) => created[i]! >= since && created[i]! < until);
    const asc = await runCliInMemory(['export', '--base-url', clean.url, '--since', new Date(since * 1000).toISOString(), '--until', String(until)]);
    expect(lines(asc.stdout)).toEqual(inside);

    const requests = clean.stats().requests;
    const desc = await runCliInMemory(['export', '--base-url', clean.url, '--order', 'desc', '--since', String(since), '--limit', '10']);
    expect(lines(desc.stdout)).toEqual(plain.filter((_line, i) => created[i]! >= since).reverse());
    // 50 items from the newest are 5 pages of 10; the 6th holds the first older item; one more may be prefetched.
    expect(clean.stats().requests - requests).toBeLessThanOrEqual(7);
  });

  it('refuses --since and --until in none of the forms, with exit 2', async () => {
    const run = await runCliInMemory(['export', '--base-url', clean.url, '--since', 'last week']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Expected `--since` to be an ISO 8601 date or date-time (2026-11-01, 2026-11-01T12:00:00Z), unix seconds, or a span back from now (90m, 24h, 7d), got "last week"');
  });

  it('records the flags beside the export and refuses to resume with others (exit 2), the file untouched', async () => {
    const file = join(dir, 'desc.jsonl');
    expect((await runCliInMemory(['export', '--base-url', clean.url, '--order', 'desc', '--max', '100', '--model', 'gpt-4o-mini', '--out', file])).code).toBe(0);
    const record = JSON.parse(await readFile(`${file}.rxsc.json`, 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({ format: 'completions', order: 'desc', model: 'gpt-4o-mini', metadata: {}, since: null, until: null });
    const written = await readFile(file, 'utf8');
    expect(parsed<{ model: string }>(written).every((item) => item.model === 'gpt-4o-mini')).toBe(true);

    for (const flags of [[], ['--order', 'desc'], ['--order', 'desc', '--model', 'gpt-4o-mini', '--with-messages'], ['--order', 'desc', '--model', 'gpt-4o-mini', '--since', '0']]) {
      const run = await runCliInMemory(['export', '--base-url', clean.url, '--resume', file, ...flags]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/would continue the export with other flags than it was made with .*\.rxsc\.json\): the export has /);
    }
    await expect(readFile(file, 'utf8')).resolves.toBe(written);

    const resumed = await runCliInMemory(['export', '--base-url', clean.url, '--resume', file, '--order', 'desc', '--model', 'gpt-4o-mini']);
    expect(resumed).toMatchObject({ code: 0, stderr: '' });
    const all = plain.filter((line) => (JSON.parse(line) as { model: string }).model === 'gpt-4o-mini').reverse();
    await expect(readFile(file, 'utf8')).resolves.toBe(`${all.join('\n')}\n`);
  });

  it('resumes an interrupted --with-messages export, with its recorded window', async () => {
    const created = (JSON.parse(plain[50]!) as { created: number }).created;
    const full = await runCliInMemory(['export', '--base-url', clean.url, '--with-messages', '--since', String(created)]);
    const file = join(dir, 'with-messages.jsonl');
    expect((await runCliInMemory(['export', '--base-url', clean.url, '--with-messages', '--since', String(created), '--max', '70', '--out', file])).code).toBe(0);
    await truncate(file, (await stat(file)).size - 30);
    const run = await runCliInMemory(['export', '--base-url', clean.url, '--with-messages', '--since', String(created), '--resume', file]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    await expect(readFile(file, 'utf8')).resolves.toBe(full.stdout);
  });

  it('resumes a file without a record, saying the flags cannot be checked, and records them', async () => {
    const file = join(dir, 'unrecorded.jsonl');
    await writeFile(file, `${plain.slice(0, 10).join('\n')}\n`);
    const run = await runCliInMemory(['export', '--base-url', clean.url, '--resume', file]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/unrecorded\.jsonl\.rxsc\.json is missing, so the flags cannot be checked/);
    await expect(readFile(file, 'utf8')).resolves.toBe(`${plain.join('\n')}\n`);
    await expect(stat(`${file}.rxsc.json`)).resolves.toBeDefined();
  });

  it.each([
    ['--resume with --format finetune', ['--format', 'finetune', '--resume', 'x.jsonl'], 'a fine-tuning example has none'],
    ['--with-messages with --format finetune', ['--format', 'finetune', '--with-messages'], 'drop `--with-messages`'],
    ['an unknown --format', ['--format', 'csv'], "Expected `--format` to be 'completions' or 'finetune' or 'parquet', got \"csv\""],
    ['--concurrency without messages', ['--concurrency', '4'], 'it applies only with `--with-messages` or `--format finetune`'],
  ])('refuses %s with exit 2', async (_name, flags, message) => {
    const run = await runCliInMemory(['export', '--base-url', clean.url, ...flags]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe('export --resume refuses other filters than the export’s', () => {
  let server: ScriptedServer;
  let dir: string;
  beforeAll(async () => {
    server = await startScriptedServer(storeScript([completion('chatcmpl-1', { metadata: { user: '42', env: 'prod' } })]));
    dir = await mkdtemp(join(tmpdir(), 'rxsc-resume-'));
  });
  afterAll(async () => {
    await Promise.all([server.close(), rm(dir, { recursive: true, force: true })]);
  });

  const FLAGS = ['--metadata', 'user=42', '--metadata', 'env=prod', '--until', '2030-01-01'];

  it.each([
    ['another --metadata value', ['--metadata', 'user=43', '--metadata', 'env=prod', '--until', '2030-01-01'], 'the export has --metadata env=prod --metadata user=42, this command --metadata env=prod --metadata user=43'],
    ['a --metadata key less', ['--metadata', 'user=42', '--until', '2030-01-01'], 'the export has --metadata env=prod --metadata user=42, this command --metadata user=42'],
    ['another --until', [...FLAGS.slice(0, 4), '--until', '2031-01-01'], 'the export has --until 2030-01-01, this command --until 2031-01-01'],
    ['no --until', FLAGS.slice(0, 4), 'the export has --until 2030-01-01, this command no --until'],
  ])('%s: exit 2, the file untouched', async (_name, flags, mismatch) => {
    const file = join(dir, `${_name.replace(/\W+/g, '-')}.jsonl`);
    expect((await runCliInMemory(['export', '--base-url', server.url, ...FLAGS, '--out', file])).code).toBe(0);
    const written = await readFile(file, 'utf8');
    const run = await runCliInMemory(['export', '--base-url', server.url, '--resume', file, ...flags]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(mismatch);
    await expect(readFile(file, 'utf8')).resolves.toBe(written);
    expect((await runCliInMemory(['export', '--base-url', server.url, '--resume', file, ...FLAGS])).code).toBe(0);
  });
});

/**
 * What `FineTuneChatRequestInput` (OpenAI's OpenAPI description) requires of a line, as far as
 * stored completions can break it: the roles it takes, and each role's required fields.
 */
function fineTuneViolations(example: { messages?: unknown }): string[] {
  const textOnly = (content: unknown) => typeof content === 'string' || (Array.isArray(content) && content.every((part) => (part as { type?: unknown }).type === 'text'));
  const messages = Array.isArray(example.messages) ? (example.messages as Array<Record<string, unknown>>) : [];
  if (messages.length === 0) return ['no messages'];
  return messages.flatMap((message, index) => {
    const at = `message ${index} (${String(message['role'])})`;
    switch (message['role']) {
      case 'system':
        return textOnly(message['content']) ? [] : [`${at}: content`];
      case 'user':
        return typeof message['content'] === 'string' || Array.isArray(message['content']) ? [] : [`${at}: content`];
      case 'assistant':
        return typeof message['content'] === 'string' || Array.isArray(message['tool_calls']) ? [] : [`${at}: neither content nor tool_calls`];
      case 'tool':
        return textOnly(message['content']) && typeof message['tool_call_id'] === 'string' ? [] : [`${at}: content or tool_call_id`];
      case 'function':
        return typeof message['name'] === 'string' && (message['content'] === null || typeof message['content'] === 'string') ? [] : [`${at}: name or content`];
      default:
        return [`${at}: role`];
    }
  });
}

describe('export --format finetune', () => {
  const call = { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{}' } };
  const input = (role: string, fields: Record<string, unknown>) => ({ id: 'm', role, content: null, name: null, content_parts: null, ...fields });
  const CASES: Record<string, { messages: unknown[]; answer?: Record<string, unknown> }> = {
    'chatcmpl-developer': { messages: [input('developer', { content: 'Be brief.' }), input('user', { content: 'hi' })] },
    'chatcmpl-user-null': { messages: [input('user', {})] },
    'chatcmpl-tool-no-id': { messages: [input('user', { content: 'weather?' }), input('assistant', { tool_calls: [call] }), input('tool', { content: '18°C' })] },
    'chatcmpl-assistant-empty': { messages: [input('user', { content: 'hi' }), input('assistant', {}), input('user', { content: 'again' })] },
    'chatcmpl-function-no-name': { messages: [input('user', { content: 'hi' }), input('function', { content: '{}' })] },
    'chatcmpl-refusal': { messages: [input('user', { content: 'hi' })], answer: { role: 'assistant', content: null, refusal: 'No.' } },
    'chatcmpl-tools': {
      messages: [input('user', { content: 'weather?' }), input('assistant', { tool_calls: [call] }), input('tool', { content: '18°C', tool_call_id: 'call_1' })],
    },
  };
  let server: ScriptedServer;
  beforeAll(async () => {
    const completions = Object.entries(CASES).map(([id, { answer }]) =>
      completion(id, answer === undefined ? {} : { choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: answer }] }),
    );
    server = await startScriptedServer(
      storeScript(completions, (id, res) => {
        const data = (CASES[id]?.messages ?? []).map((message, index) => ({ ...(message as object), id: `${id}-${index}` }));
        json(res, 200, { object: 'list', data, first_id: null, last_id: null, has_more: false });
      }),
    );
  });
  afterAll(() => server.close());

  it('writes only lines valid as fine-tuning input, developer as system, and counts each skipped completion under its reason', async () => {
    const run = await runCliInMemory(['export', '--base-url', server.url, '--format', 'finetune']);
    expect(run.code).toBe(0);
    const examples = run.stdout.split('\n').slice(0, -1).map((line) => JSON.parse(line) as { messages: Array<{ role: string; content: unknown }> });
    expect(examples.map(fineTuneViolations)).toEqual([[], []]);
    expect(examples[0]?.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(run.stderr.split('\n').slice(0, -1).sort()).toEqual([
      'Skipped 1 completion whose first choice is a refusal.',
      'Skipped 1 completion with an input assistant message with neither content nor tool calls.',
      'Skipped 1 completion with an input function message without name.',
      'Skipped 1 completion with an input tool message without tool_call_id.',
      'Skipped 1 completion with an input user message without content.',
    ]);
  });
});
