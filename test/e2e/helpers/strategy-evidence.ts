/**
 * What the fake server saw of a run, per prompt: the target's answers per case, in the order they
 * were answered. Tests of the published strategies check the engine's records against it.
 */
import type { OptimizeWorld, TaskCase } from './optimize-harness.js';

/** A prompt template as the server sees it in a target request (the case input removed). */
export function promptKey(template: string): string {
  return template.split('{{input}}').join('').trim();
}

export interface PromptEvidence {
  /** Case id -> the target's answer (the first one, when asked more than once). */
  outputs: Map<string, string>;
  /** Case ids in the order their answers came back (repeats included). */
  order: string[];
}

/** Per prompt key, what the target answered it. */
export function targetEvidence(world: OptimizeWorld): Map<string, PromptEvidence> {
  const byPrompt = new Map<string, PromptEvidence>();
  for (const r of world.targetRequests()) {
    if (!r.caseId || r.prompt === undefined) continue;
    const key = r.prompt.trim();
    const evidence: PromptEvidence = byPrompt.get(key) ?? { outputs: new Map(), order: [] };
    if (!evidence.outputs.has(r.caseId)) evidence.outputs.set(r.caseId, r.output);
    evidence.order.push(r.caseId);
    byPrompt.set(key, evidence);
  }
  return byPrompt;
}

/** Per-case scores (1 right, 0 wrong) of a prompt the server saw on every one of `cases`; undefined otherwise. */
export function caseScores(evidence: Map<string, PromptEvidence>, template: string, cases: readonly TaskCase[]): Map<string, number> | undefined {
  const seen = evidence.get(promptKey(template));
  if (!seen || !cases.every((c) => seen.outputs.has(c.id))) return undefined;
  return new Map(cases.map((c) => [c.id, seen.outputs.get(c.id) === c.expected ? 1 : 0]));
}

/** The text of a `# <heading>…` section of a meta-prompt, up to the next heading. */
export function sectionOf(text: string, heading: string): string {
  const at = text.indexOf(`# ${heading}`);
  if (at < 0) return '';
  const rest = text.slice(at + 2);
  const end = rest.indexOf('\n# ');
  return end < 0 ? rest : rest.slice(0, end);
}

/**
 * The per-case front of a set of prompts (by prompt key, in the order they were scored): for each case
 * the best score above 0 and the prompts reaching it; members are the prompts best on at least one
 * case (while no case is solved: the best on the whole split, the first of equals).
 */
export function frontOf(scored: ReadonlyMap<string, Map<string, number>>): { members: Set<string>; best: Map<string, { score: number; winners: Set<string> }> } {
  const best = new Map<string, { score: number; winners: Set<string> }>();
  for (const [prompt, scores] of scored) {
    for (const [caseId, score] of scores) {
      if (score <= 0) continue;
      const b = best.get(caseId);
      if (!b || score > b.score) best.set(caseId, { score, winners: new Set([prompt]) });
      else if (score === b.score) b.winners.add(prompt);
    }
  }
  const members = new Set([...best.values()].flatMap((b) => [...b.winners]));
  if (members.size === 0 && scored.size > 0) {
    const mean = (scores: Map<string, number>) => [...scores.values()].reduce((a, b) => a + b, 0) / Math.max(1, scores.size);
    const [top] = [...scored].reduce((a, b) => (mean(b[1]) > mean(a[1]) ? b : a));
    members.add(top);
  }
  return { members, best };
}
