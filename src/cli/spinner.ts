/**
 * The one spinner line of a run on a terminal (ora), made safe for any terminal:
 * - stdin is left alone (ora's default puts it in raw mode, where Ctrl-C is a keystroke that
 *   never becomes SIGINT: the run could not be stopped);
 * - a terminal that reports no size (0×0, e.g. `script` without a terminal on its own input) is
 *   drawn as 80×24: ora divides by the width, and 0 made it loop redrawing cursor movements.
 * ora is loaded on first use, not with the CLI.
 */
import type { Ora } from 'ora';

export interface Spinner {
  setText(text: string): void;
  /** Prints `line` above the spinner (or alone when there is none yet). */
  persist(line: string): void;
  stop(): void;
}

export function startSpinner(stream: NodeJS.WriteStream, text: string, fallback: (line: string) => void): Spinner {
  let spinner: Ora | undefined;
  let latest = text;
  let stopped = false;
  void import('ora').then(
    ({ default: ora }) => {
      if (stopped) return;
      spinner = ora({ text: latest, stream: sizedStream(stream), discardStdin: false }).start();
    },
    () => {}, // no spinner is no reason to fail a run
  );
  return {
    setText(next) {
      latest = next;
      if (spinner) spinner.text = next;
    },
    persist(line) {
      if (spinner) {
        spinner.stopAndPersist({ symbol: ' ', text: line });
        spinner.start(latest);
      } else fallback(line);
    },
    stop() {
      stopped = true;
      spinner?.stop();
    },
  };
}

/** A view of `stream` that always reports a usable size. */
export function sizedStream(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  const view = {
    isTTY: true,
    get columns() {
      return stream.columns > 0 ? stream.columns : 80;
    },
    get rows() {
      return stream.rows > 0 ? stream.rows : 24;
    },
    write: (...args: Parameters<NodeJS.WriteStream['write']>) => stream.write(...(args as [string])),
    cursorTo: (x: number, y?: number) => (typeof stream.cursorTo === 'function' ? stream.cursorTo(x, y as number) : true),
    moveCursor: (dx: number, dy: number) => (typeof stream.moveCursor === 'function' ? stream.moveCursor(dx, dy) : true),
    clearLine: (dir: -1 | 0 | 1) => (typeof stream.clearLine === 'function' ? stream.clearLine(dir) : true),
    on: (event: string, listener: (...args: unknown[]) => void) => (stream.on(event, listener), view),
    once: (event: string, listener: (...args: unknown[]) => void) => (stream.once(event, listener), view),
    removeListener: (event: string, listener: (...args: unknown[]) => void) => (stream.removeListener(event, listener), view),
    off: (event: string, listener: (...args: unknown[]) => void) => (stream.off(event, listener), view),
  };
  return view as unknown as NodeJS.WriteStream;
}
