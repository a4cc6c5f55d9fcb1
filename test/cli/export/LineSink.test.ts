import { Writable } from 'node:stream';
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
