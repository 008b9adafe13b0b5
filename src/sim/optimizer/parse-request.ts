/**
 * Reads an optimizer request (see src/optimizer/meta-prompt.ts) the way the simulated optimizer
 * needs it: the prompt to edit (`<current_prompt>`, or `<parent_a>`/`<parent_b>` for a crossover), how
 * the prompt is used (role, variables), the direction, the feedback and the training constraints.
 * Nothing else: the simulator never reads the dataset or expected answers from anywhere but this text.
 */
import { PROMPT_TAGS, SECTIONS, SENT_AS_SYSTEM, VARIABLES_LINE } from '../../feedback/vocabulary/index.js';
import type { ChatRequest } from '../../providers/types.js';

export type RequestKind = 'refine' | 'initial' | 'mutation' | 'crossover';

export interface OptimizerRequest {
  kind: RequestKind;
  /** The prompt to edit (parent A for a crossover). */
  current: string;
  /** Parent B of a crossover. */
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
  const base = a ?? current;
  if (base === undefined) return undefined;
  let rest = text;
  for (const block of [a, b, current]) if (block) rest = rest.replace(block.whole, '');
  const sections = splitSections(rest);
  const find = (heading: string) => [...sections].find(([name]) => name.startsWith(heading))?.[1] ?? '';
  const usage = find(SECTIONS.usage);
  const varsAt = usage.indexOf(VARIABLES_LINE);
  const varsLine = varsAt < 0 ? '' : usage.slice(varsAt + VARIABLES_LINE.length).split('\n')[0]!;
  const headings = [...sections.keys()];
  const kind: RequestKind = a
    ? 'crossover'
    : headings.some((h) => h.startsWith(SECTIONS.starting))
      ? 'initial'
      : headings.some((h) => h.startsWith(SECTIONS.parent))
        ? 'mutation'
        : 'refine';
  return {
    kind,
    current: base.body,
    ...(b ? { other: b.body } : {}),
    promptRole: usage.includes(SENT_AS_SYSTEM) ? 'system' : 'user',
    variables: [...varsLine.matchAll(/\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g)].map((m) => m[1]!),
    direction: find(SECTIONS.direction).trim(),
    feedback: find(SECTIONS.feedback).trim(),
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
