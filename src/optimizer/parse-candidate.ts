/**
 * Reads a candidate out of the optimizer model's reply. The requested format is
 * `<hypothesis>…</hypothesis><prompt>…</prompt>`; a JSON object `{ "hypothesis", "prompt" }` (bare or
 * in a code fence) is accepted too. Anything else is `undefined`: the caller retries or skips it.
 *
 * For a chat prompt the reply holds the text of the message(s) the optimizer may rewrite (several as
 * `<message index="N">` blocks, every one of them); the candidate is the starting prompt with those
 * contents replaced, so roles, order, the fixed messages and the file's formatting are kept.
 */
import { ChatPromptError, editableContents, rewriteChatPrompt } from '../template/chat-prompt.js';
import { MESSAGE_TAG, type PromptLayout } from './meta-prompt.js';

export interface ParsedCandidate {
  prompt: string;
  hypothesis: string;
}

export function parseCandidate(reply: string, layout?: PromptLayout): ParsedCandidate | undefined {
  const parsed = fromTags(reply) ?? fromJson(reply);
  if (!parsed || !layout || layout.form.kind !== 'chat') return parsed;
  const prompt = intoStructure(parsed.prompt, layout.base, layout.form.syntax);
  return prompt === undefined ? undefined : { ...parsed, prompt };
}

/** The optimizer's text put into the base chat prompt's editable message(s); undefined when it does not fit. */
function intoStructure(text: string, base: string, syntax: 'yaml' | 'json'): string | undefined {
  const editable = editableContents(base, syntax);
  const contents = new Map<number, string>();
  if (editable.length === 1) {
    contents.set(editable[0]!.index, text);
  } else {
    const pattern = new RegExp(`<${MESSAGE_TAG}\\b[^>]*\\bindex="(\\d+)"[^>]*>\\n?([\\s\\S]*?)\\n?</${MESSAGE_TAG}>`, 'g');
    for (const match of text.matchAll(pattern)) contents.set(Number(match[1]) - 1, match[2]!.trim());
    if (editable.some((m) => !contents.has(m.index)) || contents.size !== editable.length) return undefined;
  }
  if ([...contents.values()].some((content) => content.trim() === '')) return undefined;
  try {
    return rewriteChatPrompt(base, syntax, contents);
  } catch (error) {
    if (error instanceof ChatPromptError) return undefined;
    throw error;
  }
}

function fromTags(reply: string): ParsedCandidate | undefined {
  const prompt = lastTag(reply, 'prompt');
  if (prompt === undefined) return undefined;
  const text = stripFence(prompt).trim();
  if (!text) return undefined;
  return { prompt: text, hypothesis: (lastTag(reply, 'hypothesis') ?? '').trim() || '(no hypothesis given)' };
}

/** The content of the last complete `<tag>…</tag>` (models sometimes echo the format first). */
function lastTag(text: string, tag: string): string | undefined {
  const close = text.lastIndexOf(`</${tag}>`);
  if (close < 0) return undefined;
  const open = text.lastIndexOf(`<${tag}>`, close);
  if (open < 0) return undefined;
  return text.slice(open + tag.length + 2, close);
}

function stripFence(text: string): string {
  const match = /^\s*```[\w-]*\n([\s\S]*?)\n```\s*$/.exec(text);
  return match ? match[1]! : text;
}

function fromJson(reply: string): ParsedCandidate | undefined {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n```/.exec(reply)?.[1];
  for (const body of [fenced, reply.slice(reply.indexOf('{'), reply.lastIndexOf('}') + 1)]) {
    if (!body) continue;
    try {
      const value = JSON.parse(body) as { prompt?: unknown; hypothesis?: unknown };
      if (typeof value.prompt === 'string' && value.prompt.trim()) {
        return {
          prompt: value.prompt.trim(),
          hypothesis: typeof value.hypothesis === 'string' && value.hypothesis.trim() ? value.hypothesis.trim() : '(no hypothesis given)',
        };
      }
    } catch {
      // not JSON; try the next form
    }
  }
  return undefined;
}
