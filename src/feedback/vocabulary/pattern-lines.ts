/**
 * The pattern facts feedback states about a group of failures, each as a formatter and its reader:
 * the group header, label confusions, allowed labels, answers wrapped in extra words, JSON shape
 * counts, and the direction that names a group to attack first. Readers are lenient: they collect
 * every occurrence in a text and ignore everything else.
 */
import { plural } from '../text-stats.js';
import { CHECK_TITLE_SOURCE } from './check-title.js';

// ---------------------------------------------------------------------------------------------
// Group headers: `1. regex [final-answer] — 8 cases, format_violation`

export interface GroupHeaderFacts {
  index: number;
  /** The check title (check-title.ts). */
  check: string;
  count: number;
  category: string;
}

export function formatGroupHeader(g: GroupHeaderFacts): string {
  return `${g.index}. ${g.check} — ${plural(g.count, 'case')}, ${g.category}`;
}

const GROUP_HEADER = new RegExp(String.raw`^\s*(\d+)\. (${CHECK_TITLE_SOURCE}) — (\d+) cases?, ([a-z_]+)(?=\.|$)`, 'gm');

export function parseGroupHeaders(text: string): GroupHeaderFacts[] {
  return [...text.matchAll(GROUP_HEADER)].map((m) => ({ index: Number(m[1]), check: m[2]!, count: Number(m[3]), category: m[4]! }));
}

// ---------------------------------------------------------------------------------------------
// Label confusions: `refund_request → billing_issue (3), complaint → (other) (1)`

export interface ConfusionFacts {
  expected: string;
  actual: string;
  count: number;
}

/** What an answer is called when no label could be read from it. */
export const OTHER_ANSWER = '(other)';

export function formatConfusions(pairs: readonly ConfusionFacts[]): string {
  return pairs.map((p) => `${p.expected} → ${p.actual} (${p.count})`).join(', ');
}

const CONFUSION = /([^\s,:;]+) → (\(other\)|[^\s,;]+) \((\d+)\)/g;

/** Every confusion pair stated in `text`; a pair stated twice keeps its largest count. */
export function parseConfusions(text: string): ConfusionFacts[] {
  const pairs = new Map<string, ConfusionFacts>();
  for (const line of text.split('\n')) {
    if (!line.includes('→')) continue;
    for (const m of line.matchAll(CONFUSION)) {
      const key = `${m[1]}\u0000${m[2]}`;
      const count = Number(m[3]);
      const old = pairs.get(key);
      if (!old || old.count < count) pairs.set(key, { expected: m[1]!, actual: m[2]!, count });
    }
  }
  return [...pairs.values()].sort((a, b) => b.count - a.count);
}

// ---------------------------------------------------------------------------------------------
// Allowed labels: `Allowed labels: a, b, c.`

export function formatAllowedLabels(labels: readonly string[]): string {
  return `Allowed labels: ${labels.join(', ')}`;
}

export function parseAllowedLabels(text: string): string[] {
  const labels = new Set<string>();
  for (const m of text.matchAll(/Allowed labels: ([^\n]+?)\.(?:\s|$)/g)) {
    for (const label of m[1]!.split(/,\s*/)) if (label.trim()) labels.add(label.trim());
  }
  return [...labels];
}

// ---------------------------------------------------------------------------------------------
// Answers inside longer replies: `4 of 4 outputs contain the expected label with extra words around it`

export type AnswerNoun = 'label' | 'answer';

export function formatWrapped(wrapped: number, count: number, noun: AnswerNoun): string {
  return `${wrapped} of ${count} outputs contain the expected ${noun} with extra words around it`;
}

export function formatCaseOnly(n: number, noun: AnswerNoun): string {
  return `${n} ${n === 1 ? 'output is' : 'outputs are'} the expected ${noun} in the wrong letter case`;
}

/** Outputs said to hold the expected answer inside extra words or in the wrong letter case. */
export function parseWrappedAnswers(text: string): number {
  const sum = (re: RegExp) => [...text.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
  return (
    sum(/(\d+) of \d+ outputs contain the expected (?:label|answer) with extra words/g) +
    sum(/(\d+) outputs? (?:is|are) the expected (?:label|answer) in the wrong letter case/g)
  );
}

// ---------------------------------------------------------------------------------------------
// JSON shape: `Of these outputs, 3 use code fences, 2 have text around the JSON.`

export interface ShapeFacts {
  codeFenced: number;
  textAroundJson: number;
  empty: number;
}

/** `Of these outputs, …` or undefined when nothing is worth saying. */
export function formatShape(shape: ShapeFacts): string | undefined {
  const parts: string[] = [];
  if (shape.codeFenced > 0) parts.push(`${shape.codeFenced} use code fences`);
  if (shape.textAroundJson > 0) parts.push(`${shape.textAroundJson} have text around the JSON`);
  if (shape.empty > 0) parts.push(`${shape.empty} are empty`);
  return parts.length > 0 ? `Of these outputs, ${parts.join(', ')}.` : undefined;
}

/** The largest count of outputs said to wrap their JSON in a fence or in text. */
export function parseWrappedJson(text: string): number {
  const most = (re: RegExp) => [...text.matchAll(re)].reduce((n, m) => Math.max(n, Number(m[1])), 0);
  return Math.max(most(/(\d+) use code fences/g), most(/(\d+) have text around the JSON/g));
}

// ---------------------------------------------------------------------------------------------
// Directions that name a group: `Attack the failures of check regex first (8 cases, format_violation).`

export interface FocusFacts {
  check: string;
  count: number;
  category: string;
}

export function formatFocus(f: FocusFacts): string {
  return `Attack the failures of check ${f.check} first (${plural(f.count, 'case')}, ${f.category}).`;
}

const FOCUS = new RegExp(String.raw`Attack the failures of check (${CHECK_TITLE_SOURCE}) first \((\d+) cases?, ([a-z_]+)\)\.`);

export function parseFocus(text: string): FocusFacts | undefined {
  const m = FOCUS.exec(text);
  return m ? { check: m[1]!, count: Number(m[2]), category: m[3]! } : undefined;
}
