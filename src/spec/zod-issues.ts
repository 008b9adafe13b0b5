/**
 * zod issues -> SpecIssues: one message per problem, in plain words, pointed at the right line. An
 * unknown key gets "did you mean" among the keys its object allows; an unknown enum value among the
 * allowed values. Messages never repeat a value that could be a secret (wrong types say only the type).
 */
import type { z } from 'zod';
import type { SpecIssue } from '../errors.js';
import { didYouMean, withSuggestion } from './did-you-mean.js';
import { formatPath, type IssueAt, type PathSegment } from './issues.js';

type Issue = z.core.$ZodIssue;

const MISSING = 'missing required field';
type Schema = z.core.$ZodType;

export interface ZodIssueContext {
  /** The schema that produced the issues (to list the keys an object allows). */
  schema: Schema;
  /** The value that was parsed (to tell a missing field from a wrong one). */
  root: unknown;
  issueAt: IssueAt;
  /** Dotted paths already reported another way (refused literal keys). */
  skip?: ReadonlySet<string>;
}

export function zodIssuesToSpecIssues(issues: readonly Issue[], context: ZodIssueContext): SpecIssue[] {
  const converted = issues.flatMap((issue) => convert(issue, [], context));
  // `modle:` already says "did you mean model": do not also report `model` as missing.
  const suggested = new Set(
    issues.flatMap((issue) => {
      if (issue.code !== 'unrecognized_keys') return [];
      const path = issue.path as PathSegment[];
      const allowed = objectKeysAt(context.schema, path) ?? [];
      return issue.keys.flatMap((key) => {
        const suggestion = didYouMean(key, allowed);
        return suggestion === undefined ? [] : [formatPath([...path, suggestion])];
      });
    }),
  );
  return converted.filter((issue) => !(issue.message === MISSING && suggested.has(issue.path ?? '')));
}


function convert(issue: Issue, base: PathSegment[], context: ZodIssueContext): SpecIssue[] {
  const path = [...base, ...(issue.path as PathSegment[])];
  const { issueAt } = context;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = objectKeysAt(context.schema, path) ?? [];
      return issue.keys
        .filter((key) => !context.skip?.has(formatPath([...path, key])))
        .map((key) =>
          issueAt([...path, key], withSuggestion(`unknown key "${key}"`, didYouMean(key, allowed)), {
            key: true,
            hint: allowed.length > 0 ? `allowed keys here: ${allowed.join(', ')}` : undefined,
          }),
        );
    }
    case 'invalid_type': {
      const value = valueAt(context.root, path);
      if (value === undefined) return [issueAt(path, MISSING)];
      return [issueAt(path, `expected ${describeExpected(issue.expected)}, got ${describeValue(value)}`)];
    }
    case 'invalid_value': {
      const value = valueAt(context.root, path);
      const allowed = issue.values.map(String);
      const shown = typeof value === 'string' ? `"${value}"` : describeValue(value);
      return [
        issueAt(path, withSuggestion(`unknown value ${shown}`, typeof value === 'string' ? didYouMean(value, allowed) : undefined), {
          hint: `one of: ${allowed.join(', ')}`,
        }),
      ];
    }
    case 'too_small':
      return [issueAt(path, tooSmall(issue))];
    case 'too_big':
      return [issueAt(path, tooBig(issue))];
    case 'invalid_format':
      return [
        issue.format === 'url'
          ? issueAt(path, 'must be an http:// or https:// URL', { hint: 'e.g. http://127.0.0.1:8080/v1' })
          : issueAt(path, `invalid ${issue.format}`),
      ];
    case 'invalid_union':
      return convertUnion(issue, path, context);
    case 'custom': {
      const hint = (issue.params as { hint?: string } | undefined)?.hint;
      return [issueAt(path, issue.message, { hint })];
    }
    default:
      return [issueAt(path, issue.message)];
  }
}

/** A union that failed: report the branch that got furthest, or "expected X or Y" when none did. */
function convertUnion(issue: z.core.$ZodIssueInvalidUnion, path: PathSegment[], context: ZodIssueContext): SpecIssue[] {
  const deeper = issue.errors.find((branch) => branch.some((i) => i.code !== 'invalid_type' || i.path.length > 0));
  if (deeper) return deeper.flatMap((i) => convert(i, path, context));
  const expected = issue.errors.flatMap((branch) =>
    branch.flatMap((i) => (i.code === 'invalid_type' ? [describeExpected(i.expected)] : [])),
  );
  const value = valueAt(context.root, path);
  if (value === undefined) return [context.issueAt(path, MISSING)];
  return [context.issueAt(path, `expected ${[...new Set(expected)].join(' or ')}, got ${describeValue(value)}`)];
}

function tooSmall(issue: z.core.$ZodIssueTooSmall): string {
  const min = Number(issue.minimum);
  if (issue.origin === 'string') return min <= 1 ? 'must not be empty' : `must be at least ${min} characters`;
  if (issue.origin === 'array') return `must have at least ${min} item${min === 1 ? '' : 's'}`;
  return issue.inclusive === false ? `must be greater than ${min}` : `must be at least ${min}`;
}

function tooBig(issue: z.core.$ZodIssueTooBig): string {
  const max = Number(issue.maximum);
  if (issue.origin === 'string') return `must be at most ${max} characters`;
  if (issue.origin === 'array') return `must have at most ${max} items`;
  return issue.inclusive === false ? `must be less than ${max}` : `must be at most ${max}`;
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'int':
      return 'an integer';
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'a mapping';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    default:
      return expected;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null (empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

/** What zod keeps in `_zod.def`, as far as walking to an object's keys needs. */
interface DefView {
  type: string;
  shape?: Record<string, Schema>;
  element?: Schema;
  valueType?: Schema;
  innerType?: Schema;
  options?: Schema[];
  in?: Schema;
}

function defOf(schema: Schema): DefView {
  return schema._zod.def as unknown as DefView;
}

/** The schemas a value can match once optional/default/union/pipe wrappers are removed. */
function unwrap(schema: Schema): Schema[] {
  const def = defOf(schema);
  if (def.innerType) return unwrap(def.innerType);
  if (def.type === 'pipe' && def.in) return unwrap(def.in);
  if (def.type === 'union' && def.options) return def.options.flatMap(unwrap);
  return [schema];
}

/** The keys the strict object at `path` allows, or undefined when the path is not an object. */
export function objectKeysAt(schema: Schema, path: readonly PathSegment[]): string[] | undefined {
  let current = unwrap(schema);
  for (const segment of path) {
    current = current.flatMap((s) => {
      const def = defOf(s);
      if (def.type === 'object' && def.shape && typeof segment === 'string' && def.shape[segment]) return unwrap(def.shape[segment]);
      if (def.type === 'array' && def.element && typeof segment === 'number') return unwrap(def.element);
      if (def.type === 'record' && def.valueType) return unwrap(def.valueType);
      return [];
    });
  }
  const object = current.find((s) => defOf(s).type === 'object');
  return object ? Object.keys(defOf(object).shape ?? {}) : undefined;
}
