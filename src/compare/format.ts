/** Small pure formatters shared by the compare renderers (text and HTML). */
import type { Interval } from '../stats/wilson.js';
import { formatPercent as pct } from '../util/format-percent.js';
import { formatUsd } from '../util/format-usd.js';

export { pct };

export function interval(i: Interval): string {
  return `[${pct(i.lower)}, ${pct(i.upper)}]`;
}

/** A difference of rates in percentage points: `+12.5 pts`, `-3.0 pts`, `±0 pts`. */
export function points(difference: number): string {
  const p = difference * 100;
  if (Math.abs(p) < 0.05) return '±0 pts';
  return `${p > 0 ? '+' : ''}${p.toFixed(1)} pts`;
}

/** An interval of differences in percentage points: `[+15.7, +33.7] pts`. */
export function pointsInterval(i: Interval): string {
  const one = (d: number) => {
    const p = d * 100;
    return Math.abs(p) < 0.05 ? '0' : `${p > 0 ? '+' : ''}${p.toFixed(1)}`;
  };
  return `[${one(i.lower)}, ${one(i.upper)}] pts`;
}

/** `0.0391`, `0.0020`, `3.1e-6` (a p-value, not an amount: the exponent is the convention). */
export function pValue(p: number): string {
  return p >= 0.001 ? p.toFixed(4) : p.toExponential(1);
}

/** A cost in USD as the run report writes it (never `8.02e-5`); `unknown` without a price. */
export function usdOrUnknown(cost: number | null): string {
  return cost === null ? 'unknown' : formatUsd(cost);
}

export function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)}s` : `${Math.round(value)}ms`;
}

export function testName(test: 'mcnemar_exact' | 'paired_bootstrap'): string {
  return test === 'mcnemar_exact' ? 'McNemar exact' : 'paired bootstrap';
}

/** Up to `max` ids, then `… N more`. */
export function idList(ids: string[], max = 12): string {
  if (ids.length <= max) return ids.join(', ');
  return `${ids.slice(0, max).join(', ')}, … ${ids.length - max} more`;
}
