/**
 * Terminal conventions in one place: colour only on a TTY without NO_COLOR (or with FORCE_COLOR),
 * messages and progress on stderr, results on stdout.
 */
import chalk from 'chalk';

export function configureColor(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): void {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '' && !forced) chalk.level = 0;
  else if (!stream.isTTY && !forced) chalk.level = 0;
}

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  isTTY: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  isTTY: Boolean(process.stderr.isTTY),
};

export { formatPercent } from '../util/format-percent.js';

export function formatUsd(cost: number | null, incomplete = false): string {
  if (cost === null) return 'unknown';
  const text = cost < 0.01 && cost > 0 ? `$${cost.toFixed(5)}` : `$${cost.toFixed(4)}`;
  return incomplete ? `≥${text} (some prices unknown)` : text;
}

/** A one-line excerpt: newlines shown as ⏎, cut to `max` characters. */
export function excerpt(text: string, max = 80): string {
  const flat = text.replace(/\r?\n/g, '⏎');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
