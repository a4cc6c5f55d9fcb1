import { mkdtemp, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { firstValueFrom, NEVER } from 'rxjs';
import { LineSink } from '../../../src/cli/export/LineSink';

/** A writable that holds every chunk until `release` is called: a reader that has stopped reading. */
function stalledWritable(highWaterMark: number) {
  const pending: Array<() => void> = [];
  const written: string[] = [];
  const stream = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk.toString());
      pending.push(callback);
    },
  });
  const release = (): void => {
    while (pending.length > 0) pending.shift()?.();
  };
  return { stream, written, release };
}

describe('LineSink.drained', () => {
  it('completes at once while the output has room', () => {
    const { stream } = stalledWritable(1024);
    const sink = new LineSink(stream);
    sink.write('{"id":"a"}');
    let completed = false;
    sink.drained().subscribe({ complete: () => (completed = true) });
    expect(completed).toBe(true);
  });

  it('waits for the reader when the output is full, so an export cannot outrun a slow pipe', async () => {
    const { stream, release } = stalledWritable(16);
    const sink = new LineSink(stream);
    sink.write('{"id":"a long enough line to fill the buffer"}');
    let completed = false;
    sink.drained().subscribe({ complete: () => (completed = true) });
    await new Promise((resolve) => setImmediate(resolve));
    expect(completed).toBe(false);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(completed).toBe(true);
  });

  it('unsubscribing stops listening for drain', () => {
    const { stream } = stalledWritable(16);
    const sink = new LineSink(stream);
    sink.write('{"id":"a long enough line to fill the buffer"}');
    const before = stream.listenerCount('drain');
    sink.drained().subscribe().unsubscribe();
    expect(stream.listenerCount('drain')).toBe(before);
  });
});

describe('LineSink on a file whose disk fills up', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rxsc-sink-'));
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * Gives the disk room for `room` more bytes: a write past them writes what
   * fits, then fails with ENOSPC, as on a full disk (or EFBIG past `ulimit -f`).
   * Node's file streams write through their FileHandle, whose methods these are.
   */
  async function diskWithRoom(room: number): Promise<{ readonly handle: () => FileHandle | undefined }> {
    const probe = await open(join(dir, 'probe'), 'w');
    const prototype = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    const writev = prototype.writev;
    let left = room;
    let written: FileHandle | undefined;
    const through = async (handle: FileHandle, chunk: Buffer): Promise<number> => {
      written = handle;
      const fits = chunk.subarray(0, left);
      left -= fits.length;
      if (fits.length > 0) await writev.call(handle, [fits]);
      if (fits.length < chunk.length) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
      return chunk.length;
    };
    jest.spyOn(prototype, 'write').mockImplementation(async function (this: FileHandle, buffer: unknown) {
      const bytesWritten = await through(this, buffer as Buffer);
      return { bytesWritten, buffer };
    } as FileHandle['write']);
    jest.spyOn(prototype, 'writev').mockImplementation(async function (this: FileHandle, buffers: readonly NodeJS.ArrayBufferView[]) {
      const bytesWritten = await through(this, Buffer.concat(buffers as readonly Buffer[]));
      return { bytesWritten, buffers };
    });
    return { handle: () => written };
  }

  const WHOLE = '{"id":"a"}\n';

  it('keeps the whole lines only: a line cut short by the failed write is taken back at close, and the file is closed', async () => {
    const disk = await diskWithRoom(WHOLE.length + 8);
    const file = join(dir, 'full.jsonl');
    const sink = await LineSink.toFile(file, false);
    sink.write('{"id":"a"}');
    sink.part('{"completion":{"id":"b"},"messages":[');
    sink.part('{"role":"user","content":"hello"}');
    await expect(sink.close()).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(await readFile(file, 'utf8')).toBe(WHOLE);
    expect(disk.handle()?.fd).toBe(-1);
  });

  it('a line taken back once the disk is full fails at once with the disk’s error, and close still keeps the whole lines', async () => {
    await diskWithRoom(WHOLE.length + 8);
    const file = join(dir, 'taken-back.jsonl');
    const sink = await LineSink.toFile(file, false);
    sink.write('{"id":"a"}');
    sink.part('{"completion":{"id":"b"},"messages":[');
    await expect(firstValueFrom(NEVER.pipe(sink.guard()))).rejects.toMatchObject({ code: 'ENOSPC' });
    await expect(sink.takeBack()).rejects.toMatchObject({ code: 'ENOSPC' });
    await expect(sink.close()).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(await readFile(file, 'utf8')).toBe(WHOLE);
  });
});
