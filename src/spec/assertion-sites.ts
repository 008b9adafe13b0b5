/**
 * Every place an assertion is written, with the cases it applies to and how to point at one of its
 * fields: `defaults.assert[i]` (every case; a line in the spec) and `cases[k].assert[j]` (its own
 * case; a line in the spec, or in the cases file the case came from).
 */
import type { AssertionSpec } from '../assertions/types.js';
import type { SpecIssue } from '../errors.js';
import { displayPath, formatPath, type IssueAt, type PathSegment } from './issues.js';
import type { Spec, TestCase } from './types.js';

export interface AssertionSite {
  assertion: AssertionSpec;
  /** The cases it applies to: all of them for a default, its own case otherwise. */
  cases: readonly TestCase[];
  /** The case it is written in; undefined for `defaults.assert`. */
  owner?: TestCase;
  /** An issue for a field of the assertion (`['value']`). */
  at: IssueAt;
}

/** An issue for a field of a case (path relative to the case), at its line; see dataset/load-cases.ts. */
export type CaseIssueAt = (testCase: TestCase) => IssueAt | undefined;

export function assertionSites(spec: Spec, issueAt: IssueAt, caseIssueAt?: CaseIssueAt): AssertionSite[] {
  const sites: AssertionSite[] = spec.defaultAssert.map((assertion, i) => ({
    assertion,
    cases: spec.cases,
    at: (path, message, options) => issueAt(['defaults', 'assert', i, ...path], message, options),
  }));
  for (const testCase of spec.cases) {
    if (testCase.assert.length === 0) continue;
    const atCase = caseIssueAt?.(testCase) ?? originIssueAt(testCase);
    testCase.assert.forEach((assertion, j) => {
      sites.push({ assertion, cases: [testCase], owner: testCase, at: (path, message, options) => atCase(['assert', j, ...path], message, options) });
    });
  }
  return sites;
}

/** Without a locator: the case's own line, and the field's path under the case's. */
export function originIssueAt(testCase: TestCase): IssueAt {
  const { origin } = testCase;
  return (path: readonly PathSegment[], message, options = {}): SpecIssue => ({
    file: displayPath(origin.file),
    path: path.length > 0 ? `${origin.path}.${formatPath(path)}` : origin.path,
    ...(origin.line !== undefined ? { line: origin.line, column: origin.column ?? 1 } : {}),
    message,
    ...(options.hint !== undefined ? { hint: options.hint } : {}),
  });
}
