/** JUnit XML for CI dashboards: one testsuite per split, one testcase per case. */
import type { EvalResult } from '../../runner/types.js';

/**
 * xmlbuilder2 escapes `&` only when it does not already start an entity reference, so a model
 * output holding `&nbsp;` would reach the file as an undefined entity (invalid XML) and `&amp;` would
 * read back as `&`. Escaping every `&` first leaves it nothing to guess.
 */
const text = (value: string) => value.replace(/&/g, '&amp;');

export async function junitXml(task: string, result: EvalResult): Promise<string> {
  const { create } = await import('xmlbuilder2'); // only runs with --junit: not loaded otherwise
  // One options object: a second argument to create() is document CONTENT (it became a root element).
  const root = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' }).ele('testsuites', {
    name: text(`promptopt ${task}`),
    tests: result.cases.length,
    failures: result.cases.filter((c) => !c.pass && !c.providerError).length,
    errors: result.cases.filter((c) => c.providerError).length,
    time: (result.wallTimeMs / 1000).toFixed(3),
  });
  const splits = [...new Set(result.cases.map((c) => c.split))];
  for (const split of splits) {
    const cases = result.cases.filter((c) => c.split === split);
    const suite = root.ele('testsuite', {
      name: text(`${task}.${split}`),
      tests: cases.length,
      failures: cases.filter((c) => !c.pass && !c.providerError).length,
      errors: cases.filter((c) => c.providerError).length,
    });
    for (const c of cases) {
      const testcase = suite.ele('testcase', { classname: text(`${task}.${split}`), name: text(c.caseId), time: (c.latencyMs / 1000).toFixed(3) });
      if (c.providerError) {
        const message = text(c.providerError.message);
        testcase.ele('error', { message, type: c.providerError.code }).txt(message);
      } else if (!c.pass) {
        const message = c.failures.map((f) => `${f.category}: ${f.reason}`).join('; ');
        testcase.ele('failure', { message: text(message), type: c.failures[0]?.category ?? 'failure' }).txt(text(`${message}\n\noutput:\n${c.output}`));
      }
    }
  }
  return root.end({ prettyPrint: true });
}
