/**
 * Reads a candidate out of the optimizer model's reply. The requested format is
 * `<hypothesis>…</hypothesis><prompt>…</prompt>`; a JSON object `{ "hypothesis", "prompt" }` (bare or
 * in a code fence) is accepted too. Anything else is `undefined`: the caller retries or skips it.
 */
export interface ParsedCandidate {
  prompt: string;
  hypothesis: string;
}

export function parseCandidate(reply: string): ParsedCandidate | undefined {
  return fromTags(reply) ?? fromJson(reply);
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
