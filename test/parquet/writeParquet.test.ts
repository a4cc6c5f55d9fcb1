import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY, lastValueFrom, map, Observable, of, take, throwError, toArray } from 'rxjs';
import { createClient, InvalidArgumentError, withMessages, writeParquet, type ChatCompletion, type Client } from '../../src/index';
import { startEmulator, type EmulatorHandle } from '../../src/testing';
import { argumentErrorOf } from '../helpers/argumentErrorOf';
import { expectedRow, parquetRowGroups, parquetRows } from '../helpers/parquetRows';
import { until } from '../helpers/until';

let emulator: EmulatorHandle;
let client: Client;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ count: 230, seed: 3 });
  client = createClient({ baseURL: emulator.url, apiKey: 'test' });
});
afterAll(() => emulator.close());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rxsc-parquet-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('writeParquet', () => {
  it('writes every completion of a walk, each column equal to the server’s value, and emits the file once it is closed', async () => {
    const path = join(dir, 'all.parquet');
    const completions = await lastValueFrom(client.chat.completions.list().pipe(toArray()));
    const written = await lastValueFrom(client.chat.completions.list().pipe(writeParquet(path, { rowGroupRows: 100 }), toArray()));

    expect(written).toEqual([{ path, rows: 230, bytes: (await readFile(path)).length }]);
    expect(await parquetRows(path)).toEqual(completions.map((completion) => expectedRow(completion, JSON.stringify(completion))));
    expect(await parquetRowGroups(path)).toBe(3);
    expect(await readdir(dir)).toEqual(['all.parquet']);
  });

  it('writes the input messages as JSON text with `messages: true`', async () => {
    const path = join(dir, 'messages.parquet');
    const joined = await lastValueFrom(client.chat.completions.list().pipe(take(12), withMessages(client), toArray()));
    await lastValueFrom(of(...joined).pipe(writeParquet(path, { messages: true })));

    const rows = await parquetRows(path);
    expect(rows.map((row) => [row['id'], row['messages']])).toEqual(joined.map(({ completion, messages }) => [completion.id, JSON.stringify(messages)]));
  });

  it('keeps long texts of characters of every UTF-8 width whole, one longer than a megabyte among them, in one row group', async () => {
    const path = join(dir, 'long.parquet');
    const completions = await lastValueFrom(client.chat.completions.list().pipe(toArray()));
    // 9 bytes in 4 UTF-16 units: 1.8 MB for the longest answer, 270 kB for each of nine others.
    const text = (repeats: number): string => 'é€😀'.repeat(repeats);
    const long = completions.map((completion, index) => {
      if (index % 23 !== 5) return completion;
      const [choice, ...rest] = completion.choices;
      if (choice === undefined) return completion;
      return { ...completion, choices: [{ ...choice, message: { ...choice.message, content: text(index === 5 ? 200_000 : 30_000) } }, ...rest] };
    });
    await lastValueFrom(of(...long).pipe(writeParquet(path)));

    expect(await parquetRows(path)).toEqual(long.map((completion) => expectedRow(completion, JSON.stringify(completion))));
  });

  it('writes a file of no rows, with the schema, for an empty source', async () => {
    const path = join(dir, 'empty.parquet');
    await expect(lastValueFrom(new Observable<ChatCompletion>((s) => s.complete()).pipe(writeParquet(path)))).resolves.toEqual({ path, rows: 0, bytes: expect.any(Number) });
    expect(await parquetRows(path)).toEqual([]);
  });

  it('leaves the file it would replace untouched, and no temporary file, when the source errors', async () => {
    const path = join(dir, 'kept.parquet');
    await writeFile(path, 'the previous export');
    const failing = client.chat.completions.list().pipe(
      take(150),
      map((completion, index) => {
        if (index === 120) throw new Error('the source broke');
        return completion;
      }),
    );

    await expect(lastValueFrom(failing.pipe(writeParquet(path, { rowGroupRows: 50 })))).rejects.toThrow('the source broke');
    expect(await readFile(path, 'utf8')).toBe('the previous export');
    expect(await readdir(dir)).toEqual(['kept.parquet']);
  });

  it('removes the temporary file when unsubscribed, and when its signal aborts', async () => {
    let subscriptions = 0;
    // The operator subscribes to its source once the temporary file is open: waiting for the
    // subscription, not for the file to show in the directory, which it does a moment earlier.
    const endless = new Observable<ChatCompletion>(() => void subscriptions++);
    const subscription = endless.pipe(writeParquet(join(dir, 'a.parquet'))).subscribe();
    await until(() => subscriptions === 1);
    expect(await readdir(dir)).toHaveLength(1);
    subscription.unsubscribe();
    expect(await readdir(dir)).toEqual([]);

    const controller = new AbortController();
    const aborted = lastValueFrom(endless.pipe(writeParquet(join(dir, 'b.parquet'), { signal: controller.signal })));
    await until(() => subscriptions === 2);
    expect(await readdir(dir)).toHaveLength(1);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses an empty path and bad options on subscribe, and items that are not what `messages` says', async () => {
    expect(argumentErrorOf(() => EMPTY.pipe(writeParquet('')))).toEqual(new InvalidArgumentError('Expected `path` to be a non-empty string, got ""'));
    expect(argumentErrorOf(() => EMPTY.pipe(writeParquet('x.parquet', { rowGroupRows: 0 })))).toEqual(
      new InvalidArgumentError('Expected `rowGroupRows` to be an integer of at least 1, got 0'),
    );
    const [completion] = await lastValueFrom(client.chat.completions.list().pipe(take(1), toArray()));
    const asJoined = writeParquet(join(dir, 'x.parquet'), { messages: true }) as unknown as (source: Observable<unknown>) => Observable<unknown>;
    await expect(lastValueFrom(of(completion).pipe(asJoined))).rejects.toThrow(/with `messages: true`, got an item with no `completion`/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('lets the source’s error through, and unsubscribing stops the source', async () => {
    const error = new Error('boom');
    await expect(lastValueFrom(throwError(() => error).pipe(writeParquet(join(dir, 'e.parquet'))))).rejects.toBe(error);

    let subscribed = false;
    let unsubscribed = false;
    const source = new Observable<ChatCompletion>(() => {
      subscribed = true;
      return () => (unsubscribed = true);
    });
    const subscription = source.pipe(writeParquet(join(dir, 'u.parquet'))).subscribe();
    await until(() => subscribed);
    subscription.unsubscribe();
    expect(unsubscribed).toBe(true);
  });
});
