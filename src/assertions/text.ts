/**
 * Small text helpers shared by the handlers: how values appear in reasons (quoted, truncated) and in
 * the `expected` / `actual` diff fields (raw, truncated a little less aggressively).
 */
import { stringifyValue } from '../template/template.js';
import { canonicalJson } from '../util/hash.js';

/** Longest rendering of one value inside a reason. */
export const REASON_MAX = 200;
/** Longest `expected` / `actual` rendering kept for diffs. */
export const DIFF_MAX = 500;

/** Cuts `text` to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** A value as it appears inside a reason: JSON-quoted (newlines escaped) and truncated. */
export function quote(value: unknown, max = REASON_MAX): string {
  const text = typeof value === 'string' ? value : stringifyValue(value);
  return JSON.stringify(truncate(text, max));
}

/** A value as it is kept in `expected` / `actual`: raw text, truncated. */
export function clip(value: unknown, max = DIFF_MAX): string {
  return truncate(typeof value === 'string' ? value : stringifyValue(value), max);
}

/** A list of values inside a reason: `["a", "b"]`. */
export function quoteList(values: readonly string[]): string {
  return `[${values.map((v) => quote(v, 80)).join(', ')}]`;
}

/** Lower-case, whitespace collapsed, surrounding quotes and trailing punctuation dropped. */
export function looseText(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["'`]+|["'`]+$/g, '')
    .replace(/[\s.!?,;:]+$/, '')
    .trim();
}

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : stringifyValue(error);
}

/** Escapes a string for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A JSON value inside a reason: canonical JSON (sorted keys), unquoted, truncated. */
export function showJson(value: unknown, max = REASON_MAX): string {
  return truncate(canonicalJson(value) ?? 'undefined', max);
}
