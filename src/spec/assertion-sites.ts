/**
 * Every place an assertion is written, with the cases it applies to and how to point at one of its
 * fields: `defaults.assert[i]` (every case; a line in the spec) and `cases[k].assert[j]` (its own
 * case; a line in the spec, or in the cases file the case came from). Sites are cheap (a cases file
 * may hold 100,000 of them); where a site is is worked out only for an issue.
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
  /** Its index in `defaults.assert` or in its case's `assert`. */
  index: number;
}

/** An issue for a field of a case (path relative to the case), at its line; see dataset/load-cases.ts. */
export type CaseIssueAt = (testCase: TestCase) => IssueAt | undefined;

export function assertionSites(spec: Spec): AssertionSite[] {
  const sites: AssertionSite[] = spec.defaultAssert.map((assertion, index) => ({ assertion, cases: spec.cases, index }));
  for (const testCase of spec.cases) {
    const own = [testCase];
    for (let index = 0; index < testCase.assert.length; index++) sites.push({ assertion: testCase.assert[index]!, cases: own, owner: testCase, index });
  }
  return sites;
}

/** An issue for a field of the site's assertion (`['value']`). */
export function siteIssueAt(site: AssertionSite, issueAt: IssueAt, caseIssueAt?: CaseIssueAt): IssueAt {
  if (!site.owner) return (path, message, options) => issueAt(['defaults', 'assert', site.index, ...path], message, options);
  const atCase = caseIssueAt?.(site.owner) ?? originIssueAt(site.owner);
  return (path, message, options) => atCase(['assert', site.index, ...path], message, options);
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
