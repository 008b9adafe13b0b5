import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/session/load-spec.js';
import { shownVarNames } from '../../src/optimizer/shown-vars.js';
import { issueAt, lines, specErrorOf, writeFiles } from './helpers.js';

const HEAD = ['name: t', 'description: d', 'prompt: "Q: {{question}}"', 'target:', '  provider: sim', '  model: sim-classifier'];
const CASES = ['cases:', '  - vars: { question: q, solution: s, source_index: 3, meta: { rationale: r, tag: t } }', '    expected: a', 'defaults: { assert: [{ type: equals, value: "{{expected}}" }] }'];

function specFile(...yaml: string[]): string {
  return join(writeFiles({ 'task.yaml': lines(...yaml) }), 'task.yaml');
}

describe('optimizer.show_vars / hide_vars', () => {
  it('the optimizer sees the variables the templates use, plus show_vars, minus hide_vars', async () => {
    const plain = await loadSpec(specFile(...HEAD, ...CASES));
    expect(shownVarNames(plain)).toEqual(['question']);
    const both = await loadSpec(
      specFile(
        'name: t',
        'description: d',
        'prompt: "Q: {{question}} ({{meta.rationale}})"',
        'system: "Use {{meta.tag}}"',
        'target:',
        '  provider: sim',
        '  model: sim-classifier',
        'optimizer:',
        '  show_vars: [solution]',
        '  hide_vars: [meta]',
        ...CASES,
      ),
    );
    expect(shownVarNames(both)).toEqual(['question', 'solution']);
  });

  it('a name no case has is an error at its line, with did-you-mean', async () => {
    const file = specFile(...HEAD, 'optimizer:', '  show_vars: [solutoin]', '  hide_vars: [expected]', ...CASES);
    const error = await specErrorOf(loadSpec(file));
    expect(issueAt(error, 'optimizer.show_vars[0]')).toMatchObject({
      file,
      line: 8,
      message: 'no case has a variable "solutoin" (did you mean "solution"?)',
    });
    expect(issueAt(error, 'optimizer.hide_vars[0]').message).toBe('"expected" is the expected value, not a case variable');
  });

  it('a name in both lists is an error', async () => {
    const error = await specErrorOf(loadSpec(specFile(...HEAD, 'optimizer:', '  show_vars: [solution]', '  hide_vars: [solution]', ...CASES)));
    expect(issueAt(error, 'optimizer.hide_vars[0]').message).toBe('"solution" is in both show_vars and hide_vars');
  });
});
