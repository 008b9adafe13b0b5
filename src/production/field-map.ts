/**
 * `--map field=path`: where each field of the record shape is in another export. A path is dotted
 * (`request.messages.-1.content`): names are object keys, whole numbers index arrays (negative ones
 * from the end). A key that itself contains dots (a CSV column named `feedback.rating`) is found as
 * written first. Unmapped fields are read from their default-shape path.
 */
import { UsageError } from '../errors.js';
import { didYouMean, withSuggestion } from '../spec/did-you-mean.js';

/** Fields of the record shape that `--map` can point elsewhere; `vars.<name>` maps one variable. */
export const RECORD_FIELDS = [
  'id',
  'timestamp',
  'vars',
  'input',
  'output',
  'prompt_version',
  'model',
  'latency_ms',
  'usage.input_tokens',
  'usage.output_tokens',
  'cost_usd',
  'session',
  'feedback.rating',
  'feedback.correction',
  'feedback.comment',
  'feedback.flags',
] as const;
export type RecordField = (typeof RECORD_FIELDS)[number];

export interface FieldMap {
  /** Path of each field (default: the field's own path). */
  paths: Record<RecordField, string>;
  /** `vars.<name>` mappings: variable name -> path. */
  vars: Record<string, string>;
}

export function defaultFieldMap(): FieldMap {
  return { paths: Object.fromEntries(RECORD_FIELDS.map((f) => [f, f])) as Record<RecordField, string>, vars: {} };
}

/** Parses `--map` values (`field=path`); a wrong one is a usage error (exit 2) naming it. */
export function parseFieldMap(entries: readonly string[] = []): FieldMap {
  const map = defaultFieldMap();
  for (const entry of entries) {
    const at = entry.indexOf('=');
    const field = entry.slice(0, Math.max(0, at)).trim();
    const path = entry.slice(at + 1).trim();
    if (at <= 0 || path === '') throw new UsageError(`--map "${entry}" is not field=path`, 'e.g. --map input=request.messages.-1.content --map feedback.rating=thumbs');
    if (field.startsWith('vars.') && field.length > 'vars.'.length) {
      map.vars[field.slice('vars.'.length)] = path;
    } else if ((RECORD_FIELDS as readonly string[]).includes(field)) {
      map.paths[field as RecordField] = path;
    } else {
      throw new UsageError(
        withSuggestion(`--map: unknown field "${field}"`, didYouMean(field, RECORD_FIELDS)),
        `fields: ${RECORD_FIELDS.join(', ')}, or vars.<name> for one variable`,
      );
    }
  }
  return map;
}

/** The value at `path` in `value`, or undefined. */
export function getPath(value: unknown, path: string): unknown {
  if (isObject(value) && Object.hasOwn(value, path)) return value[path];
  let current: unknown = value;
  for (const segment of path.split('.')) {
    if (Array.isArray(current)) {
      if (!/^-?\d+$/.test(segment)) return undefined;
      const index = Number(segment);
      current = current[index < 0 ? current.length + index : index];
    } else if (isObject(current)) {
      current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    } else {
      return undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
