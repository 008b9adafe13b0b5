import { describe, expect, test } from 'vitest';
import { checkCandidateVariables } from '../../src/optimizer/check-candidate-variables.js';
import { parseCandidate } from '../../src/optimizer/parse-candidate.js';

describe('parseCandidate', () => {
  test('reads the tags', () => {
    const reply = '<hypothesis>Say the label only.</hypothesis>\n<prompt>\nClassify: {{input}}\nAnswer with the label only.\n</prompt>';
    expect(parseCandidate(reply)).toEqual({ prompt: 'Classify: {{input}}\nAnswer with the label only.', hypothesis: 'Say the label only.' });
  });

  test('tags with chatter around them; a missing hypothesis gets a placeholder', () => {
    expect(parseCandidate('Sure! Here it is:\n<prompt>Do it: {{x}}</prompt>\nHope that helps.')).toEqual({
      prompt: 'Do it: {{x}}',
      hypothesis: '(no hypothesis given)',
    });
  });

  test('the last complete tag wins (a model that echoes the format first)', () => {
    const reply = [
      'Reply in exactly this format:',
      '<hypothesis>One or two sentences</hypothesis>',
      '<prompt>\nthe complete new prompt template\n</prompt>',
      'My answer:',
      '<hypothesis>Add rules</hypothesis>',
      '<prompt>\nThe real prompt {{input}}\n</prompt>',
    ].join('\n');
    expect(parseCandidate(reply)).toEqual({ prompt: 'The real prompt {{input}}', hypothesis: 'Add rules' });
  });

  test('a code fence inside the prompt tag is removed', () => {
    expect(parseCandidate('<prompt>\n```text\nFenced {{input}}\n```\n</prompt>')?.prompt).toBe('Fenced {{input}}');
  });

  test('bare JSON and fenced JSON', () => {
    expect(parseCandidate('{"hypothesis": "h", "prompt": "P {{input}}"}')).toEqual({ prompt: 'P {{input}}', hypothesis: 'h' });
    const fenced = 'Here you go:\n```json\n{\n  "prompt": "Q {{input}}",\n  "hypothesis": "why"\n}\n```\nDone.';
    expect(parseCandidate(fenced)).toEqual({ prompt: 'Q {{input}}', hypothesis: 'why' });
    expect(parseCandidate('```\n{"prompt": "R"}\n```')).toEqual({ prompt: 'R', hypothesis: '(no hypothesis given)' });
    expect(parseCandidate('text before {"prompt": "S {{a}}", "hypothesis": "  "} text after')).toEqual({
      prompt: 'S {{a}}',
      hypothesis: '(no hypothesis given)',
    });
  });

  test('malformed replies are undefined', () => {
    expect(parseCandidate('')).toBeUndefined();
    expect(parseCandidate('I cannot help with that.')).toBeUndefined();
    expect(parseCandidate('<prompt>never closed')).toBeUndefined();
    expect(parseCandidate('<prompt>   \n  </prompt>')).toBeUndefined();
    expect(parseCandidate('<hypothesis>only a hypothesis</hypothesis>')).toBeUndefined();
    expect(parseCandidate('{"prompt": 42}')).toBeUndefined();
    expect(parseCandidate('{"prompt": ""}')).toBeUndefined();
    expect(parseCandidate('{"prompt": "unterminated')).toBeUndefined();
    expect(parseCandidate('{"hypothesis": "no prompt"}')).toBeUndefined();
  });
});

describe('checkCandidateVariables', () => {
  test('the same variables (any order, spacing or count) pass', () => {
    expect(checkCandidateVariables('A {{input}} B {{lang}}', '{{ lang }} first, then {{input}} and {{input}} again')).toBeUndefined();
    expect(checkCandidateVariables('no variables', 'still none')).toBeUndefined();
  });

  test('a dropped variable is named', () => {
    expect(checkCandidateVariables('A {{input}} B {{lang}}', 'A {{input}}')).toBe('template variables: drops {{lang}}');
  });

  test('an invented variable is named', () => {
    expect(checkCandidateVariables('A {{input}}', 'A {{input}} in {{language}}')).toBe('template variables: invents {{language}}');
  });

  test('both at once', () => {
    expect(checkCandidateVariables('{{input}} {{lang}}', '{{text}} {{lang}}')).toBe('template variables: drops {{input}}; invents {{text}}');
  });
});

describe('chat prompts: the optimizer rewrites message text, the structure is kept', () => {
  const BASE = '# kept\n- role: system\n  content: Be brief.\n- role: user\n  content: "Ticket: {{input}}"\n';
  const layout = { form: { kind: 'chat' as const, syntax: 'yaml' as const }, engine: 'simple' as const, base: BASE };

  test('one editable message: the reply is its new text, put back into the conversation', () => {
    const parsed = parseCandidate('<hypothesis>h</hypothesis><prompt>\nBe brief.\nName one team.\n</prompt>', layout);
    expect(parsed?.prompt).toBe('# kept\n- role: system\n  content: |-\n    Be brief.\n    Name one team.\n- role: user\n  content: "Ticket: {{input}}"\n');
  });

  test('several editable messages: every one as a <message index> block, else no candidate', () => {
    const two = { ...layout, base: '- role: system\n  content: s\n  optimize: true\n- role: user\n  content: "{{input}}"\n  optimize: true\n' };
    const both = '<prompt>\n<message index="1" role="system">\nNew s\n</message>\n<message index="2" role="user">\nQ: {{input}}\n</message>\n</prompt>';
    expect(parseCandidate(both, two)?.prompt).toBe('- role: system\n  content: New s\n  optimize: true\n- role: user\n  content: "Q: {{input}}"\n  optimize: true\n');
    expect(parseCandidate('<prompt>\n<message index="1" role="system">\nNew s\n</message>\n</prompt>', two)).toBeUndefined();
    expect(parseCandidate('<prompt>\njust text\n</prompt>', two)).toBeUndefined();
  });

  test('variables are checked over every message, and Nunjucks candidates must still parse', () => {
    const candidate = parseCandidate('<prompt>Be brief about {{input}}</prompt>', layout)!.prompt;
    expect(checkCandidateVariables(BASE, candidate, layout)).toBeUndefined(); // {{input}} is still used (in the user turn)
    const nunjucks = { form: { kind: 'text' as const }, engine: 'nunjucks' as const, base: '{{ input | upper }}' };
    expect(checkCandidateVariables('{{ input | upper }}', '{% if input %}{{ input | shout }}{% endif %}', nunjucks)).toBe('not a valid Nunjucks template: unknown filter "shout"');
    expect(checkCandidateVariables('{{ input | upper }}', '{% for x in input %}{{ x }}{% endfor %}', nunjucks)).toBeUndefined();
    expect(checkCandidateVariables('{{ input | upper }}', '{{ item.name }}', nunjucks)).toBe('template variables: drops {{input}}; invents {{item.name}}');
  });
});
