/**
 * A raw export item -> ProductionRecord, through the field map. Values are read leniently where the
 * meaning is clear (CSV cells are strings: "0.25" is a number, `format;moderation` a flag list,
 * `{"city": "Paris"}` a vars object) and strictly otherwise: a rating or a timestamp that cannot be
 * read makes the record malformed, naming the field, never its value.
 */
import { getPath, type FieldMap, type RecordField } from './field-map.js';
import type { MalformedRecord, ProductionRecord, Rating } from './record.js';
import type { RawItem } from './read-export.js';

const RATINGS: Record<string, Rating> = {
  up: 'up',
  down: 'down',
  '1': 'up',
  '0': 'down',
  true: 'up',
  false: 'down',
  thumbs_up: 'up',
  thumbs_down: 'down',
  '+1': 'up',
  '-1': 'down',
  positive: 'up',
  negative: 'down',
  '👍': 'up',
  '👎': 'down',
};

class Malformed extends Error {
  constructor(readonly field: string, reason: string) {
    super(reason);
  }
}

export function toRecord(item: RawItem, map: FieldMap, inputVar: string): ProductionRecord | MalformedRecord {
  try {
    return readRecord(item, map, inputVar);
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    return { line: item.line, field: error.field, reason: `${error.field}: ${error.message}` };
  }
}

export function isMalformed(value: ProductionRecord | MalformedRecord): value is MalformedRecord {
  return 'reason' in value;
}

function readRecord(item: RawItem, map: FieldMap, inputVar: string): ProductionRecord {
  const get = (field: RecordField): unknown => {
    const value = getPath(item.value, map.paths[field]);
    return value === null || value === '' ? undefined : value;
  };
  const timestamp = readTimestamp(get('timestamp'));
  const vars = readVars(item, map, get, inputVar);
  const record: ProductionRecord = {
    line: item.line,
    ...defined('id', text(get('id'), 'id')),
    ...(timestamp ?? {}),
    ...(vars ? { vars } : {}),
    ...defined('output', text(get('output'), 'output')),
    ...defined('promptVersion', text(get('prompt_version'), 'prompt_version')),
    ...defined('model', text(get('model'), 'model')),
    ...defined('latencyMs', count(get('latency_ms'), 'latency_ms')),
    ...defined('inputTokens', count(get('usage.input_tokens'), 'usage.input_tokens')),
    ...defined('outputTokens', count(get('usage.output_tokens'), 'usage.output_tokens')),
    ...defined('costUsd', count(get('cost_usd'), 'cost_usd')),
    ...defined('session', text(get('session'), 'session')),
    feedback: {
      ...defined('rating', readRating(get('feedback.rating'))),
      ...defined('correction', readCorrection(get('feedback.correction'))),
      ...defined('comment', text(get('feedback.comment'), 'feedback.comment')),
      flags: readFlags(get('feedback.flags')),
    },
  };
  return record;
}

function readVars(item: RawItem, map: FieldMap, get: (field: RecordField) => unknown, inputVar: string): Record<string, unknown> | undefined {
  let vars: Record<string, unknown> | undefined;
  const raw = get('vars');
  if (raw !== undefined) {
    const parsed = typeof raw === 'string' ? parseJson(raw) : raw;
    if (!isObject(parsed)) throw new Malformed('vars', 'must be an object of variables');
    vars = { ...parsed };
  }
  // CSV columns (or keys) named `vars.<name>` are variables too.
  for (const [key, value] of Object.entries(item.value)) {
    if (key.startsWith('vars.') && key.length > 5 && value !== '' && value !== null) (vars ??= {})[key.slice(5)] = value;
  }
  for (const [name, path] of Object.entries(map.vars)) {
    const value = getPath(item.value, path);
    if (value !== undefined && value !== null && value !== '') (vars ??= {})[name] = value;
  }
  const input = get('input');
  if (input !== undefined) {
    if (vars && Object.hasOwn(vars, inputVar)) throw new Malformed('input', `both input and vars.${inputVar} are set`);
    (vars ??= {})[inputVar] = typeof input === 'string' ? input : JSON.stringify(input);
  }
  return vars;
}

function readTimestamp(value: unknown): { timestamp: string; time: number } | undefined {
  if (value === undefined) return undefined;
  let time: number;
  if (typeof value === 'number' || (typeof value === 'string' && /^\d{9,13}(\.\d+)?$/.test(value.trim()))) {
    const n = Number(value);
    // Seconds or milliseconds since the epoch: 10^11 s is the year 5138, 10^11 ms is 1973.
    time = n < 1e11 ? n * 1000 : n;
  } else if (typeof value === 'string') {
    time = Date.parse(value);
  } else {
    time = Number.NaN;
  }
  if (!Number.isFinite(time)) throw new Malformed('timestamp', 'not a date (use ISO 8601, e.g. 2025-06-12T10:00:00Z, or seconds/milliseconds since 1970)');
  return { timestamp: String(value), time };
}

function readRating(value: unknown): Rating | undefined {
  if (value === undefined) return undefined;
  const rating = RATINGS[String(value).trim().toLowerCase()];
  if (rating === undefined) throw new Malformed('feedback.rating', 'not a rating (use "up" or "down", 1 or 0, true or false)');
  return rating;
}

/** Text as is; a string holding a JSON object or array is that JSON (a structured answer). */
function readCorrection(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const parsed = parseJson(trimmed);
    if (parsed !== undefined && typeof parsed === 'object') return parsed;
  }
  return value;
}

/** A list of strings; in a CSV cell a JSON array, or names separated by `;`, `,` or `|`. */
function readFlags(value: unknown): string[] {
  if (value === undefined) return [];
  let list: unknown = value;
  if (typeof value === 'string') {
    const parsed = value.trim().startsWith('[') ? parseJson(value) : undefined;
    list = parsed ?? value.split(/[;,|]/);
  }
  if (!Array.isArray(list)) throw new Malformed('feedback.flags', 'must be a list of flag names');
  const flags = list.map((flag) => (typeof flag === 'string' ? flag.trim() : typeof flag === 'number' ? String(flag) : undefined));
  if (flags.some((flag) => flag === undefined)) throw new Malformed('feedback.flags', 'must be a list of flag names');
  return [...new Set(flags.filter((flag): flag is string => flag !== undefined && flag !== ''))];
}

function text(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (field === 'output') return JSON.stringify(value);
  throw new Malformed(field, 'must be text');
}

function count(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new Malformed(field, 'must be a number >= 0');
  return n;
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
