/**
 * One raw row -> TestCase. `input` is shorthand for `vars: { <input_var>: input }`. In a data file,
 * keys other than the case keys become vars (provenance columns such as `source_index`), unless the
 * key looks like a typo of a case key (`expectd`), which is an error.
 */
import type { SpecIssue } from '../errors.js';
import type { AssertionSpec } from '../assertions/types.js';
import { likelyTypoOf } from '../spec/did-you-mean.js';
import { formatPath } from '../spec/issues.js';
import { caseSchema, CASE_KEYS, type RawCase } from '../spec/schema.js';
import type { TestCase } from '../spec/types.js';
import { zodIssuesToSpecIssues } from '../spec/zod-issues.js';
import { caseId } from './case-id.js';
import type { RawRow } from './raw-row.js';

export interface NormalizedCase {
  testCase?: TestCase;
  /** True when the data gave the id (duplicates are errors); false when it was generated. */
  idGiven: boolean;
  issues: SpecIssue[];
}

export function normalizeCase(row: RawRow, inputVar: string): NormalizedCase {
  const fail = (issues: SpecIssue[]): NormalizedCase => ({ idGiven: false, issues });
  if (row.value === null || typeof row.value !== 'object' || Array.isArray(row.value)) {
    return fail([row.issueAt([], 'a case must be a mapping with `vars` or `input`', { hint: 'e.g. { input: "...", expected: "..." }' })]);
  }
  const { own, extras, issues } = separateExtras(row);
  const parsed = caseSchema.safeParse(own);
  if (!parsed.success) issues.push(...zodIssuesToSpecIssues(parsed.error.issues, { schema: caseSchema, root: own, issueAt: row.issueAt }));
  if (issues.length > 0 || !parsed.success) return fail(issues);

  const vars = buildVars(parsed.data, extras, inputVar, row, issues);
  if (issues.length > 0) return fail(issues);
  const hasVars = parsed.data.vars !== undefined || parsed.data.input !== undefined || Object.keys(extras).length > 0;
  if (!hasVars) {
    return fail([row.issueAt([], 'a case needs `vars` or `input`', { hint: `\`input: ...\` fills the "${inputVar}" variable` })]);
  }
  const { id, expected, assert, split, threshold, metadata } = parsed.data;
  const testCase: TestCase = {
    id: id === undefined ? caseId(vars, expected) : String(id),
    vars,
    ...(expected === undefined ? {} : { expected }),
    assert: (assert ?? []).map(stripUndefined),
    ...(split === undefined ? {} : { split }),
    ...(threshold === undefined ? {} : { threshold }),
    ...(metadata === undefined ? {} : { metadata }),
    origin: { file: row.file, path: formatPath(row.path), ...row.position },
  };
  return { testCase, idGiven: id !== undefined, issues: [] };
}

/** Case keys stay; in a data file other keys become vars, except likely typos of case keys. */
function separateExtras(row: RawRow): { own: Record<string, unknown>; extras: Record<string, unknown>; issues: SpecIssue[] } {
  const value = row.value as Record<string, unknown>;
  if (!row.fromDataFile) return { own: value, extras: {}, issues: [] };
  const own: Record<string, unknown> = {};
  const extras: Record<string, unknown> = {};
  const issues: SpecIssue[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (CASE_KEYS.includes(key)) {
      own[key] = v;
      continue;
    }
    const typo = likelyTypoOf(key, CASE_KEYS);
    if (typo !== undefined) {
      issues.push(
        row.issueAt([key], `unknown key "${key}" (did you mean "${typo}"?)`, {
          key: true,
          hint: 'other keys become vars, but this one looks like a misspelled case key; rename it',
        }),
      );
    } else extras[key] = v;
  }
  return { own, extras, issues };
}

function buildVars(data: RawCase, extras: Record<string, unknown>, inputVar: string, row: RawRow, issues: SpecIssue[]): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  if (data.input !== undefined) {
    if (data.vars && inputVar in data.vars) {
      issues.push(row.issueAt(['input'], `both \`input\` and \`vars.${inputVar}\` are set`, { key: true, hint: 'keep one of them' }));
    }
    vars[inputVar] = data.input;
  }
  Object.assign(vars, data.vars);
  for (const [key, v] of Object.entries(extras)) {
    if (key in vars) {
      issues.push(row.issueAt([key], `"${key}" is set both as a column and in vars (or by input)`, { key: true, hint: 'keep one of them' }));
    } else vars[key] = v;
  }
  return vars;
}

function stripUndefined(assertion: NonNullable<RawCase['assert']>[number]): AssertionSpec {
  return Object.fromEntries(Object.entries(assertion).filter(([, v]) => v !== undefined)) as unknown as AssertionSpec;
}
