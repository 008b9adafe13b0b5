/**
 * Pareto (after GEPA, "Reflective Prompt Evolution Can Outperform Reinforcement Learning", 2025):
 * keeps every candidate that is best on at least one train case (pareto-front.ts). Each proposal
 * samples a parent from the front, in proportion to the cases it wins, draws a minibatch of train
 * cases (seeded; one of them a case the parent fails), scores the parent there, and asks the
 * optimizer to reflect on those results. The child is screened on the same minibatch first (the
 * training plan's minibatch stage) and scored on the full split only if it beats its parent there.
 * With `merge` on, one proposal of the iteration merges two front members that win different cases,
 * screened on cases where they differ against the better of the two.
 */
import { formatPercent as pct } from '../../../util/format-percent.js';
import { seededRandom } from '../../../util/seeded-random.js';
import { unitHash } from '../../../util/hash.js';
import type { CandidateRecord, CandidateStatus, CurrentPrompt } from '../../types.js';
import type { CaseScores, Proposal, ProposalContext, Strategy } from '../types.js';
import { drawMergeMinibatch, drawMinibatch } from './draw-minibatch.js';
import { ParetoFront, type FrontMember } from './pareto-front.js';

export const REFLECT_DIRECTION =
  'Reflection: find in the minibatch what the task needs that the parent prompt does not say, and write it into the prompt as general instructions; keep what makes the passing cases pass.';
export const MERGE_DIRECTION =
  'Merge: each parent is the best on training cases the other gets wrong; combine the instructions that make each of them right into one prompt.';

/** Statuses whose train score does not make a front member: screened, failed, or known to hurt validation. */
const LEFT_OUT: ReadonlySet<CandidateStatus> = new Set(['invalid', 'unscored', 'screened_out', 'hurts_validation']);

type Plan = { kind: 'reflect'; parent: FrontMember; caseIds: string[] } | { kind: 'merge'; a: FrontMember; b: FrontMember; caseIds: string[] };

export class ParetoStrategy implements Strategy {
  readonly name = 'pareto' as const;
  private front = new ParetoFront();

  async propose(context: ProposalContext): Promise<Proposal[]> {
    this.seedFront(context);
    const random = seededRandom(Math.floor(unitHash(context.seed, `pareto:${context.iteration}`) * 0x1_0000_0000));
    const trainIds = context.results.cases.map((c) => c.caseId);
    const size = Math.max(1, context.minibatch);
    // With one candidate per iteration, every other iteration is a merge (when a pair exists).
    const mergeSlot = context.merge && (context.candidates >= 2 || context.iteration % 2 === 0) ? context.candidates - 1 : -1;
    // Every draw happens here, in order, before any evaluation: the same iteration always draws the same.
    const plans: Plan[] = [];
    for (let slot = 0; slot < context.candidates; slot++) {
      const pair = slot === mergeSlot ? this.front.samplePair(random) : undefined;
      if (pair) {
        plans.push({ kind: 'merge', a: pair.a, b: pair.b, caseIds: drawMergeMinibatch(trainIds, pair.onlyA, pair.onlyB, size, random) });
        continue;
      }
      const parent = this.front.sample(random);
      plans.push({ kind: 'reflect', parent, caseIds: drawMinibatch(trainIds, this.front.shortfallsOf(parent.id, trainIds), size, random) });
    }
    const describe = (m: FrontMember) => `train ${pct(m.train)}, best on ${this.front.winsOf(m.id).length} of ${trainIds.length} training cases`;
    const proposals = await Promise.all(
      plans.map((plan) => (plan.kind === 'merge' ? mergeProposal(context, plan, describe) : reflectProposal(context, plan, describe))),
    );
    return proposals.filter((p): p is Proposal => p !== undefined);
  }

  observe(records: CandidateRecord[], _current: CurrentPrompt, caseScores?: (candidateId: string) => CaseScores | undefined): void {
    for (const r of records) {
      const scores = caseScores?.(r.candidate.id);
      if (!r.train || LEFT_OUT.has(r.status) || !scores) continue;
      this.front.add({ id: r.candidate.id, prompt: r.candidate.prompt, train: r.train.score, parents: r.candidate.parents }, scores);
    }
  }

  snapshot(): unknown {
    return this.front.snapshot();
  }

  restore(state: unknown): void {
    this.front = ParetoFront.restore(state);
  }

  /** The front as it stands (tests, reports). */
  get paretoFront(): ParetoFront {
    return this.front;
  }

  /** The first iteration (or a checkpoint without a front): the current prompt alone. */
  private seedFront(context: ProposalContext): void {
    if (!this.front.isEmpty) return;
    const { current, results } = context;
    const scores = new Map(results.cases.map((c) => [c.caseId, c.score]));
    this.front.add({ id: current.candidateId, prompt: current.prompt, train: current.train.score, parents: [] }, scores);
  }
}

/** A reflection on the parent's minibatch results, gated on beating the parent there. */
async function reflectProposal(context: ProposalContext, plan: Extract<Plan, { kind: 'reflect' }>, describe: (m: FrontMember) => string): Promise<Proposal | undefined> {
  const { parent } = plan;
  const result = await context.evaluateTrainCases(parent.prompt, plan.caseIds);
  const cases = result.cases.filter((c) => !c.providerError);
  const bar = meanScore(cases);
  // Nothing to gain on a minibatch the parent already solves (only a parent at 100% has one).
  if (cases.length === 0 || bar >= 1) return undefined;
  const { feedback, passing } = context.feedbackOn(cases, `Minibatch results (the parent on ${cases.length} training cases)`);
  return {
    request: {
      kind: 'reflect',
      parent: parent.prompt,
      parentScore: describe(parent),
      minibatch: cases.length,
      feedback,
      ...(passing ? { constraints: passing } : {}),
      direction: REFLECT_DIRECTION,
    },
    origin: 'reflection',
    direction: REFLECT_DIRECTION,
    parents: [parent.id],
    gate: { caseIds: cases.map((c) => c.caseId), bar, rule: 'better' },
  };
}

/** A merge of two members, with parent A's results where they differ, gated on reaching the better parent there. */
async function mergeProposal(context: ProposalContext, plan: Extract<Plan, { kind: 'merge' }>, describe: (m: FrontMember) => string): Promise<Proposal | undefined> {
  const { a, b } = plan;
  const [resultA, resultB] = await Promise.all([context.evaluateTrainCases(a.prompt, plan.caseIds), context.evaluateTrainCases(b.prompt, plan.caseIds)]);
  const failed = new Set([...resultA.cases, ...resultB.cases].filter((c) => c.providerError).map((c) => c.caseId));
  const casesA = resultA.cases.filter((c) => !failed.has(c.caseId));
  const casesB = resultB.cases.filter((c) => !failed.has(c.caseId));
  if (casesA.length === 0) return undefined;
  const { feedback, passing } = context.feedbackOn(casesA, `Minibatch results (parent A on ${casesA.length} training cases where the parents differ)`);
  return {
    request: {
      kind: 'merge',
      parentA: a.prompt,
      scoreA: describe(a),
      parentB: b.prompt,
      scoreB: describe(b),
      minibatch: casesA.length,
      feedback,
      ...(passing ? { constraints: passing } : {}),
      direction: MERGE_DIRECTION,
    },
    origin: 'merge',
    direction: MERGE_DIRECTION,
    parents: [a.id, b.id],
    gate: { caseIds: casesA.map((c) => c.caseId), bar: Math.max(meanScore(casesA), meanScore(casesB)), rule: 'at_least' },
  };
}

function meanScore(cases: readonly { score: number }[]): number {
  return cases.length ? cases.reduce((sum, c) => sum + c.score, 0) / cases.length : 0;
}
