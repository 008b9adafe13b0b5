/**
 * The simulated optimizer: answers `[promptopt:optimizer]` requests (src/optimizer/meta-prompt.ts)
 * with `<hypothesis>…</hypothesis>` and `<prompt>…</prompt>`, offline and deterministically (the same
 * request text always gets the same reply).
 *
 * It is not circular: it reads only the request — the current prompt (or two parents), the direction,
 * the feedback and the training constraints — and edits the prompt from the failures it is shown
 * (classification.ts, extraction.ts). It never sees the dataset or expected answers otherwise, and the
 * simulated target answers only from its input and the prompt. With failure details withheld
 * (`--no-feedback`: only pass counts) it has nothing to act on and only rewords an opening sentence
 * that the target ignores (reword.ts), so it cannot raise the score.
 *
 * The direction of each request (variant.ts) changes which failures it attacks first and how many
 * rules it adds, so the N candidates of an iteration differ. A crossover request merges both parents'
 * rules and lists before acting on the feedback (so does a merge). Every `{{variable}}` is kept; none is
 * added. The published strategies' requests read the same way: a reflection edits its parent from the
 * minibatch failures, an opro request edits the best earlier prompt from the exemplars it shows.
 */
import { templateVariables } from '../../template/template.js';
import type { ChatRequest } from '../../providers/types.js';
import { isExtractionPrompt } from '../extract.js';
import { editClassification, type Edit } from './classification.js';
import { readEvidence, type Evidence } from './evidence.js';
import { editExtraction } from './extraction.js';
import { isManagedLine } from './layout.js';
import { parseOptimizerRequest, type OptimizerRequest } from './parse-request.js';
import { reword } from './reword.js';
import { readVariant } from './variant.js';

export function simOptimize(request: ChatRequest): string {
  const parsed = parseOptimizerRequest(request);
  if (!parsed) {
    return '[sim optimizer] error: the request has no <current_prompt>…</current_prompt> (or <parent_a>) block to improve';
  }
  const { hypothesis, prompt } = propose(parsed);
  return `<hypothesis>${hypothesis}</hypothesis>\n<prompt>\n${prompt}\n</prompt>`;
}

export function propose(request: OptimizerRequest): { hypothesis: string; prompt: string } {
  const inputVar = templateVariables(request.current).at(-1) ?? request.variables.at(-1);
  const evidence = readEvidence(request.feedback, request.constraints, inputVar);
  const key = `${request.direction}\u0000${request.current}\u0000${request.memory}`;
  if (evidence.withheld || !hasEvidence(evidence)) {
    const why = evidence.withheld
      ? 'The feedback gives only the pass rate (failure details withheld), so there is no failure to analyse'
      : 'The feedback shows no failure pattern to act on';
    return { hypothesis: `${why}: reworded the opening sentence only; no change in behaviour expected.`, prompt: reword(request.current, key) };
  }

  const variant = readVariant(request.direction);
  const changes: string[] = [];
  let current = request.current;
  if (request.other !== undefined) {
    const merged = mergeParents(request.current, request.other);
    current = merged.prompt;
    changes.push(...merged.changes);
  }
  const extraction = isExtractionPrompt(current) || evidence.cases.some((c) => /^\s*\{\s*"intent"/.test(c.expected ?? ''));
  const edit: Edit = extraction ? editExtraction(current, request, evidence, variant) : editClassification(current, request, evidence, variant);
  changes.push(...edit.changes);

  const keeps = sameVariables(request.current, edit.prompt);
  if (changes.length === 0 || edit.prompt === request.current || !keeps) {
    return {
      hypothesis: 'The failures shown give nothing this edit could fix without breaking other cases: reworded the opening sentence only.',
      prompt: reword(request.current, key),
    };
  }
  const text = changes.join('; ');
  return {
    hypothesis: `${text.charAt(0).toUpperCase()}${text.slice(1)}. Expected to fix those failures while the cases that pass keep their answers.`,
    prompt: edit.prompt,
  };
}

function hasEvidence(evidence: Evidence): boolean {
  return evidence.cases.length > 0 || evidence.confusions.length > 0 || evidence.wrappedAnswers > 0 || evidence.wrappedJson > 0 || evidence.categories.size > 0;
}

/** Parent A with parent B's rules and lists added (the edit functions merge and dedupe them). */
function mergeParents(a: string, b: string): { prompt: string; changes: string[] } {
  const aLines = new Set(a.split('\n').map((l) => l.trim()));
  const fromB = b.split('\n').filter((l) => isManagedLine(l) && !aLines.has(l.trim()));
  if (fromB.length === 0) return { prompt: a, changes: [] };
  return {
    prompt: `${a}\n\n${fromB.join('\n')}`,
    changes: [`merged ${fromB.length} rule and list line${fromB.length === 1 ? '' : 's'} of parent B into parent A`],
  };
}

function sameVariables(before: string, after: string): boolean {
  const a = templateVariables(before);
  const b = templateVariables(after);
  return a.length === b.length && a.every((v) => b.includes(v));
}

/** For registerSimMode: the optimizer mode ignores the model id. */
export function simOptimizerMode(request: ChatRequest): string {
  return simOptimize(request);
}
