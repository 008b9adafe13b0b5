/**
 * Per-case records of an eval, kept on disk instead of in memory, read back in the cases' order.
 *
 * Results arrive in completion order; the outputs list cases in input order. The spool appends each
 * record as one JSON line to a temp file and remembers where it went (two numbers per case), so an
 * eval of 100k cases holds 1.2 MB of offsets rather than 100k records. The file is unlinked as soon
 * as it is open (where the OS allows it), so even a kill -9 leaves nothing behind.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes collected before one write, and read at once (records land roughly in order, so reads are too). */
const CHUNK_BYTES = 256 * 1024;

export class CaseSpool<T> {
  private readonly fd: number;
  private readonly dir: string;
  private unlinked = false;
  private readonly offsets: Float64Array;
  private readonly lengths: Uint32Array;
  /** Bytes put so far; `flushed` of them are in the file. */
  private size = 0;
  private flushed = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  private closed = false;

  /** A spool for records with indexes 0..capacity-1. */
  constructor(readonly capacity: number) {
    this.dir = mkdtempSync(join(tmpdir(), 'promptopt-cases-'));
    const file = join(this.dir, 'cases.jsonl');
    this.fd = openSync(file, 'w+');
    try {
      unlinkSync(file);
      rmSync(this.dir, { recursive: true, force: true });
      this.unlinked = true;
    } catch {
      // Windows keeps open files: removed on close instead.
    }
    this.offsets = new Float64Array(capacity).fill(-1);
    this.lengths = new Uint32Array(capacity);
  }

  /** Stores the record of case `index` (replacing none: each index is put at most once). */
  put(index: number, record: T): void {
    if (this.closed) throw new Error('case spool is closed');
    const line = `${JSON.stringify(record)}\n`;
    const bytes = Buffer.byteLength(line, 'utf8');
    this.offsets[index] = this.size;
    this.lengths[index] = bytes - 1;
    this.size += bytes;
    this.pending.push(line);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= CHUNK_BYTES) this.flush();
  }

  has(index: number): boolean {
    return this.offsets[index]! >= 0;
  }

  /** The records put so far (of the indexes `include` accepts), in index order. Each call starts a fresh pass. */
  *records(include?: (index: number) => boolean): Generator<T> {
    this.flush();
    // A window of the file: a record inside it is read from memory, else the window moves to it.
    let window = Buffer.alloc(CHUNK_BYTES);
    let start = 0;
    let end = 0;
    for (let index = 0; index < this.capacity; index++) {
      const offset = this.offsets[index]!;
      if (offset < 0 || (include && !include(index))) continue;
      const length = this.lengths[index]!;
      if (offset < start || offset + length > end) {
        if (window.length < length) window = Buffer.alloc(length);
        start = offset;
        end = offset + this.readAt(window, offset, Math.min(window.length, this.size - offset));
        if (offset + length > end) throw new Error(`case spool: record ${index} is truncated`);
      }
      yield JSON.parse(window.toString('utf8', offset - start, offset - start + length)) as T;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    closeSync(this.fd);
    if (!this.unlinked) rmSync(this.dir, { recursive: true, force: true });
  }

  /** Reads up to `length` bytes at `position` into `buffer`; returns how many were read. */
  private readAt(buffer: Buffer, position: number, length: number): number {
    let read = 0;
    while (read < length) {
      const n = readSync(this.fd, buffer, read, length - read, position + read);
      if (n === 0) break;
      read += n;
    }
    return read;
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const chunk = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingBytes = 0;
    let written = 0;
    while (written < chunk.length) written += writeSync(this.fd, chunk, written, chunk.length - written, this.flushed + written);
    this.flushed += chunk.length;
  }
}
