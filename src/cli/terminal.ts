/**
 * Terminal conventions in one place: colour only on a terminal without NO_COLOR (or with
 * FORCE_COLOR), messages and progress on stderr, results on stdout.
 */
import chalk from 'chalk';

/** Sets chalk's level for one command run: `tty` is whether stdout is a terminal. */
export function configureColor(tty: boolean, env: NodeJS.ProcessEnv): void {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '' && !forced) chalk.level = 0;
  else if (!tty && !forced) chalk.level = 0;
  else if (chalk.level === 0) chalk.level = 1;
}

/** Where a command prints. Results go to `out`, messages and progress to `err`. */
export interface Io {
  out: (text: string) => void;
  /**
   * Writes a piece of a long result to stdout as is (no newline added), resolving when the stream can
   * take more: lets a large document (eval --json of 100k cases) go out without being built in memory.
   * Optional: without it, such a result is collected and printed with `out`.
   */
  write?: (chunk: string) => Promise<void>;
  err: (text: string) => void;
  /** True when stderr is a terminal (spinners, live views). */
  isTTY: boolean;
  /**
   * The stream spinners draw on when `isTTY` (process.stderr, or a test's fake terminal). Its
   * `columns` may be 0 or missing (a pseudo-terminal without a size): views must not trust it.
   */
  errStream?: NodeJS.WriteStream;
}

export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    write: (chunk) => writeWithBackpressure(process.stdout, chunk),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    isTTY: Boolean(process.stderr.isTTY),
    errStream: process.stderr,
  };
}

/** Writes `chunk`; resolves at once, or once the stream drains (or fails, or closes: nothing to wait for then). */
function writeWithBackpressure(stream: NodeJS.WriteStream, chunk: string): Promise<void> {
  if (stream.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

export { formatPercent } from '../util/format-percent.js';
import { formatUsd as formatAmount } from '../util/format-usd.js';

export function formatUsd(cost: number | null, incomplete = false): string {
  if (cost === null) return 'unknown';
  const text = formatAmount(cost);
  return incomplete ? `≥${text} (some prices unknown)` : text;
}

/** A one-line excerpt: newlines shown as ⏎, cut to `max` characters. */
export function excerpt(text: string, max = 80): string {
  const flat = text.replace(/\r?\n/g, '⏎');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
