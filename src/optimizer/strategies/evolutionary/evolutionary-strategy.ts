/**
 * Evolutionary search: a population of up to N prompts. Each generation asks the optimizer model for
 * N children: crossovers of two parents (both in the request) and mutations of one; the best N of
 * parents and children survive (elitism, so the best score never drops).
 */
import { seededRandom } from '../../../util/seeded-random.js';
import type { CandidateRecord, CurrentPrompt } from '../../types.js';
import type { Proposal, ProposalContext, Strategy } from '../types.js';

interface Member {
  id: string;
  prompt: string;
  score: number;
}

const pct = (n: number) => `train ${(n * 100).toFixed(1)}%`;

export class EvolutionaryStrategy implements Strategy {
  readonly name = 'evolutionary' as const;
  private population: Member[] = [];

  constructor(private readonly size: number, private readonly seed: number) {}

  propose(context: ProposalContext): Proposal[] {
    this.ensureSeeded(context.current);
    const random = seededRandom(this.seed * 1000 + context.iteration);
    const ranked = [...this.population].sort((a, b) => b.score - a.score);
    const proposals: Proposal[] = [];
    for (let i = 0; i < context.candidates; i++) {
      const crossover = ranked.length >= 2 && i % 2 === 1;
      if (crossover) {
        const [a, b] = pickTwo(ranked, random);
        const direction = 'Crossover: keep the instructions that make each parent succeed, drop what makes either fail.';
        proposals.push({
          request: {
            kind: 'crossover',
            parentA: a.prompt,
            scoreA: pct(a.score),
            parentB: b.prompt,
            scoreB: pct(b.score),
            feedback: context.feedbackFor(a.id) ?? context.feedback,
            direction,
          },
          origin: 'crossover',
          direction,
          parents: [a.id, b.id],
        });
      } else {
        const parent = tournament(ranked, random);
        const direction = MUTATIONS[(context.iteration + i) % MUTATIONS.length]!;
        proposals.push({
          request: {
            kind: 'mutation',
            parent: parent.prompt,
            parentScore: pct(parent.score),
            feedback: context.feedbackFor(parent.id) ?? context.feedback,
            memory: context.memory,
            direction,
          },
          origin: 'mutation',
          direction,
          parents: [parent.id],
        });
      }
    }
    return proposals;
  }

  observe(records: CandidateRecord[], current: CurrentPrompt): void {
    this.ensureSeeded(current);
    for (const r of records) {
      if (r.train && r.status !== 'invalid' && r.status !== 'hurts_validation') this.population.push({ id: r.candidate.id, prompt: r.candidate.prompt, score: r.train.score });
    }
    this.population = this.population.sort((a, b) => b.score - a.score || a.prompt.length - b.prompt.length).slice(0, this.size);
  }

  snapshot(): unknown {
    return { population: this.population };
  }

  restore(state: unknown): void {
    const population = (state as { population?: Member[] } | null)?.population;
    if (Array.isArray(population)) this.population = population;
  }

  members(): readonly Member[] {
    return this.population;
  }

  private ensureSeeded(current: CurrentPrompt): void {
    if (this.population.length === 0) this.population.push({ id: current.candidateId, prompt: current.prompt, score: current.train.score });
  }
}

const MUTATIONS = [
  'Mutation: add or sharpen decision rules for the largest failure group.',
  'Mutation: tighten the output format instructions.',
  'Mutation: reorganize the prompt so the most important instruction comes first.',
  'Mutation: remove instructions that do not help and clarify the ones that do.',
];

function tournament(ranked: Member[], random: () => number): Member {
  const a = ranked[Math.floor(random() * ranked.length)]!;
  const b = ranked[Math.floor(random() * ranked.length)]!;
  return a.score >= b.score ? a : b;
}

function pickTwo(ranked: Member[], random: () => number): [Member, Member] {
  const first = tournament(ranked, random);
  const others = ranked.filter((m) => m.id !== first.id);
  return [first, tournament(others, random)];
}
