/** JUnit XML for CI dashboards: one testsuite per split, one testcase per case. */
import { create } from 'xmlbuilder2';
import type { EvalResult } from '../../runner/types.js';

export function junitXml(task: string, result: EvalResult): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }, { invalidCharReplacement: '\uFFFD' }).ele('testsuites', {
    name: `promptopt ${task}`,
    tests: result.cases.length,
    failures: result.cases.filter((c) => !c.pass && !c.providerError).length,
    errors: result.cases.filter((c) => c.providerError).length,
    time: (result.wallTimeMs / 1000).toFixed(3),
  });
  const splits = [...new Set(result.cases.map((c) => c.split))];
  for (const split of splits) {
    const cases = result.cases.filter((c) => c.split === split);
    const suite = root.ele('testsuite', {
      name: `${task}.${split}`,
      tests: cases.length,
      failures: cases.filter((c) => !c.pass && !c.providerError).length,
      errors: cases.filter((c) => c.providerError).length,
    });
    for (const c of cases) {
      const testcase = suite.ele('testcase', { classname: `${task}.${split}`, name: c.caseId, time: (c.latencyMs / 1000).toFixed(3) });
      if (c.providerError) {
        testcase.ele('error', { message: c.providerError.message, type: c.providerError.code }).txt(c.providerError.message);
      } else if (!c.pass) {
        const message = c.failures.map((f) => `${f.category}: ${f.reason}`).join('; ');
        testcase.ele('failure', { message, type: c.failures[0]?.category ?? 'failure' }).txt(`${message}\n\noutput:\n${c.output}`);
      }
    }
  }
  return root.end({ prettyPrint: true });
}
