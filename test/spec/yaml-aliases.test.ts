import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/session/load-spec.js';
import { findAliasProblem, MAX_ALIAS_EXPANSION } from '../../src/spec/yaml-aliases.js';
import { lines, specErrorOf, writeFiles } from './helpers.js';

const HEAD = ['name: t', 'description: d', 'prompt: "Answer: {{input}}"', 'target: { provider: sim, model: sim-classifier }'];

describe('YAML aliases', () => {
  it('a spec sharing one assertion block across 2,000 cases loads (the yaml package alone refuses past 1,000 uses)', async () => {
    const cases = Array.from({ length: 2000 }, (_, i) => `  - { input: "q${i}", expected: a, assert: *checks }`);
    const dir = writeFiles({ 'task.yaml': lines(...HEAD, 'x-shared: &checks [{ type: contains, value: a }]', 'cases:', ...cases) });
    const error = await specErrorOf(loadSpec(join(dir, 'task.yaml')));
    // Loaded far enough to be checked field by field: the one problem is the unknown helper key.
    expect(error.issues.map((i) => i.message)).toEqual([expect.stringContaining('unknown key "x-shared"')]);
  });

  it('an alias bomb 30 levels deep (10^30 values) is measured without expanding it', () => {
    const rows = ['l0: &l0 [a, a, a, a, a, a, a, a, a, a]'];
    for (let n = 1; n <= 30; n++) rows.push(`l${n}: &l${n} [${Array(10).fill(`*l${n - 1}`).join(', ')}]`);
    const problem = findAliasProblem(parseDocument(rows.join('\n')));
    expect(problem?.message).toMatch(/alias \*l29 alone repeats 1\.1\d*e\+30|alias \*l29 alone repeats [\d,]+/);
    expect(problem?.offset).toBe(rows.slice(0, 30).join('\n').length + 1 + 'l30: &l30 ['.length);
  });

  it(`up to ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} added values is fine`, () => {
    const rows = ['base: &b [1, 2, 3, 4, 5, 6, 7, 8, 9]', `uses: [${Array(1000).fill('*b').join(', ')}]`];
    expect(findAliasProblem(parseDocument(rows.join('\n')))).toBeUndefined();
  });
});
