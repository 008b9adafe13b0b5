/**
 * How one case is written in an optimizer request, and how that text is read back (the simulator
 * reads it; a round-trip test holds the two together). A block looks like:
 *
 *   - case b77-12 [wrong_answer]
 *     input: query="I still have not received my card"
 *     expected: "card_arrival"
 *     actual: "card_delivery_estimate"
 *     diff: [-card_arrival-]{+card_delivery_estimate+}
 *     failed equals: expected "card_arrival", got "card_delivery_estimate"
 *
 * and a group's example is one line:
 *
 *   Example: case b77-12; input: query="…"; expected: "card_arrival"; actual: "…"; why: …
 *
 * Facts are rendered exactly as given: shortening happens before (feedback/case-text.ts).
 */
import { CHECK_TITLE_SOURCE } from './check-title.js';
import { readJsonString } from './json-text.js';

/** One variable as shown: a string value (quoted when rendered) or other JSON (rendered as is). */
export interface VarFact {
  name: string;
  text: string;
  /** The value was not a string: `text` is its JSON, rendered unquoted (`n=3`). */
  json?: boolean;
}

/** Which answer a block shows: the failing output, or what a candidate answers a case that passed before. */
export const ANSWER_FIELDS = {
  actual: 'actual',
  now: 'now answered',
  broken: 'the broken candidate answered',
} as const;
export type AnswerField = keyof typeof ANSWER_FIELDS;

/** One failed check of a case: the check's title (see check-title.ts) and what it found. */
export interface FailedCheckFact {
  check: string;
  text: string;
}

export interface CaseFacts {
  id: string;
  /** Failure categories, in the header's brackets (absent for constraint blocks). */
  categories?: string[];
  vars: VarFact[];
  expected?: string;
  answerField: AnswerField;
  answer?: string;
  diff?: string;
  failed: FailedCheckFact[];
}

const CASE_HEAD = /^\s*- case (\S+)(?: \[([^\]]*)\])?\s*$/;
const FIELD = /^\s+(input|expected|actual|now answered|the broken candidate answered|diff):\s?(.*)$/;
/** `failed <title>: <text>`: the title is `type`, then an optional ` [metric]`, then an optional JSON string. */
const FAILED = new RegExp(String.raw`^\s+failed (${CHECK_TITLE_SOURCE}): (.*)$`);
const VAR_NAME = /^([A-Za-z_][\w.-]*)=/;

/** `query="text", n=3`; `(none)` without variables. */
export function formatVars(vars: readonly VarFact[]): string {
  if (vars.length === 0) return '(none)';
  return vars.map((v) => `${v.name}=${v.json ? v.text : JSON.stringify(v.text)}`).join(', ');
}

/** Reads `formatVars` output from the start of `text`; `end` is where it stopped. */
export function readVars(text: string): { vars: VarFact[]; end: number } {
  const vars: VarFact[] = [];
  if (text.startsWith('(none)')) return { vars, end: '(none)'.length };
  let pos = 0;
  for (;;) {
    const key = VAR_NAME.exec(text.slice(pos));
    if (!key) break;
    const at = pos + key[0].length;
    if (text[at] === '"') {
      const value = readJsonString(text, at);
      if (!value) break;
      vars.push({ name: key[1]!, text: value.value });
      pos = value.end;
    } else {
      // Unquoted JSON runs to the next `, name=` or `; ` (the example line's separator), or the end.
      const rest = text.slice(at);
      const stop = rest.search(/, [A-Za-z_][\w.-]*=|; |$/);
      vars.push({ name: key[1]!, text: rest.slice(0, stop), json: true });
      pos = at + stop;
    }
    if (text.startsWith(', ', pos) && VAR_NAME.test(text.slice(pos + 2))) pos += 2;
    else break;
  }
  return { vars, end: pos };
}

export function formatCaseBlock(facts: CaseFacts): string {
  const head = facts.categories === undefined ? `- case ${facts.id}` : `- case ${facts.id} [${facts.categories.join(', ')}]`;
  const lines = [head, `  input: ${formatVars(facts.vars)}`];
  if (facts.expected !== undefined) lines.push(`  expected: ${JSON.stringify(facts.expected)}`);
  if (facts.answer !== undefined) lines.push(`  ${ANSWER_FIELDS[facts.answerField]}: ${JSON.stringify(facts.answer)}`);
  if (facts.diff !== undefined) lines.push(`  diff: ${facts.diff}`);
  for (const f of facts.failed) lines.push(`  failed ${f.check}: ${f.text}`);
  return lines.join('\n');
}

const FIELD_OF: Record<string, AnswerField> = Object.fromEntries(
  Object.entries(ANSWER_FIELDS).map(([key, label]) => [label, key as AnswerField]),
);

/** Every case block in `text`, in order. Lines that do not belong to a block are skipped. */
export function parseCaseBlocks(text: string): CaseFacts[] {
  const out: CaseFacts[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = CASE_HEAD.exec(lines[i]!);
    if (!head) continue;
    const facts: CaseFacts = { id: head[1]!, vars: [], answerField: 'actual', failed: [] };
    if (head[2] !== undefined) facts.categories = head[2].split(/,\s*/).filter(Boolean);
    let seenInput = false;
    let j = i + 1;
    for (; j < lines.length && /^\s{2,}\S/.test(lines[j]!) && !CASE_HEAD.test(lines[j]!); j++) {
      const failed = FAILED.exec(lines[j]!);
      if (failed) {
        facts.failed.push({ check: failed[1]!, text: failed[2]! });
        continue;
      }
      const field = FIELD.exec(lines[j]!);
      if (!field) continue;
      const [, name, value] = field as unknown as [string, string, string];
      if (name === 'input') {
        facts.vars = readVars(value).vars;
        seenInput = true;
      } else if (name === 'expected') facts.expected = readQuoted(value);
      else if (name === 'diff') facts.diff = value;
      else {
        facts.answerField = FIELD_OF[name]!;
        facts.answer = readQuoted(value);
      }
    }
    if (seenInput) out.push(facts);
    i = j - 1;
  }
  return out;
}

function readQuoted(raw: string): string {
  const trimmed = raw.trim();
  return (trimmed.startsWith('"') ? readJsonString(trimmed, 0)?.value : undefined) ?? trimmed;
}

/** A group's example: one line, fields separated by `; `. */
export interface ExampleFacts {
  id: string;
  vars: VarFact[];
  expected?: string;
  actual: string;
  why: string;
}

export function formatExample(e: ExampleFacts): string {
  const expected = e.expected !== undefined ? `; expected: ${JSON.stringify(e.expected)}` : '';
  return `Example: case ${e.id}; input: ${formatVars(e.vars)}${expected}; actual: ${JSON.stringify(e.actual)}; why: ${e.why}`;
}

const EXAMPLE = /^\s*Example: case (\S+); input: (.*)$/;

export function parseExamples(text: string): ExampleFacts[] {
  const out: ExampleFacts[] = [];
  for (const line of text.split('\n')) {
    const m = EXAMPLE.exec(line);
    if (!m) continue;
    const { vars, end } = readVars(m[2]!);
    let rest = m[2]!.slice(end);
    const field = (name: string): string | undefined => {
      if (!rest.startsWith(`; ${name}: `)) return undefined;
      const value = readJsonString(rest, name.length + 4);
      if (!value) return undefined;
      rest = rest.slice(value.end);
      return value.value;
    };
    const expected = field('expected');
    const actual = field('actual');
    if (actual === undefined || !rest.startsWith('; why: ')) continue;
    out.push({ id: m[1]!, vars, ...(expected !== undefined ? { expected } : {}), actual, why: rest.slice('; why: '.length) });
  }
  return out;
}
