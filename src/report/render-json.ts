/**
 * ReportData -> report.json: snake_case keys, `schema_version: 1` first. Pure. The case results stay
 * out: `cases.json` holds them, and their `vars` keys are the user's, not ours to rename.
 */
import type { ReportData } from './types.js';

export const REPORT_JSON_SCHEMA = 1;

export function renderJson(data: ReportData): string {
  const { cases: _cases, ...rest } = data;
  return `${JSON.stringify({ schema_version: REPORT_JSON_SCHEMA, ...(snakeKeys(rest) as object) }, null, 2)}\n`;
}

/** camelCase keys -> snake_case, deeply (keys already in snake_case, like failure categories, are kept). */
function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[toSnake(key)] = snakeKeys(item);
    return out;
  }
  return value;
}

function toSnake(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
