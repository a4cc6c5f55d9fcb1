import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { escapeJsonControl } from '../format/escapeJsonControl';

/**
 * Where an export's lines go: stdout, or a file it owns. A line is written
 * whole, in one `write`, or in parts ({@link LineSink.part}, then
 * {@link LineSink.endLine}) for a line too long to hold in memory: a
 * conversation of thousands of messages.
 *
 * A file only ever keeps whole lines, whenever the export stops: a line cut
 * short by a failure or an interrupt is taken back ({@link LineSink.takeBack}),
 * the file truncated to the end of the line before it, when the sink is
 * {@link LineSink.close}d. Stdout cannot take anything back: there, a line cut
 * short is ended where it stopped, and {@link LineSink.lineCut} says so.
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
  /** Bytes written to the file, and those of its whole lines. */
  private bytes = 0;
  private wholeBytes = 0;
  private lineOpen = false;
  private cut = false;

  /**
   * @param stream The output.
   * @param file The file behind `stream`, opened to append, and its size when opened: then
   * {@link LineSink.close} ends the stream, takes back a line cut short and closes the file,
   * which `stream` must leave open (`autoClose: false`) to let it truncate the file even once a
   * write failed. Without it (stdout), closing only drains the stream.
   */
  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly file?: { readonly handle: FileHandle; readonly start: number },
  ) {
    // Listening for good, not only during the walk: an unheard 'error' would crash the process.
    stream.on('error', (error: unknown) => {
      this.failure ??= error;
      for (const listener of this.listeners) listener(error);
    });
  }

  /**
   * A sink on a file: created or truncated, or appended to, to resume. The file
   * is opened to append either way, so that a line taken back (a truncation)
   * leaves the next write at the new end.
   *
   * @param path The file.
   * @param append Whether to keep what the file holds.
   * @returns The sink, which owns the file.
   */
  static async toFile(path: string, append: boolean): Promise<LineSink> {
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | (append ? 0 : constants.O_TRUNC);
    const handle = await open(path, flags);
    try {
      const { size } = await handle.stat();
      return new LineSink(handle.createWriteStream({ autoClose: false }), { handle, start: size });
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Whether the output's reader went away (EPIPE): what is written since is lost. */
  get readerGone(): boolean {
    return isBrokenPipe(this.failure);
  }

  /** Whether a line cut short was ended where it stopped, on an output that cannot take it back (stdout). */
  get lineCut(): boolean {
    return this.cut;
  }

  /** Whether a line cut short can be taken back: the output is a file. */
  get canTakeBack(): boolean {
    return this.file !== undefined;
  }

  /**
   * Writes a line: at once, in one go, so that an interrupt finds it whole.
   *
   * @param line The line, JSON text or escaped text, without its `\n`.
   */
  write(line: string): void {
    this.send(`${escapeJsonControl(line)}\n`);
    this.wholeBytes = this.bytes;
  }

  /**
   * Writes the next part of a line, starting one if none is under way.
   *
   * @param text The part, JSON text or escaped text.
   */
  part(text: string): void {
    this.lineOpen = true;
    this.send(escapeJsonControl(text));
  }

  /** Ends the line under way, whole from now on. */
  endLine(): void {
    this.send('\n');
    this.lineOpen = false;
    this.wholeBytes = this.bytes;
  }

  /**
   * Takes back the line under way, if any, once what was written before it
   * has reached the file: the file is truncated to the end of the last whole line.
   *
   * @returns Once taken back.
   * @throws {Error} when the output is not a file (see {@link LineSink.canTakeBack}), or the file fails.
   */
  async takeBack(): Promise<void> {
    if (!this.lineOpen) return;
    if (this.file === undefined) throw new Error('A line written to stdout cannot be taken back');
    await this.flushed(Buffer.alloc(0));
    await this.truncateToWholeLines(this.file);
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
   * Flushes what was written, a line cut short taken back (a file) or ended
   * where it stopped (stdout): ends and closes a file, drains stdout.
   *
   * A file is truncated to its last whole line even when a write failed (a
   * full disk, a file size limit): what reached it of the failed write is
   * unknown, but the end of the last whole line is always right. It is closed
   * whatever fails.
   *
   * @returns Once everything is written.
   * @throws the output's error (a full disk), unless its reader went away;
   * else the truncation's or the close's.
   */
  async close(): Promise<void> {
    try {
      await (this.file === undefined ? this.closeStdout() : this.closeFile(this.file));
    } catch (error) {
      if (!isBrokenPipe(error)) throw error;
    }
  }

  private async closeStdout(): Promise<void> {
    if (this.failure === undefined) {
      if (this.lineOpen) {
        this.endLine();
        this.cut = true;
      }
      await this.flushed('');
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private async closeFile({ handle, start }: { readonly handle: FileHandle; readonly start: number }): Promise<void> {
    const errors: unknown[] = [];
    try {
      this.stream.end();
      // A failed stream is not destroyed (autoClose: false), and `finished` rejects at once with its error.
      await finished(this.stream).catch((error: unknown) => errors.push(error));
      if (this.lineOpen) await this.truncateToWholeLines({ handle, start });
    } catch (error) {
      errors.push(error);
    } finally {
      // A stream on the handle holds a reference to it that only the stream's destruction drops: without it, the close would wait for ever.
      if (this.stream instanceof Writable) this.stream.destroy();
      await handle.close().catch((error: unknown) => errors.push(error));
    }
    if (this.failure !== undefined) throw this.failure;
    if (errors.length > 0) throw errors[0];
  }

  /** Cuts the file back to the end of its last whole line, the line under way gone. */
  private async truncateToWholeLines({ handle, start }: { readonly handle: FileHandle; readonly start: number }): Promise<void> {
    await handle.truncate(start + this.wholeBytes);
    this.bytes = this.wholeBytes;
    this.lineOpen = false;
  }

  /**
   * Writes `chunk`, and completes once it, and all before it, reached the
   * output; fails with the output's failure, at once if it failed already:
   * a failed file stream is not destroyed, and would hold a later write, and
   * its callback, for ever.
   */
  private flushed(chunk: Buffer | string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.failure !== undefined) {
        reject(this.failure);
        return;
      }
      const failed = (error: unknown): void => {
        this.listeners.delete(failed);
        reject(error);
      };
      this.listeners.add(failed);
      this.stream.write(chunk, (error) => {
        this.listeners.delete(failed);
        if (error) reject(error);
        else resolve();
      });
    });
  }

  private send(text: string): void {
    if (this.file === undefined) {
      this.stream.write(text);
      return;
    }
    const chunk = Buffer.from(text, 'utf8');
    this.bytes += chunk.length;
    this.stream.write(chunk);
  }
}

function isBrokenPipe(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'EPIPE';
}
