import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../../src/testing';
import { runCliInMemory } from '../../helpers/cliRun';
import { completion, json, startScriptedServer, type ScriptedServer } from '../../helpers/scriptedServer';
import { storeScript } from '../../helpers/scriptedStore';
import { jsonlIds } from '../../helpers/ids';
import { lines } from '../../helpers/listStored';

const COUNT = 430;

/** Every list page of the emulator, as the raw text of its body, fetched with plain HTTP. */
async function rawPages(url: string, limit: number): Promise<string[]> {
  const bodies: string[] = [];
  let after: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: String(limit), ...(after === undefined ? {} : { after }) });
    const response = await fetch(`${url}/chat/completions?${query}`);
    const body = await response.text();
    bodies.push(body);
    const page = JSON.parse(body) as { has_more: boolean; last_id: string };
    if (!page.has_more) return bodies;
    after = page.last_id;
  }
}


describe('rxsc export', () => {
  let clean: EmulatorHandle;
  let faulty: EmulatorHandle;
  let dir: string;
  let full: string;

  beforeAll(async () => {
    clean = await startEmulator({ count: COUNT, seed: 7 });
    // Same seed, same bytes; faults on a third of the requests, every kind, truncated bodies included.
    faulty = await startEmulator({ count: COUNT, seed: 7, faults: { rate: 0.3, retryAfterMs: 1, latencyMs: 1 } });
    dir = await mkdtemp(join(tmpdir(), 'rxsc-export-'));
    const run = await runCliInMemory(['export', '--base-url', clean.url]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    full = run.stdout;
  });
  afterAll(async () => {
    await Promise.all([clean.close(), faulty.close(), rm(dir, { recursive: true, force: true })]);
  });

  it('writes each completion on its own line exactly as the server sent it', async () => {
    const bodies = await rawPages(clean.url, 100);
    const exported = lines(full);
    expect(exported).toHaveLength(COUNT);
    // The emulator writes compact JSON: a page's data array is the page's lines joined by commas.
    bodies.forEach((body, page) => {
      expect(body).toContain(`"data":[${exported.slice(page * 100, page * 100 + 100).join(',')}]`);
    });
  });

  it('keeps every digit of seeds above 2^53', () => {
    const bigSeeds = full.match(/"seed":\d{17,}/g) ?? [];
    expect(bigSeeds.length).toBeGreaterThan(0);
    for (const seed of bigSeeds) {
      const digits = seed.slice('"seed":'.length);
      expect(String(Number(digits))).not.toBe(digits);
    }
  });

  it('writes the same bytes through faults and retries', async () => {
    const run = await runCliInMemory(['export', '--base-url', faulty.url, '--limit', '37']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(full);
    expect(faulty.stats().faults).toBeGreaterThan(0);
  });

  it('applies the list filters and --max', async () => {
    const run = await runCliInMemory(['export', '--base-url', clean.url, '--order', 'desc', '--model', 'gpt-4o-mini', '--max', '7', '--limit', '3']);
    expect(run.code).toBe(0);
    const items = lines(run.stdout).map((line) => JSON.parse(line) as { id: string; model: string });
    expect(items).toHaveLength(7);
    expect(items.every((item) => item.model === 'gpt-4o-mini')).toBe(true);
    const expected = jsonlIds(full).filter((_id, i) => (JSON.parse(lines(full)[i] ?? '') as { model: string }).model === 'gpt-4o-mini');
    expect(items.map((item) => item.id)).toEqual(expected.reverse().slice(0, 7));
  });

  it('resumes an export cut mid-line with no duplicate and no gap', async () => {
    const file = join(dir, 'resumed.jsonl');
    expect((await runCliInMemory(['export', '--base-url', clean.url, '--max', '130', '--out', file])).code).toBe(0);
    const { size } = await stat(file);
    await truncate(file, size - 17); // inside the 130th line
    const resumed = await runCliInMemory(['export', '--base-url', clean.url, '--resume', file]);
    expect(resumed).toMatchObject({ code: 0, stdout: '', stderr: '' });
    await expect(readFile(file, 'utf8')).resolves.toBe(full);
  });

  it('resumes an export that stopped on a line boundary, and one that has not started', async () => {
    const file = join(dir, 'boundary.jsonl');
    await writeFile(file, lines(full).slice(0, 200).join('\n') + '\n');
    expect((await runCliInMemory(['export', '--base-url', clean.url, '--resume', file])).code).toBe(0);
    await expect(readFile(file, 'utf8')).resolves.toBe(full);

    const fresh = join(dir, 'fresh.jsonl');
    expect((await runCliInMemory(['export', '--base-url', clean.url, '--resume', fresh])).code).toBe(0);
    await expect(readFile(fresh, 'utf8')).resolves.toBe(full);
  });

  it('resumes a descending export when given the same --order', async () => {
    const file = join(dir, 'desc.jsonl');
    expect((await runCliInMemory(['export', '--base-url', clean.url, '--order', 'desc', '--max', '150', '--out', file])).code).toBe(0);
    await truncate(file, (await stat(file)).size - 5);
    expect((await runCliInMemory(['export', '--base-url', clean.url, '--order', 'desc', '--resume', file])).code).toBe(0);
    expect(jsonlIds(await readFile(file, 'utf8'))).toEqual(jsonlIds(full).reverse());
  });

  it('refuses --resume with --after or --out, before touching the file', async () => {
    const file = join(dir, 'untouched.jsonl');
    await writeFile(file, '{"id":"a"}\n{"id":"b');
    for (const extra of [['--after', 'x'], ['--out', join(dir, 'other.jsonl')]]) {
      const run = await runCliInMemory(['export', '--base-url', clean.url, '--resume', file, ...extra]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/cannot be combined with `--(after|out)`/);
    }
    await expect(readFile(file, 'utf8')).resolves.toBe('{"id":"a"}\n{"id":"b');
  });
});

describe('rxsc export: files it cannot write or read', () => {
  let emulator: EmulatorHandle;
  let dir: string;
  beforeAll(async () => {
    emulator = await startEmulator({ count: 5, seed: 2 });
    dir = await mkdtemp(join(tmpdir(), 'rxsc-files-'));
  });
  afterAll(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['a directory that does not exist', (d: string) => ['--out', join(d, 'missing', 'x.jsonl')], (d: string) => `rxsc: Could not write \`--out ${join(d, 'missing', 'x.jsonl')}\`: no such file or directory (is ${join(d, 'missing')} there?) (ENOENT)\n`],
    ['a directory', (d: string) => ['--out', d], (d: string) => `rxsc: Could not write \`--out ${d}\`: it is a directory (EISDIR)\n`],
    ['a directory to resume', (d: string) => ['--resume', d], (d: string) => `rxsc: Could not read \`--resume ${d}\`: it is a directory (EISDIR)\n`],
  ])('names the flag and the reason for %s, and sends nothing', async (_case, args, message) => {
    const before = emulator.stats().requests;
    const run = await runCliInMemory(['export', '--base-url', emulator.url, ...args(dir)]);
    expect(run).toEqual({ code: 1, stdout: '', stderr: message(dir) });
    expect(emulator.stats().requests).toBe(before);
  });
});

const message = (id: string) => ({ id, role: 'user', content: `hello from ${id}`, name: null, content_parts: null });

describe('export --with-messages when the run fails', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    const ids = ['chatcmpl-a', 'chatcmpl-b', 'chatcmpl-c', 'chatcmpl-d', 'chatcmpl-e'];
    server = await startScriptedServer(
      storeScript(
        ids.map((id) => completion(id)),
        (id, res) => {
          if (id === 'chatcmpl-b') return json(res, 404, { error: { message: 'No such completion' } });
          if (id === 'chatcmpl-d') return json(res, 500, { error: { message: 'storm' } });
          json(res, 200, { object: 'list', data: [message(`${id}-m0`)], first_id: `${id}-m0`, last_id: `${id}-m0`, has_more: false });
        },
      ),
    );
  });
  afterEach(() => server.close());

  it('says what it skipped before it exits, and names the completion whose messages failed', async () => {
    const run = await runCliInMemory(['export', '--base-url', server.url, '--with-messages', '--max-retries', '0', '--concurrency', '1']);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n').slice(0, -1).map((line) => (JSON.parse(line) as { completion: { id: string } }).completion.id)).toEqual([
      'chatcmpl-a',
      'chatcmpl-c',
    ]);
    const [skipped, failure, ...rest] = run.stderr.split('\n');
    expect(skipped).toBe('Skipped 1 completion deleted after the walk listed them, before their messages were read.');
    expect(failure).toMatch(/^rxsc: The input messages of "chatcmpl-d" could not be read: http:\/\/127\.0\.0\.1:\d+\/v1 answered 500 /);
    expect(rest).toEqual(['']);
  });
});

describe('export --with-messages: a line cut short in the middle of its messages', () => {
  let server: ScriptedServer;
  let dir: string;
  /** How the second page of b's messages is answered: 500 (a failure) or 404 (b deleted meanwhile). */
  let secondPage: 404 | 500;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rxsc-cut-'));
    server = await startScriptedServer(
      storeScript(
        ['chatcmpl-a', 'chatcmpl-b', 'chatcmpl-c'].map((id) => completion(id)),
        (id, res, query) => {
          const after = query.get('after');
          if (id === 'chatcmpl-b' && after !== null) return json(res, secondPage, { error: { message: secondPage === 404 ? 'No such completion' : 'storm' } });
          json(res, 200, { object: 'list', data: [message(`${id}-m0`)], first_id: `${id}-m0`, last_id: `${id}-m0`, has_more: id === 'chatcmpl-b' });
        },
      ),
    );
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const completionIds = (text: string): string[] =>
    text
      .split('\n')
      .slice(0, -1)
      .map((line) => (JSON.parse(line) as { completion: { id: string } }).completion.id);
  const args = ['export', '--with-messages', '--max-retries', '0', '--concurrency', '1'];

  it('a failure: the file keeps its whole lines, the cut one taken back, and a resume writes it whole', async () => {
    secondPage = 500;
    const file = join(dir, 'failed.jsonl');
    const run = await runCliInMemory([...args, '--base-url', server.url, '--out', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^rxsc: The input messages of "chatcmpl-b" could not be read: /);
    const text = await readFile(file, 'utf8');
    expect(completionIds(text)).toEqual(['chatcmpl-a']);
    expect(text.endsWith('\n')).toBe(true);
    secondPage = 404;
    const resumed = await runCliInMemory([...args, '--base-url', server.url, '--resume', file]);
    expect(resumed.code).toBe(0);
    expect(completionIds(await readFile(file, 'utf8'))).toEqual(['chatcmpl-a', 'chatcmpl-c']);
  });

  it('a failure on stdout: the cut line is ended where it stopped, and stderr says so', async () => {
    secondPage = 500;
    const run = await runCliInMemory([...args, '--base-url', server.url]);
    expect(run.code).toBe(1);
    const [whole, cut, end] = run.stdout.split('\n');
    expect(completionIds(`${whole}\n`)).toEqual(['chatcmpl-a']);
    expect(cut).toBe(`{"completion":${JSON.stringify(completion('chatcmpl-b'))},"messages":[${JSON.stringify(message('chatcmpl-b-m0'))}`);
    expect(end).toBe('');
    expect(run.stderr).toContain('The last line on stdout is cut short: the export stopped in the middle of its completion’s messages.\n');
  });

  it('a completion deleted halfway through its line, to a file: taken back, skipped, and the export goes on', async () => {
    secondPage = 404;
    const file = join(dir, 'gone.jsonl');
    const run = await runCliInMemory([...args, '--base-url', server.url, '--out', file]);
    expect(run).toMatchObject({ code: 0, stderr: 'Skipped 1 completion deleted after the walk listed them, before their messages were read.\n' });
    expect(completionIds(await readFile(file, 'utf8'))).toEqual(['chatcmpl-a', 'chatcmpl-c']);
  });

  it('a completion deleted halfway through its line, on stdout, which cannot take it back: the export fails and names it', async () => {
    secondPage = 404;
    const run = await runCliInMemory([...args, '--base-url', server.url]);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')).toHaveLength(3);
    expect(run.stderr).toContain('The input messages of "chatcmpl-b" were deleted while its line was being written to stdout, which cannot take it back: the line is cut short');
  });
});

describe('export --with-messages --read-ahead', () => {
  let server: ScriptedServer;
  /** Each message page asked for, as `<completion>:<page>`, in order. */
  let asked: string[];
  /** Releases the answer to a's second page, held until c's third page is asked for (or 1 s passes). */
  let release: () => void;
  beforeAll(async () => {
    server = await startScriptedServer(
      storeScript(
        ['a', 'b', 'c'].map((id) => completion(id)),
        (id, res, query) => {
          const page = query.get('after') === null ? 1 : Number(query.get('after')?.split('-').at(-1)) + 1;
          asked.push(`${id}:${page}`);
          const answer = (): void =>
            json(res, 200, { object: 'list', data: [message(`${id}-m-${page}`)], first_id: `${id}-m-${page}`, last_id: `${id}-m-${page}`, has_more: page < 3 });
          if (id === 'a' && page === 2) {
            const timer = setTimeout(() => release(), 1_000);
            release = () => {
              clearTimeout(timer);
              release = () => undefined;
              answer();
            };
            return;
          }
          if (id === 'c' && page === 3) release();
          answer();
        },
      ),
    );
  });
  beforeEach(() => {
    asked = [];
    release = () => undefined;
  });
  afterAll(() => server.close());

  const run = (readAhead: string) => runCliInMemory(['export', '--base-url', server.url, '--with-messages', '--concurrency', '3', '--read-ahead', readAhead]);
  const ids = (stdout: string) => stdout.split('\n').slice(0, -1).map((line) => (JSON.parse(line) as { completion: { id: string } }).completion.id);

  it('reads conversations that fit whole while the one being written waits for its pages', async () => {
    const result = await run('1k');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(ids(result.stdout)).toEqual(['a', 'b', 'c']);
    // c was read to its end while a's second page was held.
    expect(asked.indexOf('c:3')).toBeLessThan(asked.indexOf('a:3'));
  });

  it('with 0, a completion ahead of its turn waits after its first page: long conversations are not read ahead', async () => {
    const result = await run('0');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(ids(result.stdout)).toEqual(['a', 'b', 'c']);
    // c asks for its second page ahead (the walk's prefetch), and its third only once its turn came.
    expect(asked.indexOf('c:3')).toBeGreaterThan(asked.indexOf('a:3'));
  });

  it.each([['5x'], ['2k5'], ['12'], ['2000m'], ['-1k']])('refuses %s, with exit 2 and nothing sent', async (value) => {
    const result = await run(value);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`rxsc: Expected \`--read-ahead\` to be a size such as 512k or 16m, at most 1024m, got ${JSON.stringify(value)}`);
    expect(asked).toEqual([]);
  });

  it('applies only with messages', async () => {
    const result = await runCliInMemory(['export', '--base-url', server.url, '--read-ahead', '1m']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('`--read-ahead` paces how completions’ messages are fetched: it applies only with `--with-messages` or `--format finetune`');
  });
});
