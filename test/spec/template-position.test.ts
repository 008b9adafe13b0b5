/**
 * A template's line and column (as Nunjucks reports them) in the terms of the prompt file that holds
 * it: a text file, or a message's `content` in a chat prompt file (YAML block or quoted scalar, JSON).
 */
import { describe, expect, it } from 'vitest';
import { positionInFile } from '../../src/spec/template-position.js';

describe('positionInFile', () => {
  it('a text prompt: the template is the file, after any leading blank lines', () => {
    const file = '\n\nClassify.\n\nTicket: {{ input | shout }}\n';
    const template = { text: 'Classify.\n\nTicket: {{ input | shout }}' };
    expect(positionInFile(file, template, { line: 3, column: 20 })).toEqual({ line: 5, column: 20 });
    expect(positionInFile(file, template, { line: 1, column: 3 })).toEqual({ line: 3, column: 3 });
    expect(positionInFile(file, template)).toEqual({ line: 3, column: 1 }); // no position: where it starts
  });

  it('a YAML literal block: lines after the header, at the block indentation', () => {
    const file = ['- role: system', '  content: |', '    You classify tickets.', '    Answer with one {{ label | nope }}.', '- role: user', '  content: "{{ input }}"', ''].join('\n');
    const system = { text: 'You classify tickets.\nAnswer with one {{ label | nope }}.\n', index: 0 };
    expect(positionInFile(file, system, { line: 2, column: 28 })).toEqual({ line: 4, column: 32 });
    expect(positionInFile(file, system)).toEqual({ line: 3, column: 5 });
  });

  it('a quoted YAML scalar and a JSON string: the column after the opening quote', () => {
    const yaml = ['- role: user', '  content: "Ticket: {{ input | shout }}"', ''].join('\n');
    expect(positionInFile(yaml, { text: 'Ticket: {{ input | shout }}', index: 0 }, { line: 1, column: 20 })).toEqual({ line: 2, column: 32 });
    const json = '[{"role": "system", "content": "Be brief."},\n {"role": "user", "content": "Q: {{ input | zz }}"}]\n';
    expect(positionInFile(json, { text: 'Q: {{ input | zz }}', index: 1 }, { line: 1, column: 15 })).toEqual({ line: 2, column: 45 });
  });

  it('content it cannot find: the start of the file', () => {
    expect(positionInFile('- role: user\n', { text: 'x', index: 3 }, { line: 2, column: 4 })).toEqual({ line: 2, column: 4 });
    expect(positionInFile('other text\n', { text: 'not in the file' })).toEqual({ line: 1, column: 1 });
  });
});
