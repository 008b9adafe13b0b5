import { describe, expect, it } from 'vitest';
import { addCasesFile } from '../../src/production/spec-cases-list.js';

describe('addCasesFile: only the cases node changes, comments and the rest stay byte for byte', () => {
  it('turns one file into a flow list, keeping the comment after it', () => {
    const text = '# task\nname: x   # n\nprompt: "a\\n\\nb {{input}}"\ncases: cases.csv   # hand-written\nthreshold: 1\n';
    expect(addCasesFile(text, 'task.imported.jsonl')).toBe('# task\nname: x   # n\nprompt: "a\\n\\nb {{input}}"\ncases: [cases.csv, task.imported.jsonl]   # hand-written\nthreshold: 1\n');
  });

  it('appends to a flow list and to a block list of inline cases', () => {
    expect(addCasesFile('cases: [a.csv, "b.jsonl"]  # x\n', 'c.jsonl')).toBe('cases: [a.csv, "b.jsonl", c.jsonl]  # x\n');
    const block = 'cases:\n  # inline\n  - input: a\n    expected: |\n      multi\n      line\n\n# next\nname: y\n';
    expect(addCasesFile(block, 'task.imported.jsonl')).toBe('cases:\n  # inline\n  - input: a\n    expected: |\n      multi\n      line\n  - task.imported.jsonl\n\n# next\nname: y\n');
  });

  it('refuses a spec without cases', () => {
    expect(() => addCasesFile('name: x\n', 'a.jsonl')).toThrow(/no `cases:`/);
  });
});
