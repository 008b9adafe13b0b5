import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ChatPromptError,
  chatListProblems,
  editableContents,
  editableMessages,
  formatChatPrompt,
  parseChatPrompt,
  promptVersionExt,
  rewriteChatPrompt,
  type ChatPromptMessage,
} from '../../src/template/chat-prompt.js';
import { renderRequest } from '../../src/runner/render-request.js';
import { outputConfig } from '../../src/providers/anthropic/index.js';

const m = (role: ChatPromptMessage['role'], content: string, optimize?: boolean): ChatPromptMessage => ({ role, content, ...(optimize === undefined ? {} : { optimize }) });

describe('editableMessages', () => {
  it('the marked messages; else the system message; else the last user message', () => {
    expect(editableMessages([m('system', 's'), m('user', 'u', true), m('assistant', 'a'), m('user', 'v', true)])).toEqual([1, 3]);
    expect(editableMessages([m('system', 's'), m('user', 'u')])).toEqual([0]);
    expect(editableMessages([m('user', 'u'), m('assistant', 'a'), m('user', 'v')])).toEqual([2]);
  });
});

describe('chatListProblems', () => {
  it('a system message after the first, and a list with no turn but the system', () => {
    expect(chatListProblems([m('user', 'u'), m('system', 's')]).map((p) => p.path)).toEqual([[1, 'role']]);
    expect(chatListProblems([m('system', 's')])[0]!.message).toMatch(/needs a user message/);
    expect(chatListProblems([m('system', 's'), m('user', 'u')])).toEqual([]);
  });
});

describe('parseChatPrompt', () => {
  it('reads YAML and JSON lists; refuses what is not a message list', () => {
    expect(parseChatPrompt('- role: user\n  content: "{{input}}"\n', 'yaml')).toEqual([m('user', '{{input}}')]);
    expect(parseChatPrompt('[{"role": "system", "content": "s"}, {"role": "user", "content": "u", "optimize": true}]', 'json')).toEqual([m('system', 's'), m('user', 'u', true)]);
    expect(() => parseChatPrompt('Route this: {{input}}', 'yaml')).toThrow(ChatPromptError);
    expect(() => parseChatPrompt('- role: user\n  content: u\n  name: x\n', 'yaml')).toThrow(/unknown key "name"/);
    expect(() => parseChatPrompt('- role: tool\n  content: u\n', 'yaml')).toThrow(/role "tool"/);
  });
});

describe('rewriteChatPrompt', () => {
  const YAML = ['# routing (kept)', '- role: system', '  content: Be brief. # inline comment', '- role: user', "  content: 'Ticket: {{input}}'", ''].join('\n');

  it('YAML: only the contents change; comments, quoting and the other messages stay', () => {
    const out = rewriteChatPrompt(YAML, 'yaml', new Map([[0, 'Be brief.\nReply with one word.']]));
    expect(out).toBe(['# routing (kept)', '- role: system', '  content: |- # inline comment', '    Be brief.', '    Reply with one word.', '- role: user', "  content: 'Ticket: {{input}}'", ''].join('\n'));
    const again = rewriteChatPrompt(out, 'yaml', new Map([[0, 'Short: "yes" # not a comment']]));
    expect(parse(again)[0].content).toBe('Short: "yes" # not a comment');
  });

  it('JSON: re-serialized with the file\'s indentation, other fields kept', () => {
    const json = '[\n    {"role": "system", "content": "s", "optimize": true},\n    {"role": "user", "content": "{{q}}"}\n]\n';
    const out = rewriteChatPrompt(json, 'json', new Map([[0, 'new\nsystem']]));
    expect(out).toBe('[\n    {\n        "role": "system",\n        "content": "new\\nsystem",\n        "optimize": true\n    },\n    {\n        "role": "user",\n        "content": "{{q}}"\n    }\n]\n');
  });

  it('a text in the canonical form (an inline list) stays canonical, so promote reads it back the same', () => {
    const text = formatChatPrompt([m('system', 'plain'), m('user', '{{input}}')], 'yaml');
    const out = rewriteChatPrompt(text, 'yaml', new Map([[0, 'needs: "quotes" # here']]));
    expect(out).toBe(formatChatPrompt([m('system', 'needs: "quotes" # here'), m('user', '{{input}}')], 'yaml'));
  });

  it('a message that does not exist is refused', () => {
    expect(() => rewriteChatPrompt(YAML, 'yaml', new Map([[5, 'x']]))).toThrow(ChatPromptError);
  });
});

describe('formatChatPrompt and version files', () => {
  it('inline lists become YAML with literal blocks; versions of an inline chat prompt are .yaml', () => {
    const text = formatChatPrompt([m('system', 'line one\nline two', true), m('user', '{{input}}')], 'yaml');
    expect(text).toBe('- role: system\n  content: |-\n    line one\n    line two\n  optimize: true\n- role: user\n  content: "{{input}}"\n');
    expect(editableContents(text, 'yaml')).toEqual([{ index: 0, role: 'system', content: 'line one\nline two' }]);
    expect(promptVersionExt({ form: { kind: 'chat', syntax: 'yaml' } })).toBe('.yaml');
    expect(promptVersionExt({ form: { kind: 'text' } })).toBe('.txt');
    expect(promptVersionExt({ file: '/x/prompt.json', form: { kind: 'chat', syntax: 'json' } })).toBe('.json');
  });
});

describe('renderRequest of a chat prompt', () => {
  it('system first as the system prompt, every other turn a message of its role, each rendered; response_format carried', () => {
    const text = formatChatPrompt([m('system', 'For {{company}}'), m('user', 'Hi'), m('assistant', 'Hello'), m('user', '{{ q | upper }}')], 'yaml');
    const request = renderRequest(
      { promptRole: 'user', maxTokens: 50, form: { kind: 'chat', syntax: 'yaml' }, engine: 'nunjucks', responseFormat: { type: 'json_object' } },
      text,
      { company: 'Acme', q: 'why' },
    );
    expect(request).toEqual({
      system: 'For Acme',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
        { role: 'user', content: 'WHY' },
      ],
      maxTokens: 50,
      responseFormat: { type: 'json_object' },
    });
  });

  it('a Nunjucks value undefined at run time is a PROMPT_RENDER_FAILED error (exit 2), not a crash', () => {
    expect(() => renderRequest({ promptRole: 'user', maxTokens: 5, engine: 'nunjucks' }, '{{ nope }}', {})).toThrow(expect.objectContaining({ code: 'PROMPT_RENDER_FAILED', exitCode: 2 }));
  });
});

describe('Anthropic output_config', () => {
  it('a JSON schema becomes output_config.format; text asks nothing; json_object is refused', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(outputConfig({ type: 'json_schema', json_schema: { name: 'x', schema, strict: true } })).toEqual({ output_config: { format: { type: 'json_schema', schema } } });
    expect(outputConfig({ type: 'text' })).toEqual({});
    expect(outputConfig(undefined)).toEqual({});
    expect(() => outputConfig({ type: 'json_object' })).toThrow(expect.objectContaining({ code: 'RESPONSE_FORMAT_UNSUPPORTED' }));
  });
});
