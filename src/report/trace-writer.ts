/**
 * Appends trace entries to `trace.jsonl`, one JSON line per LLM call. Cheap with thousands of
 * calls: `write` redacts and serializes at once (later changes to the entry do not leak in) and
 * buffers the line; lines go to disk in batches through one append-mode handle, strictly in
 * order. A timer flushes a partial batch so a crash loses at most one interval of lines.
 *
 * The trace is append-only (a resumed run appends to it), so it is the one run file written by
 * appending rather than by an atomic rewrite.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createRedactor, redactWith } from './redact.js';
import type { TraceEntry } from './trace-entry.js';

export interface TraceWriterOptions {
  /** Lines buffered before a batch is written (default 256). */
  batchLines?: number;
  /** Longest a buffered line waits before it is written, in ms (default 1000; 0 disables the timer). */
  flushIntervalMs?: number;
  /** Exact secret values to redact (see knownSecrets); key-shaped strings are redacted anyway. */
  secrets?: readonly string[];
  /** Applied to each entry before keys are redacted: personal data, with `redact: { traces: true }`. */
  redactEntry?: (entry: TraceEntry) => TraceEntry;
}

export class TraceWriter {
  private readonly scrub: (text: string) => string;
  private readonly redactEntry: ((entry: TraceEntry) => TraceEntry) | undefined;
  private readonly batchLines: number;
  private readonly flushIntervalMs: number;
  private buffer: string[] = [];
  private chain: Promise<void> = Promise.resolve();
  private handle: Promise<FileHandle> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private closed = false;

  constructor(readonly file: string, options: TraceWriterOptions = {}) {
    this.scrub = createRedactor(options.secrets);
    this.redactEntry = options.redactEntry;
    this.batchLines = Math.max(1, options.batchLines ?? 256);
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
  }

  write(entry: TraceEntry): void {
    if (this.closed) throw new Error(`trace writer for ${this.file} is closed`);
    this.buffer.push(JSON.stringify(redactWith(this.redactEntry ? this.redactEntry(entry) : entry, this.scrub)));
    if (this.buffer.length >= this.batchLines) this.drain();
    else this.schedule();
  }

  /** Resolves once every line written so far is on disk; rejects if an append failed. */
  async flush(): Promise<void> {
    this.drain();
    await this.chain;
    if (this.failure !== undefined) throw this.failure;
  }

  async close(): Promise<void> {
    if (this.closed) return this.chain;
    this.closed = true;
    try {
      await this.flush();
    } finally {
      const handle = this.handle;
      this.handle = undefined;
      if (handle) await (await handle.catch(() => undefined))?.close();
    }
  }

  /** Queues the buffered lines as one append after the previous ones. */
  private drain(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.buffer.length === 0) return;
    const chunk = `${this.buffer.join('\n')}\n`;
    this.buffer = [];
    this.chain = this.chain.then(async () => {
      if (this.failure !== undefined) return;
      try {
        const handle = await this.openHandle();
        await handle.appendFile(chunk, 'utf8');
      } catch (error) {
        this.failure = error;
      }
    });
  }

  private schedule(): void {
    if (this.timer || this.flushIntervalMs <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, this.flushIntervalMs);
    this.timer.unref();
  }

  private openHandle(): Promise<FileHandle> {
    this.handle ??= mkdir(dirname(this.file), { recursive: true }).then(() => open(this.file, 'a'));
    return this.handle;
  }
}
