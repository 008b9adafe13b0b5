/**
 * Edits for classification prompts, each driven by what the feedback shows:
 *  - answers holding the expected label inside a longer reply → an output-format sentence;
 *  - expected labels the prompt does not list → "Also allowed labels: ...";
 *  - wrong labels on shown cases → decision rules `"phrase" -> label` with a phrase from that input
 *    (phrases.ts), placed before any rule that fired wrongly on it;
 *  - rules that fired on failing cases → removed (two such cases, or one when pruning);
 *  - patterns only (descriptive feedback) → rules from the distinctive word of the expected label of
 *    a frequent confusion (its root, so "arrival" matches "arrived" too).
 * At most MAX_RULES rules; the oldest go first.
 */
import { escapeRegExp } from '../../assertions/text.js';
import { labelWords } from '../noise.js';
import { readFormat, readLabels, readRules, type Rule } from '../read-prompt.js';
import { dedupe, dedupeBy, STOPWORDS } from '../text.js';
import type { Evidence, ShownCase } from './evidence.js';
import { EXTRA_LABELS_PREFIX, LABEL_FORMAT_LINE, RULES_HEADER, insertBlock, stripManaged } from './layout.js';
import type { OptimizerRequest } from './parse-request.js';
import { pickPhrase, root, type LabeledInput } from './phrases.js';
import { rotate, type Variant } from './variant.js';

export const MAX_RULES = 40;
const LABEL = /^[A-Za-z][A-Za-z0-9]*(?:(?:[_-][A-Za-z0-9]+)+\??)?$/;

export interface Edit {
  prompt: string;
  /** What changed and why, one clause each (the hypothesis). */
  changes: string[];
}

export function editClassification(prompt: string, request: OptimizerRequest, evidence: Evidence, variant: Variant): Edit {
  const changes: string[] = [];
  const base = stripManaged(prompt);
  const lines = prompt.split('\n');
  const baseLabels = readLabels(base);
  const extraLabels = lines.filter((l) => l.trim().startsWith(EXTRA_LABELS_PREFIX)).flatMap((l) => readLabels(l));
  let rules = dedupeRules(readRules(prompt));
  const known = dedupe([...baseLabels, ...extraLabels, ...rules.map((r) => r.label)]);
  const canonical = (label: string) => known.find((k) => k.toLowerCase() === label.toLowerCase()) ?? label;

  // Labels the failures expect but the prompt does not list.
  const seen = dedupe([
    ...evidence.cases.map((c) => c.expected).filter(isLabel),
    ...evidence.confusions.map((c) => c.expected).filter(isLabel),
    ...evidence.allowedLabels.filter(isLabel),
  ]);
  const listed = new Set([...baseLabels, ...extraLabels].map((l) => l.toLowerCase()));
  const missing = seen.filter((l) => !listed.has(l.toLowerCase()));
  const allLabels = dedupe([...known, ...seen]);

  // Output format.
  const hadFormatLine = lines.some((l) => l.trim() === LABEL_FORMAT_LINE);
  const wrapped = evidence.cases.filter((c) => isLabel(c.expected) && c.actual !== undefined && holds(c.actual, c.expected!) && c.actual.trim() !== c.expected);
  const formatEvidence = wrapped.length + evidence.wrappedAnswers + (evidence.categories.get('format_violation') ?? 0);
  // Long replies where a one-word label is expected (e.g. the model answers in sentences).
  const verbose = evidence.cases.filter((c) => isLabel(c.expected) && c.actual !== undefined && c.actual.trim().split(/\s+/).length > 3);
  const addFormat = !hadFormatLine && readFormat(prompt).shape !== 'bare' && (formatEvidence > 0 || verbose.length > 0);
  if (addFormat) {
    changes.push(
      formatEvidence > 0
        ? `added the output-format instruction "${LABEL_FORMAT_LINE}" because ${wrapped.length > 0 ? `${wrapped.length} shown failures` : `${formatEvidence} failures`} contain the expected label inside a longer reply`
        : `added the output-format instruction "${LABEL_FORMAT_LINE}" because ${verbose.length} shown failures answer in sentences where a single label is expected`,
    );
  }
  const addLabels = missing.length > 0;
  if (addLabels) {
    changes.push(
      `listed ${missing.length} label${missing.length === 1 ? '' : 's'} that failing cases expect but the prompt did not allow (${missing.slice(0, 4).join(', ')}${missing.length > 4 ? ', …' : ''})`,
    );
  }

  // Rules.
  const labeled = evidence.cases.filter((c) => isLabel(c.expected));
  const added = new Set<Rule>();
  if (!(variant.smallest && (addFormat || addLabels))) {
    rules = pruneRules(rules, labeled, variant, changes);
    const edit: RuleEdit = { evidence, labels: allLabels, variant, canonical, added, changes };
    if (labeled.length > 0) rules = addCaseRules(rules, labeled, edit);
    else if (evidence.descriptive) rules = addPatternRules(rules, edit);
  }
  rules = capRules(rules, added, evidence.constraints);

  const block: string[] = [];
  const extra = dedupe([...extraLabels, ...(addLabels ? missing : [])]);
  if (extra.length > 0) block.push(`${baseLabels.length > 0 ? EXTRA_LABELS_PREFIX : 'Allowed labels:'} ${extra.join(', ')}.`);
  if (hadFormatLine || addFormat) block.push(LABEL_FORMAT_LINE);
  if (rules.length > 0) {
    if (block.length > 0) block.push('');
    block.push(RULES_HEADER, ...rules.map(renderRule));
  }
  return { prompt: insertBlock(base, block, request.promptRole), changes };
}

/**
 * At most MAX_RULES: the oldest rules go first, except those the training constraints rely on (the
 * rule that answers a constraint case correctly); with nothing else to drop, the newest added go.
 */
function capRules(rules: Rule[], added: Set<Rule>, constraints: readonly ShownCase[]): Rule[] {
  const out = [...rules];
  const needed = new Set<Rule>();
  for (const c of constraints) {
    const fired = firstRule(out, c.input);
    if (fired && fired.label.toLowerCase() === c.expected?.toLowerCase()) needed.add(fired);
  }
  while (out.length > MAX_RULES) {
    let drop = out.findIndex((r) => !added.has(r) && !needed.has(r));
    if (drop < 0) drop = out.findLastIndex((r) => added.has(r));
    out.splice(drop >= 0 ? drop : 0, 1);
  }
  return out;
}

export function renderRule(rule: Rule): string {
  return `${rule.phrases.map((p) => `"${p}"`).join(', ')} -> ${rule.label}`;
}

/** The rule the simulated target would apply to `input` (first whose phrase occurs in it). */
export function firstRule<R extends Rule>(rules: readonly R[], input: string): R | undefined {
  const lower = input.toLowerCase();
  return rules.find((r) => r.phrases.some((p) => lower.includes(p.toLowerCase())));
}

function pruneRules(rules: Rule[], cases: ShownCase[], variant: Variant, changes: string[]): Rule[] {
  const blamed = new Map<Rule, number>();
  for (const c of cases) {
    const fired = firstRule(rules, c.input);
    if (fired && fired.label.toLowerCase() !== c.expected!.toLowerCase()) blamed.set(fired, (blamed.get(fired) ?? 0) + 1);
  }
  const limit = variant.prune ? 1 : 2;
  const removed = [...blamed].filter(([, n]) => n >= limit).map(([r]) => r);
  if (removed.length === 0) return rules;
  changes.push(
    `removed ${removed.length} rule${removed.length === 1 ? '' : 's'} that fired on failing cases of other labels (${removed
      .slice(0, 3)
      .map(renderRule)
      .join('; ')})`,
  );
  return rules.filter((r) => !removed.includes(r));
}

/** What the rule-adding edits read, and where they record the rules they add and why. */
interface RuleEdit {
  evidence: Evidence;
  labels: string[];
  variant: Variant;
  canonical: (label: string) => string;
  added: Set<Rule>;
  changes: string[];
}

function addCaseRules(rules: Rule[], cases: ShownCase[], { evidence, labels, variant, canonical, added, changes }: RuleEdit): Rule[] {
  const out = [...rules];
  const reference: (LabeledInput & { id: string })[] = [
    ...cases.map((c) => ({ id: c.id, input: c.input, label: c.expected! })),
    ...evidence.constraints.filter((c) => isLabel(c.expected)).map((c) => ({ id: `constraint:${c.id}`, input: c.input, label: c.expected! })),
  ];
  const wrong = cases.filter((c) => {
    const answered = c.actual === undefined ? undefined : labelIn(c.actual, labels);
    return answered?.toLowerCase() !== c.expected!.toLowerCase();
  });
  const order = rotate(wrong, variant.rotation, (c) => variant.focus !== undefined && c.categories.includes(variant.focus));
  const taken = new Set(out.flatMap((r) => r.phrases.map((p) => p.toLowerCase())));
  const examples: string[] = [];
  for (const c of order) {
    if (added.size >= variant.budget) break;
    const expected = c.expected!;
    if (firstRule(out, c.input)?.label.toLowerCase() === expected.toLowerCase()) continue;
    const phrase = pickPhrase({
      own: { input: c.input, label: expected },
      truncated: c.truncated,
      others: reference.filter((r) => r.id !== c.id),
      labels,
      taken,
    });
    if (!phrase) continue;
    const rule: Rule = { phrases: [phrase], label: canonical(expected) };
    const blocking = out.findIndex((r) => r.phrases.some((p) => c.input.toLowerCase().includes(p.toLowerCase())));
    if (blocking >= 0) out.splice(blocking, 0, rule);
    else out.push(rule);
    added.add(rule);
    taken.add(phrase);
    const answered = c.actual === undefined ? undefined : labelIn(c.actual, labels);
    if (examples.length < 3) examples.push(`${renderRule(rule)}${answered ? ` (was answered ${answered})` : ''}`);
  }
  if (added.size > 0) {
    changes.push(
      `added ${added.size} decision rule${added.size === 1 ? '' : 's'} for misclassified cases, each keyed on a phrase of a failing input that no shown input of another label contains (e.g. ${examples.join('; ')})`,
    );
  }
  return out;
}

/** Descriptive feedback: rules from the distinctive word of the expected label of frequent confusions. */
function addPatternRules(rules: Rule[], { evidence, labels, variant, canonical, added, changes }: RuleEdit): Rule[] {
  const out = [...rules];
  const budget = Math.min(3, variant.budget);
  const taken = new Set(out.flatMap((r) => r.phrases.map((p) => p.toLowerCase())));
  const confusions = rotate(
    evidence.confusions.filter((c) => isLabel(c.expected) && c.actual !== '(other)'),
    variant.rotation,
    (c) => c.count >= 2,
  );
  const examples: string[] = [];
  for (const confusion of confusions) {
    if (added.size >= budget) break;
    const others = new Set(labels.filter((l) => l.toLowerCase() !== confusion.expected.toLowerCase()).flatMap(labelWords));
    for (const word of labelWords(confusion.expected)) {
      if (STOPWORDS.has(word) || word.length < 4 || others.has(word)) continue;
      const phrase = root(word);
      if (taken.has(phrase)) continue;
      const breaks = evidence.constraints.some(
        (c) => c.expected?.toLowerCase() !== confusion.expected.toLowerCase() && c.input.toLowerCase().includes(phrase),
      );
      if (breaks) continue;
      const rule: Rule = { phrases: [phrase], label: canonical(confusion.expected) };
      out.push(rule);
      added.add(rule);
      taken.add(phrase);
      if (examples.length < 3) examples.push(`${renderRule(rule)}, confused with ${confusion.actual} ${confusion.count}×`);
      break;
    }
  }
  if (added.size > 0) {
    changes.push(
      `added ${added.size} rule${added.size === 1 ? '' : 's'} keyed on the distinctive word of labels that validation confuses (${examples.join('; ')})`,
    );
  }
  return out;
}


/** The label an output gives: the whole output, else the earliest label inside it (longest on ties). */
export function labelIn(output: string, labels: readonly string[]): string | undefined {
  const text = output.trim().replace(/^["'`]+|["'`.!]+$/g, '').toLowerCase();
  const exact = labels.find((l) => l.toLowerCase() === text);
  if (exact) return exact;
  let best: { at: number; label: string } | undefined;
  for (const label of labels) {
    const m = new RegExp(`(?<![a-z0-9_])${escapeRegExp(label.toLowerCase())}(?![a-z0-9_])`).exec(text);
    if (m && (!best || m.index < best.at || (m.index === best.at && label.length > best.label.length))) best = { at: m.index, label };
  }
  return best?.label;
}

function dedupeRules(rules: Rule[]): Rule[] {
  return dedupeBy(rules, (r) => r.phrases.map((p) => p.toLowerCase()).join('\u0000'));
}

function holds(output: string, expected: string): boolean {
  return new RegExp(`(?<![a-z0-9_])${escapeRegExp(expected.toLowerCase())}(?![a-z0-9_])`).test(output.toLowerCase());
}

function isLabel(value: string | undefined): value is string {
  return value !== undefined && LABEL.test(value.trim());
}
