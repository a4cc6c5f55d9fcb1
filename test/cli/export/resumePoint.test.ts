import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findResumePoint, prepareResume, resumeAfterId } from '../../../src/cli/export/resumePoint';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

describe('findResumePoint', () => {
  it('finds the last complete line of a file that ends with a line break', () => {
    expect(findResumePoint(bytes('{"id":"a"}\n{"id":"b"}\n'), 0)).toEqual({ completeBytes: 22, lastLine: '{"id":"b"}' });
  });

  it('drops a trailing partial line', () => {
    expect(findResumePoint(bytes('{"id":"a"}\n{"id":"b"}\n{"id":"c'), 0)).toEqual({ completeBytes: 22, lastLine: '{"id":"b"}' });
  });

  it('reports a file without a complete line as empty', () => {
    expect(findResumePoint(bytes(''), 0)).toEqual({ completeBytes: 0, lastLine: undefined });
    expect(findResumePoint(bytes('{"id":"a'), 0)).toEqual({ completeBytes: 0, lastLine: undefined });
  });

  it('finds a first line that is the only complete one', () => {
    expect(findResumePoint(bytes('{"id":"a"}\n{"i'), 0)).toEqual({ completeBytes: 11, lastLine: '{"id":"a"}' });
  });

  it('asks for more when the tail does not hold the last complete line whole', () => {
    expect(findResumePoint(bytes('"id":"b"}\n{"id":"c'), 100)).toBe('more');
    expect(findResumePoint(bytes('partial, no break'), 100)).toBe('more');
  });

  it('offsets the result by where the tail starts', () => {
    expect(findResumePoint(bytes('x"}\n{"id":"b"}\n{"i'), 1000)).toEqual({ completeBytes: 1015, lastLine: '{"id":"b"}' });
  });

  it('decodes multi-byte characters in the last line', () => {
    expect(findResumePoint(bytes('{"id":"é😀"}\n'), 0)).toEqual({ completeBytes: 16, lastLine: '{"id":"é😀"}' });
  });

  it('is not confused by a tail that starts inside a multi-byte character', () => {
    const file = bytes('{"id":"😀"}\n{"id":"é"}\n{"id"');
    expect(findResumePoint(file.subarray(9), 9)).toEqual({ completeBytes: 26, lastLine: '{"id":"é"}' });
  });
});

describe('resumeAfterId', () => {
  it('reads the id of a completion line', () => {
    expect(resumeAfterId('{"id":"chatcmpl-1","seed":4944116822809979520}')).toBe('chatcmpl-1');
  });

  it('reads the completion id of a line of export --with-messages', () => {
    expect(resumeAfterId('{"completion":{"id":"chatcmpl-2","seed":1},"messages":[{"id":"chatcmpl-2-0"}]}')).toBe('chatcmpl-2');
  });

  it.each([
    ['a line that is not JSON', 'not json', /not JSON/],
    ['a line without id', '{"object":"chat.completion"}', /no string `id`/],
    ['a line whose id is a number', '{"id":12}', /no string `id`/],
    ['a line whose completion has no id', '{"completion":{"object":"chat.completion"},"messages":[]}', /nor `completion.id`/],
    ['a JSON scalar', '"chatcmpl-1"', /no string `id`/],
  ])('refuses %s', (_name, line, message) => {
    expect(() => resumeAfterId(line)).toThrow(message);
  });
});

describe('prepareResume', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rxsc-resume-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('truncates a trailing partial line and returns the last id', async () => {
    const file = join(dir, 'out.jsonl');
    await writeFile(file, '{"id":"a"}\n{"id":"b"}\n{"id":"c","te');
    await expect(prepareResume(file)).resolves.toBe('b');
    await expect(readFile(file, 'utf8')).resolves.toBe('{"id":"a"}\n{"id":"b"}\n');
  });

  it('leaves a file of complete lines untouched', async () => {
    const file = join(dir, 'out.jsonl');
    await writeFile(file, '{"id":"a"}\n');
    await expect(prepareResume(file)).resolves.toBe('a');
    await expect(readFile(file, 'utf8')).resolves.toBe('{"id":"a"}\n');
  });

  it('reads further back, chunk after chunk, for a last line longer than a chunk', async () => {
    const file = join(dir, 'out.jsonl');
    const long = JSON.stringify({ id: 'long', text: 'x'.repeat(1000) });
    await writeFile(file, `{"id":"a"}\n${long}\n{"id":"partial`);
    await expect(prepareResume(file, 16)).resolves.toBe('long');
    await expect(readFile(file, 'utf8')).resolves.toBe(`{"id":"a"}\n${long}\n`);
  });

  it('empties a file holding only a partial line, to start from the beginning', async () => {
    const file = join(dir, 'out.jsonl');
    await writeFile(file, '{"id":"a","te');
    await expect(prepareResume(file, 4)).resolves.toBeUndefined();
    await expect(readFile(file, 'utf8')).resolves.toBe('');
  });

  it('refuses a file whose last complete line is not a completion, and leaves it as it was', async () => {
    const file = join(dir, 'notes.txt');
    await writeFile(file, 'some notes\nmore notes\npartial');
    await expect(prepareResume(file)).rejects.toThrow('Cannot resume: the last complete line is not JSON: "more notes"');
    await expect(readFile(file, 'utf8')).resolves.toBe('some notes\nmore notes\npartial');
  });

  it('starts from the beginning when the file does not exist', async () => {
    await expect(prepareResume(join(dir, 'missing.jsonl'))).resolves.toBeUndefined();
  });
});
