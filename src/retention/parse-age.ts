/** `--older-than`: an age in hours, days or weeks (`36h`, `30d`, `2w`). */
import { UsageError } from '../errors.js';

const UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

export const DAY_MS = UNITS.d!;

/** The age in milliseconds; a usage error for anything else (a bare number is ambiguous: say the unit). */
export function parseAge(flag: string, value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([hdw])\s*$/i.exec(value);
  const ms = match ? Number(match[1]) * UNITS[match[2]!.toLowerCase()]! : Number.NaN;
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new UsageError(`${flag} must be an age such as 30d, 36h or 2w (got "${value}")`, 'h: hours, d: days, w: weeks');
  }
  return ms;
}

/** `30d` for a whole number of days, else hours. */
export function formatAge(ms: number): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS}d`;
  return `${+(ms / UNITS.h!).toFixed(2)}h`;
}
