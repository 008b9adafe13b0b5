/**
 * Reads an optimizer request (see src/optimizer/meta-prompt.ts) the way the simulated optimizer
 * needs it: the prompt to edit (`<current_prompt>`, or `<parent_a>`/`<parent_b>` for a crossover), how
 * the prompt is used (role, variables), the direction, the feedback and the training constraints.
 * Nothing else: the simulator never reads the dataset or expected answers from anywhere but this text.
 */
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
  const a = tagged(text, 'parent_a');
  const b = tagged(text, 'parent_b');
  const current = tagged(text, 'current_prompt');
  const base = a ?? current;
  if (base === undefined) return undefined;
  let rest = text;
  for (const block of [a, b, current]) if (block) rest = rest.replace(block.whole, '');
  const sections = splitSections(rest);
  const find = (re: RegExp) => [...sections].find(([name]) => re.test(name))?.[1] ?? '';
  const usage = find(/^How the prompt is used/i);
  const varsLine = /Template variables the prompt must keep, exactly:\s*(.*)$/m.exec(usage)?.[1] ?? '';
  const heading = [...sections.keys()].join('\n');
  const kind: RequestKind = a
    ? 'crossover'
    : /^Starting prompt/im.test(heading)
      ? 'initial'
      : /^Parent prompt/im.test(heading)
        ? 'mutation'
        : 'refine';
  return {
    kind,
    current: base.body,
    ...(b ? { other: b.body } : {}),
    promptRole: /sent as the system message/i.test(usage) ? 'system' : 'user',
    variables: [...varsLine.matchAll(/\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g)].map((m) => m[1]!),
    direction: find(/^Your direction/i).trim(),
    feedback: find(/^Evaluation feedback/i).trim(),
    constraints: find(/^Training constraints/i).trim(),
    memory: find(/^Optimization memory/i).trim(),
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
