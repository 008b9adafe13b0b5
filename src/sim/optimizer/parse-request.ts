/**
 * Reads an optimizer request (see src/optimizer/meta-prompt.ts and strategy-requests.ts) the way the
 * simulated optimizer needs it: the prompt to edit (`<current_prompt>`; `<parent_a>`/`<parent_b>` for a
 * crossover or a merge; the last, best-scored `<scored_prompt>` of an opro request), how the prompt is
 * used (role, variables), the direction, the feedback (an opro request's training exemplars) and the
 * training constraints. Nothing else: the simulator never reads the dataset or expected answers from
 * anywhere but this text.
 */
import { PROMPT_TAGS, SECTIONS, SENT_AS_SYSTEM, VARIABLES_LINE } from '../../feedback/vocabulary/index.js';
import type { ChatRequest } from '../../providers/types.js';

export type RequestKind = 'refine' | 'initial' | 'mutation' | 'crossover' | 'reflect' | 'merge' | 'opro';

export interface OptimizerRequest {
  kind: RequestKind;
  /** The prompt to edit (parent A for a crossover or a merge; the best earlier prompt for opro). */
  current: string;
  /** Parent B of a crossover or a merge. */
  other?: string;
  promptRole: 'user' | 'system';
  /** Variables the prompt must keep, as listed in "# How the prompt is used". */
  variables: string[];
  direction: string;
  feedback: string;
  constraints: string;
  memory: string;
  /** The whole request text: the key for deterministic choices. */
  text: string;
}

export function parseOptimizerRequest(request: ChatRequest): OptimizerRequest | undefined {
  const text = request.messages.map((m) => m.content).join('\n\n');
  const a = tagged(text, PROMPT_TAGS.parentA);
  const b = tagged(text, PROMPT_TAGS.parentB);
  const current = tagged(text, PROMPT_TAGS.current);
  // opro: earlier prompts in ascending order of score; the last is the best.
  const scored = allTagged(text, PROMPT_TAGS.scored);
  const base = a ?? current ?? scored.at(-1);
  if (base === undefined) return undefined;
  let rest = text;
  for (const block of [a, b, current, ...scored]) if (block) rest = rest.replace(block.whole, '');
  const sections = splitSections(rest);
  const find = (heading: string) => [...sections].find(([name]) => name.startsWith(heading))?.[1] ?? '';
  const usage = find(SECTIONS.usage);
  const varsAt = usage.indexOf(VARIABLES_LINE);
  const varsLine = varsAt < 0 ? '' : usage.slice(varsAt + VARIABLES_LINE.length).split('\n')[0]!;
  const headings = [...sections.keys()];
  const has = (heading: string) => headings.some((h) => h.startsWith(heading));
  const kind: RequestKind = a
    ? has(SECTIONS.minibatchFeedback)
      ? 'merge'
      : 'crossover'
    : scored.length > 0 && !current
      ? 'opro'
      : has(SECTIONS.minibatchFeedback)
        ? 'reflect'
        : has(SECTIONS.starting)
          ? 'initial'
          : has(SECTIONS.parent)
            ? 'mutation'
            : 'refine';
  return {
    kind,
    current: base.body,
    ...(b ? { other: b.body } : {}),
    promptRole: usage.includes(SENT_AS_SYSTEM) ? 'system' : 'user',
    variables: [...varsLine.matchAll(/\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g)].map((m) => m[1]!),
    direction: find(SECTIONS.direction).trim(),
    feedback: (kind === 'opro' ? find(SECTIONS.exemplars) : find(SECTIONS.feedback)).trim(),
    constraints: find(SECTIONS.constraints).trim(),
    memory: find(SECTIONS.memory).trim(),
    text,
  };
}

function tagged(text: string, tag: string): { body: string; whole: string } | undefined {
  const open = text.indexOf(`<${tag}>`);
  if (open < 0) return undefined;
  const close = text.indexOf(`</${tag}>`, open);
  if (close < 0) return undefined;
  const whole = text.slice(open, close + tag.length + 3);
  const body = text.slice(open + tag.length + 2, close).replace(/^\n/, '').replace(/\n$/, '');
  return { body, whole };
}

/** Every `<tag>…</tag>` block, in order. */
function allTagged(text: string, tag: string): { body: string; whole: string }[] {
  const blocks: { body: string; whole: string }[] = [];
  for (let from = 0; ; ) {
    const block = tagged(text.slice(from), tag);
    if (!block) return blocks;
    blocks.push(block);
    from = text.indexOf(block.whole, from) + block.whole.length;
  }
}

/** `# Heading` sections (heading text → body), in order. */
function splitSections(text: string): Map<string, string> {
  const sections = new Map<string, string>();
  let name: string | undefined;
  let body: string[] = [];
  const flush = () => {
    if (name !== undefined) sections.set(name, body.join('\n'));
  };
  for (const line of text.split('\n')) {
    const m = /^# (.+)$/.exec(line);
    if (m) {
      flush();
      name = m[1]!.trim();
      body = [];
    } else body.push(line);
  }
  flush();
  return sections;
}
