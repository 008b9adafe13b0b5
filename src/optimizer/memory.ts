/**
 * Optimization memory: one-line lessons (✓ adopted, ✗ regressed, overfitted or did nothing), deduped and
 * bounded, plus detailed summaries of the last three iterations. Both go into every meta-prompt.
 */
import { formatPercent } from '../util/format-percent.js';
import type { CandidateRecord, IterationRecord, IterationSummary, OptimizationMemory } from './types.js';

export const MAX_LESSONS = 12;
export const RECENT_ITERATIONS = 3;

export function emptyMemory(): OptimizationMemory {
  return { lessons: [], recent: [] };
}

/** Returns a new memory with the lessons and summary of one finished iteration. */
export function rememberIteration(memory: OptimizationMemory, record: IterationRecord): OptimizationMemory {
  const lessons = [...memory.lessons];
  for (const candidate of record.candidates) {
    const lesson = lessonFrom(candidate, record);
    if (lesson) addLesson(lessons, lesson);
  }
  const recent = [...memory.recent, summarize(record)].slice(-RECENT_ITERATIONS);
  return { lessons: lessons.slice(-MAX_LESSONS), recent };
}

function lessonFrom(c: CandidateRecord, record: IterationRecord): string | undefined {
  const idea = shorten(c.candidate.hypothesis, 110);
  const split = record.phase === 'validation' ? 'validation' : 'train';
  const score = record.phase === 'validation' ? c.validation?.score : c.train?.score;
  const pct = (n: number | undefined) => (n === undefined ? '?' : `${Math.round(n * 100)}%`);
  switch (c.status) {
    case 'accepted':
      return record.scoreAfter > record.scoreBefore
        ? `✓ ${idea} → ${split} ${pct(record.scoreBefore)}→${pct(record.scoreAfter)}`
        : `✓ ${idea} → kept ${split} at ${pct(record.scoreAfter)}, gained on the other split`;
    case 'lateral':
      return `✗ ${idea} → no change on any split (${split} ${pct(score)}): recorded, not adopted`;
    case 'rejected':
      if (score === undefined) return undefined;
      return score < record.scoreBefore
        ? `✗ ${idea} → ${split} fell to ${pct(score)}${c.broken.length ? `, broke ${c.broken.length} case(s)` : ''}`
        : `✗ ${idea} → no gain (${pct(score)})`;
    case 'hurts_validation':
      return `✗ ${idea} → train ${pct(record.scoreBefore)}→${pct(c.train?.score)} but validation fell: did not generalize`;
    case 'breaks_train':
      return `✗ ${idea} → broke ${c.broken.length} train case(s)`;
    case 'not_significant':
      return `✗ ${idea} → gain not significant`;
    case 'invalid':
      return `✗ ${c.reason}`;
    case 'unscored':
      return undefined; // the provider failed, not the idea: nothing learned
    case 'screened_out':
      return `✗ ${idea} → no gain over its parent on a minibatch (${pct(c.minibatch?.score)} vs ${pct(c.minibatch?.bar)})`;
  }
}

function addLesson(lessons: string[], lesson: string): void {
  const key = normalize(lesson);
  const existing = lessons.findIndex((l) => normalize(l) === key);
  if (existing >= 0) lessons.splice(existing, 1);
  lessons.push(lesson);
}

function normalize(lesson: string): string {
  return lesson.toLowerCase().replace(/\d+%/g, '#').replace(/\s+/g, ' ').trim();
}

function summarize(record: IterationRecord): IterationSummary {
  const accepted = record.candidates.find((c) => c.candidate.id === record.acceptedId);
  const best = accepted ?? bestRejected(record.candidates);
  return {
    iteration: record.iteration,
    phase: record.phase,
    accepted: accepted !== undefined,
    change: best ? shorten(best.candidate.hypothesis, 200) : 'no valid candidate',
    targetIssues: best?.candidate.direction ?? '',
    scoreBefore: record.scoreBefore,
    scoreAfter: record.scoreAfter,
    fixed: best?.fixed.length ?? 0,
    broken: best?.broken.length ?? 0,
  };
}

function bestRejected(candidates: CandidateRecord[]): CandidateRecord | undefined {
  return [...candidates]
    .filter((c) => c.train)
    .sort((a, b) => (b.train?.score ?? 0) - (a.train?.score ?? 0))[0];
}

/** The memory block of a meta-prompt. */
export function formatMemory(memory: OptimizationMemory): string {
  if (memory.lessons.length === 0 && memory.recent.length === 0) return 'No earlier iterations yet.';
  const pct = formatPercent;
  const lines = ['Accumulated lessons:'];
  lines.push(...(memory.lessons.length ? memory.lessons.map((l) => `• ${l}`) : ['• (none yet)']));
  lines.push('', `Recent iterations (last ${RECENT_ITERATIONS}):`);
  for (const r of memory.recent) {
    lines.push(
      `Iteration ${r.iteration} (${r.phase}): ${r.accepted ? '✓ ACCEPTED' : '✗ REJECTED'}`,
      `  Change made: ${r.change}`,
      ...(r.targetIssues ? [`  Target issues: ${r.targetIssues}`] : []),
      `  Result: ${pct(r.scoreBefore)} → ${pct(r.scoreAfter)}; fixed ${r.fixed}, broke ${r.broken}`,
    );
  }
  return lines.join('\n');
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
