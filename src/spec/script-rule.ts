/**
 * `javascript` assertion scripts (`file://checks.js:fn`), loaded before the first call: a file that
 * throws while loading, does not parse, or lacks the function it is asked for is refused with the
 * assertion's file, line and field (exit 2), not found out in every case of a paid run. Loading runs
 * the file's top-level code, in a worker thread, as the run would for its first case; the function is
 * not called. Files outside the project are never loaded (the trust rule refuses them first).
 */
import { scriptProblem } from '../assertions/check-script.js';
import type { SpecIssue } from '../errors.js';
import { withDisplayPath, type ScriptCheck } from './assertion-rules.js';

export async function checkScripts(scripts: readonly ScriptCheck[]): Promise<SpecIssue[]> {
  const problems = await Promise.all(scripts.map((s) => scriptProblem(s.ref, s.timeoutMs)));
  const issues: SpecIssue[] = [];
  scripts.forEach((s, i) => {
    const problem = problems[i];
    if (problem === undefined) return;
    const others = s.uses > 1 ? ` (used by ${s.uses - 1} other assertion${s.uses > 2 ? 's' : ''} too)` : '';
    const missingExport = /has no (exported|default export) function/.test(problem);
    const hint = missingExport
      ? 'export the function from the file, or name one it exports: file://checks.js:functionName'
      : 'the file runs when it loads: it must load on its own (see the error, and the files it imports)';
    issues.push(s.at(`javascript: ${withDisplayPath(problem, s.ref.file)}${others}`, hint));
  });
  return issues;
}
