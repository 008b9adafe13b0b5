/**
 * Distinct directions for the candidates of one iteration. Sampling temperature cannot be relied on
 * for diversity (current Anthropic models take none, many OpenAI reasoning models ignore it), so each
 * candidate's request names a different failure group to attack first or a different rewriting style.
 * `descriptive` directions name only checks, categories and counts (validation phase: no case text).
 */
import { visibleTitle } from '../feedback/describe-group.js';
import type { FailureAnalysis } from '../feedback/types.js';
import { formatFocus } from '../feedback/vocabulary/pattern-lines.js';

const STYLES = [
  'Restructure the prompt into clear sections: the task, the allowed outputs, decision rules, and the exact output format.',
  'Make the smallest edit that fixes the most failures; leave everything else as it is.',
  'Add explicit decision rules for the most frequent confusions and edge cases, one rule per line.',
  'Tighten the output-format instructions: say exactly what the reply must contain and what it must not.',
  'Add two or three short illustrative examples that you write yourself (do not copy evaluation cases).',
  'Rewrite the prompt concisely, keeping only instructions that change behaviour.',
];

export function candidateDirections(
  analysis: FailureAnalysis,
  count: number,
  iteration: number,
  options: { descriptive: boolean },
): string[] {
  const groups = analysis.groups.filter((g) => g.category !== 'provider_error');
  const context = { total: analysis.total, labels: analysis.labels, quote: !options.descriptive };
  const focused = groups.map((g) => {
    const base = formatFocus({ check: visibleTitle(g, context), count: g.count, category: g.category });
    return options.descriptive ? base : `${base} Suggested fix from the data: ${g.suggestedFix}`;
  });
  const top = focused.slice(0, 2);
  // Vary the styles from one iteration to the next; rotate the styles only, so no slot wraps onto
  // another candidate's direction (distinct whenever count <= the pool).
  const offset = iteration > 0 && top.length + STYLES.length > count ? (iteration - 1) % STYLES.length : 0;
  const pool = [...top, ...STYLES.slice(offset), ...STYLES.slice(0, offset)];
  return Array.from({ length: count }, (_, i) => pool[i % pool.length]!);
}

/** Styles for an initial, diverse population (hybrid and evolutionary strategies). */
export function initialStyles(count: number): string[] {
  const styles = [
    'A concise instruction prompt: the task in one sentence, the allowed outputs, the output format.',
    'A structured prompt with headed sections (Role, Task, Labels or Fields, Rules, Output format).',
    'A rule-based prompt: a numbered list of decision rules that cover the failure patterns.',
    'A prompt with two or three short illustrative examples that you write yourself.',
    'A step-by-step prompt: how to read the input, what to decide, and how to format the answer.',
  ];
  return Array.from({ length: count }, (_, i) => styles[i % styles.length]!);
}
