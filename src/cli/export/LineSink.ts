import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { escapeJsonControl } from '../format/escapeJsonControl';

/**
 * Where an export's lines go: stdout, or a file it owns. Each line is one
 * `write`, so the output only ever holds whole lines, whenever the export
 * stops; an interrupted export then {@link LineSink.close}s it to flush them.
 *
 * A reader that goes away (`rxsc export | head`, EPIPE) is not a failure:
 * it stops the command quietly, as it does for other Unix tools, and
 * {@link LineSink.readerGone} says so.
 *
 * Lines are JSON text, or text with its control characters escaped already:
 * control characters a server left in JSON are escaped on the way out,
 * keeping its value (see `escapeJsonControl`).
 */
export class LineSink {
  private readonly listeners = new Set<(error: unknown) => void>();
  private failure: unknown;

  /**
   * @param stream The output.
   * @param owned Whether {@link LineSink.close} ends the stream (a file) or only drains it (stdout).
   */
  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly owned: boolean,
  ) {
    // Listening for good, not only during the walk: an unheard 'error' would crash the process.
    stream.on('error', (error: unknown) => {
      this.failure ??= error;
      for (const listener of this.listeners) listener(error);
    });
  }

  /**
   * A sink on a file, created or truncated; or appended to, to resume.
   *
   * @param path The file.
   * @param append Whether to append.
   * @returns The sink, which owns the file.
   */
  static toFile(path: string, append: boolean): LineSink {
    return new LineSink(createWriteStream(path, { flags: append ? 'a' : 'w' }), true);
  }

  /** Whether the output's reader went away (EPIPE): what is written since is lost. */
  get readerGone(): boolean {
    return isBrokenPipe(this.failure);
  }

  /**
   * Writes a line: at once, in one go, so that an interrupt finds it whole.
   *
   * @param line The line, JSON text or escaped text, without its `\n`; or its parts, in order.
   */
  write(line: string | readonly string[]): void {
    if (typeof line === 'string') {
      this.stream.write(`${escapeJsonControl(line)}\n`);
      return;
    }
    for (const part of line) this.stream.write(escapeJsonControl(part));
    this.stream.write('\n');
  }

  /**
   * Completes once the output has taken what was written, at once when its
   * buffer is below its high-water mark: the export waits on it after each
   * page, so a slow reader (a pipe, a slow disk) slows the walk down instead
   * of letting pages pile up in memory.
   *
   * @returns An Observable that completes, and emits nothing.
   */
  drained(): Observable<never> {
    return new Observable<never>((subscriber) => {
      const stream = this.stream as NodeJS.WritableStream & { writableNeedDrain?: boolean };
      if (this.failure !== undefined || stream.writableNeedDrain !== true) {
        subscriber.complete();
        return undefined;
      }
      const done = (): void => subscriber.complete();
      stream.once('drain', done);
      this.listeners.add(done);
      return () => {
        stream.removeListener('drain', done);
        this.listeners.delete(done);
      };
    });
  }

  /**
   * Ties a stream to the sink: it errors when the output fails, and completes
   * when the output's reader went away.
   *
   * @returns An operator.
   */
  guard<T>(): MonoTypeOperatorFunction<T> {
    return (source) =>
      new Observable<T>((subscriber) => {
        const stop = (error: unknown): void => (isBrokenPipe(error) ? subscriber.complete() : subscriber.error(error));
        if (this.failure !== undefined) {
          stop(this.failure);
          return undefined;
        }
        this.listeners.add(stop);
        subscriber.add(() => this.listeners.delete(stop));
        return source.subscribe(subscriber);
      });
  }

  /**
   * Flushes what was written: ends a file, drains stdout.
   *
   * @returns Once everything is written.
   * @throws the output's error (a full disk), unless its reader went away.
   */
  async close(): Promise<void> {
    try {
      if (this.owned) {
        this.stream.end();
        await finished(this.stream);
      } else if (this.failure === undefined) {
        await new Promise<void>((resolve, reject) => this.stream.write('', (error) => (error ? reject(error) : resolve())));
      }
      if (this.failure !== undefined) throw this.failure;
    } catch (error) {
      if (!isBrokenPipe(error)) throw error;
    }
  }
}

function isBrokenPipe(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'EPIPE';
}
