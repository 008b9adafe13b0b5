import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readInlinePrompt, rewriteInlinePrompt } from '../../src/store/inline-prompt.js';

const SPEC = `# Ticket triage
name: triage   # shown in reports
description: Classify a support message.
# the prompt below is optimized
prompt: "Classify: {{input}}"  # was hand-tuned
target: { provider: sim, model: sim-classifier }

cases:
  - input: hello # greeting
    expected: other
`;

describe('inline prompt', () => {
  it('reads the prompt scalar', () => {
    expect(readInlinePrompt(SPEC)).toBe('Classify: {{input}}');
  });

  it('writes a multi-line prompt as a literal block and keeps every comment', () => {
    const text = 'Classify the message.\n  - indented: "quoted" # not a comment\n\n{{input}}\n';
    const out = rewriteInlinePrompt(SPEC, text);
    expect(out).toContain('prompt: | # was hand-tuned\n');
    for (const comment of ['# Ticket triage', '# shown in reports', '# the prompt below is optimized', '# greeting']) expect(out).toContain(comment);
    expect(out).toContain('target: { provider: sim, model: sim-classifier }\n\ncases:');
    expect(parse(out)).toMatchObject({ name: 'triage', prompt: text, cases: [{ input: 'hello', expected: 'other' }] });
  });

  it('round-trips texts without a trailing newline, with several, and with leading spaces', () => {
    for (const text of ['one\ntwo', 'one\ntwo\n\n\n', '  indented first line\nsecond\n', 'single line']) {
      expect(readInlinePrompt(rewriteInlinePrompt(SPEC, text))).toBe(text);
    }
  });

  it('refuses a spec without an inline prompt', () => {
    expect(() => rewriteInlinePrompt('name: x\n', 'a')).toThrow(/no inline `prompt:`/);
  });
});
