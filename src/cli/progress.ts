/**
 * Progress for long runs: an ora spinner line on a terminal (done/total, pass rate, cost), plain
 * lines every 10% when stderr is not a TTY, nothing with --quiet.
 */
import type { Ora } from 'ora';
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
    // ora is loaded on the first update (a terminal only), not with the CLI.
    let spinner: Ora | undefined;
    let latest: EvalProgress | undefined;
    let loading = false;
    let stopped = false;
    return {
      update(p) {
        latest = p;
        if (spinner) spinner.text = text(p);
        else if (!loading) {
          loading = true;
          void import('ora').then(({ default: ora }) => {
            if (!stopped && latest) spinner = ora({ text: text(latest), stream: process.stderr }).start();
          }, () => {}); // no spinner is no reason to fail a run
        }
      },
      stop() {
        stopped = true;
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
