/**
 * The simulator's default mode: a crude instruction follower whose answer depends on the prompt.
 * Label: first matching rule → nearest few-shot example (token Jaccard ≥ 0.5) → the label whose
 * name shares most (stemmed) words with the input → a deterministic pick from a hash of the input.
 * Unless a rule decided, about 5% of inputs (hash of the input, see noise.ts) get a confusable label
 * instead: only rules make those right.
 * Format: JSON if the prompt mentions JSON, the bare label if it asks for only the label, else a
 * verbose sentence; lowercase/uppercase if asked.
 */
import type { ChatRequest } from '../providers/types.js';
import { confusableLabel, isNoisy } from './noise.js';
import { readPrompt, type OutputFormat, type ReadPrompt } from './read-prompt.js';
import { jaccard, pickByHash, stem, stems, words } from './text.js';

export const EXAMPLE_SIMILARITY = 0.5;

export function classify(request: ChatRequest): string {
  const prompt = readPrompt(request);
  const label = decideLabel(prompt);
  if (label === undefined) return echo(prompt.input);
  return formatAnswer(label, prompt.format);
}

export function decideLabel(prompt: ReadPrompt): string | undefined {
  const input = prompt.input;
  const lowerInput = input.toLowerCase();
  for (const rule of prompt.rules) {
    if (rule.phrases.some((p) => lowerInput.includes(p.toLowerCase()))) return rule.label;
  }
  const label = unruledLabel(prompt);
  if (label === undefined || prompt.labels.length < 2 || !isNoisy(input)) return label;
  return confusableLabel(label, prompt.labels, input);
}

/** `of` remembered per text (examples and label names recur in every call); bounded. */
function remembered(of: (text: string) => Set<string>): (text: string) => Set<string> {
  const known = new Map<string, Set<string>>();
  return (text) => {
    let found = known.get(text);
    if (!found) {
      if (known.size >= 10_000) known.clear();
      found = of(text);
      known.set(text, found);
    }
    return found;
  };
}
const exampleStems = remembered(stems);
const labelStems = remembered((label) => new Set(label.toLowerCase().split(/[_\-\s]+/).filter(Boolean).map(stem)));

/** The label without rules: nearest example, else most shared words, else a hash pick. */
function unruledLabel(prompt: ReadPrompt): string | undefined {
  const input = prompt.input;

  const inputStems = stems(input);
  let best: { output: string; score: number } | undefined;
  for (const example of prompt.examples) {
    const score = jaccard(inputStems, exampleStems(example.input));
    if (score >= EXAMPLE_SIMILARITY && (!best || score > best.score)) best = { output: example.output, score };
  }
  if (best) return best.output;

  if (prompt.labels.length === 0) return undefined;
  let top: string[] = [];
  let topScore = 0;
  for (const label of prompt.labels) {
    const nameStems = labelStems(label);
    let score = 0;
    for (const s of nameStems) if (inputStems.has(s)) score++;
    if (score > topScore) [top, topScore] = [[label], score];
    else if (score === topScore && score > 0) top.push(label);
  }
  return pickByHash(input, topScore > 0 ? top : prompt.labels);
}

export function formatAnswer(label: string, format: OutputFormat): string {
  const cased =
    format.letterCase === 'lower' ? label.toLowerCase() : format.letterCase === 'upper' ? label.toUpperCase() : label;
  switch (format.shape) {
    case 'json':
      return `{"label": ${JSON.stringify(cased)}}`;
    case 'bare':
      return cased;
    case 'verbose': {
      const shown = format.letterCase ? cased : cased.charAt(0).toUpperCase() + cased.slice(1);
      return `The answer is: ${shown}.`;
    }
  }
}

/** No labels, rules or examples to go on: a short sentence echoing the input's first words. */
function echo(input: string): string {
  const first = words(input).slice(0, 6).join(' ');
  return first ? `Here is my response to "${first}".` : 'Here is my response.';
}
