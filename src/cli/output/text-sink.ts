/**
 * Where a long output goes piece by piece (stdout, a file written atomically), with small pieces
 * gathered into writes of about 64 KB, so a document of 100k cases never sits whole in memory.
 */
import type { Io } from '../terminal.js';
import { openAtomicFileWriter } from '../../util/atomic-write.js';

export interface TextSink {
  write(chunk: string): Promise<void>;
}

const CHUNK_CHARS = 64 * 1024;

/** A sink that gathers pieces and hands them to `target` in chunks; `end` writes the rest. */
export class BufferedSink implements TextSink {
  private parts: string[] = [];
  private chars = 0;

  constructor(private readonly target: (chunk: string) => Promise<void>) {}

  async write(chunk: string): Promise<void> {
    this.parts.push(chunk);
    this.chars += chunk.length;
    if (this.chars >= CHUNK_CHARS) await this.drain();
  }

  async end(): Promise<void> {
    await this.drain();
  }

  private async drain(): Promise<void> {
    if (this.chars === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.chars = 0;
    await this.target(chunk);
  }
}

/** Writes one document to stdout: streamed when the Io can, else collected and printed at the end. */
export async function writeToStdout(io: Io, produce: (sink: TextSink) => Promise<void>): Promise<void> {
  if (io.write) {
    const sink = new BufferedSink(io.write);
    await produce(sink);
    await sink.end();
    return;
  }
  const parts: string[] = [];
  await produce({ write: async (chunk) => void parts.push(chunk) });
  io.out(parts.join(''));
}

/** Writes a file atomically (readers see the old file or the whole new one), streaming its content. */
export async function writeFileStreamed(path: string, produce: (sink: TextSink) => Promise<void>): Promise<void> {
  const file = await openAtomicFileWriter(path);
  try {
    const sink = new BufferedSink((chunk) => file.write(chunk));
    await produce(sink);
    await sink.end();
  } catch (error) {
    await file.abort();
    throw error;
  }
  await file.commit();
}
