import { EventEmitter } from 'node:events';
import { open, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

const CHUNK_BYTES = 64 * 1024;

/**
 * A file as papaparse's stream input, read one chunk per `resume()`. Papaparse pauses and
 * resumes its input around every chunk it hands out; a flowing fs stream reads ahead in between,
 * into papaparse's own queue, which then grows without bound whenever the database is slower
 * than the parser (measured: 236 MB of heap after 1M rows into PGlite). Here one chunk at most
 * is read ahead: while papaparse parses a chunk, the next one is read into the other of two
 * buffers, so the parser does not wait for the disk (and the thread pool that reads it, which
 * lags on a busy machine) at every chunk. UTF-8 is decoded across chunk boundaries.
 */
export class OnDemandFile extends EventEmitter {
  /** Bytes read from the file so far. */
  bytesRead = 0;
  /** What papaparse looks for to treat this as a stream (with `read` and `on`). */
  readonly readable = true;
  private handle: FileHandle | null = null;
  private readonly decoder = new StringDecoder('utf8');
  private readonly buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)] as const;
  /** The buffer the next chunk is read into. */
  private next: 0 | 1 = 0;
  /** The read of the next chunk, when under way: its byte count. */
  private ahead: Promise<number> | null = null;
  private wanted = false;
  private reading = false;
  private done = false;

  constructor(private readonly path: string) {
    super();
  }

  /** Papaparse reads through 'data' events; `read()` is there for its stream detection only. */
  read(): null {
    return null;
  }

  resume(): this {
    this.wanted = true;
    void this.pump();
    return this;
  }

  pause(): this {
    this.wanted = false;
    return this;
  }

  destroy(): void {
    this.done = true;
    void this.handle?.close().catch(() => undefined);
    this.handle = null;
  }

  private async pump(): Promise<void> {
    if (this.reading || this.done) return;
    this.reading = true;
    try {
      this.handle ??= await open(this.path, 'r');
      const handle = this.handle;
      while (this.wanted && !this.done) {
        const buffer = this.buffers[this.next];
        const read = this.ahead ?? this.readInto(handle, buffer);
        this.ahead = null;
        const bytesRead = await read;
        if (this.done) return;
        if (bytesRead === 0) {
          this.done = true;
          const rest = this.decoder.end();
          if (rest) this.emit('data', rest);
          this.emit('end');
          await this.handle.close();
          this.handle = null;
          return;
        }
        this.bytesRead += bytesRead;
        this.next = this.next === 0 ? 1 : 0;
        this.ahead = this.readInto(handle, this.buffers[this.next]);
        const text = this.decoder.write(buffer.subarray(0, bytesRead));
        if (text === '') continue; // only part of a character so far: read on
        this.wanted = false; // one chunk per resume
        this.emit('data', text);
      }
    } catch (error) {
      this.done = true;
      this.emit('error', error);
    } finally {
      this.reading = false;
    }
  }

  /** Reads the file's next chunk into `buffer` (reads are sequential: one at a time, in order). */
  private readInto(handle: FileHandle, buffer: Buffer): Promise<number> {
    const read = handle.read(buffer, 0, CHUNK_BYTES, null).then((result) => result.bytesRead);
    read.catch(() => undefined); // a read ahead of a destroyed file may fail unheard; pump awaits the rest
    return read;
  }
}
