/**
 * Progress for long runs: an ora spinner line on a terminal (done/total, pass rate, cost), plain
 * lines every 10% when stderr is not a TTY, nothing with --quiet.
 */
import ora, { type Ora } from 'ora';
import type { EvalProgress } from '../runner/types.js';
import { formatPercent, formatUsd } from './terminal.js';

export interface ProgressView {
  update(progress: EvalProgress): void;
  stop(): void;
}

export function createProgressView(label: string, mode: { tty: boolean; quiet: boolean }): ProgressView {
  if (mode.quiet) return { update() {}, stop() {} };
  const text = (p: EvalProgress) =>
    `${label} ${p.done}/${p.total} · pass ${p.done ? formatPercent(p.passed / p.done) : '–'} · cost ${formatUsd(p.costUsd)} · cache hits ${p.cacheHits}`;
  if (mode.tty) {
    let spinner: Ora | undefined;
    return {
      update(p) {
        spinner ??= ora({ text: text(p), stream: process.stderr }).start();
        spinner.text = text(p);
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
        process.stderr.write(`${text(p)}\n`);
        nextMark = p.done + step;
      }
    },
    stop() {},
  };
}
