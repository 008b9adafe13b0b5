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

  it('changes only the prompt\'s lines: the rest of the spec stays byte for byte (comment spacing, flow collections)', () => {
    const spec = 'name: x   # the name\ntarget: { provider: sim, model: sim-classifier }   # sim\nprompt: |\n  Old prompt\n# after\ndefaults:\n  assert: [{ type: equals, value: "{{expected}}" }]\n';
    const out = rewriteInlinePrompt(spec, 'New prompt\nwith {{input}}\n');
    expect(out).toBe(spec.replace('  Old prompt\n', '  New prompt\n  with {{input}}\n'));
  });

  it('refuses a spec without an inline prompt', () => {
    expect(() => rewriteInlinePrompt('name: x\n', 'a')).toThrow(/no inline `prompt:`/);
  });
});

describe('inline chat prompt', () => {
  const CHAT_SPEC = `name: triage # kept
prompt: # the conversation
  - role: system
    content: Be brief.
  - role: user
    content: "{{input}}"
target: { provider: sim, model: sim-classifier }
`;

  it('reads the list as its YAML text, and writes a version back as a list, everything else kept', () => {
    const text = readInlinePrompt(CHAT_SPEC);
    expect(text).toBe('- role: system\n  content: Be brief.\n- role: user\n  content: "{{input}}"\n');
    const version = '- role: system\n  content: |-\n    Be brief.\n    One word.\n- role: user\n  content: "{{input}}"\n';
    const out = rewriteInlinePrompt(CHAT_SPEC, version);
    expect(readInlinePrompt(out)).toBe(version);
    expect(out).toContain('name: triage # kept');
    expect(out).toContain('target: { provider: sim, model: sim-classifier }');
    expect(out).toContain('content: |-\n');
    expect(parse(out).prompt).toEqual([
      { role: 'system', content: 'Be brief.\nOne word.' },
      { role: 'user', content: '{{input}}' },
    ]);
  });

  it('refuses to write a text that is not a message list into a chat prompt', () => {
    expect(() => rewriteInlinePrompt(CHAT_SPEC, 'plain text {{input}}')).toThrow(/not a chat prompt/);
  });
});
