/**
 * Progress for long runs: a spinner line on a terminal (done/total, pass rate, cost), plain lines
 * every 10% when stderr is not a terminal, nothing with --quiet.
 */
import type { EvalProgress } from '../runner/types.js';
import { startSpinner, type Spinner } from './spinner.js';
import { formatPercent, formatUsd, type Io } from './terminal.js';

export interface ProgressView {
  update(progress: EvalProgress): void;
  stop(): void;
}

export function createProgressView(label: string, io: Io, mode: { quiet: boolean }): ProgressView {
  if (mode.quiet) return { update() {}, stop() {} };
  const text = (p: EvalProgress) =>
    `${label} ${p.done}/${p.total} · pass rate ${p.done ? formatPercent(p.passed / p.done) : '–'} · cost ${formatUsd(p.costUsd)} · cache hits ${p.cacheHits}`;
  if (io.isTTY && io.errStream) {
    const stream = io.errStream;
    let spinner: Spinner | undefined;
    return {
      update(p) {
        if (spinner) spinner.setText(text(p));
        else spinner = startSpinner(stream, text(p), (line) => io.err(line));
      },
      stop() {
        spinner?.stop();
      },
    };
  }
  let nextMark = 0;
  return {
    update(p) {
      const step = Math.max(1, Math.ceil(p.total / 10));
      if (p.done >= nextMark || p.done === p.total) {
        io.err(text(p));
        nextMark = p.done + step;
      }
    },
    stop() {},
  };
}
