/**
 * The per-case Pareto front (after GEPA): for every train case, the best score any candidate reached
 * on it and the candidates that reached it (ties allowed). A candidate stays while it is best on at
 * least one case. A case no candidate scores on has no best (GEPA counts every candidate tied there,
 * which keeps them all); while no case has one, the front holds the best candidate on train alone. Parents are sampled among the members no other member dominates (GEPA's
 * `remove_dominated_programs`: a member is dominated when every case it is best on has another
 * remaining best member too; the lowest train scores are tried first), each with probability
 * proportional to the number of cases it is best on. Plain data in, plain data out: the state is
 * checkpointed as it is, so a resumed run samples from exactly the same front.
 */
import type { CaseScores } from '../types.js';

export interface FrontMember {
  id: string;
  prompt: string;
  /** Its score on the whole train split. */
  train: number;
  parents: string[];
}

/** The best score on one case, and who reached it. */
export interface CaseBest {
  score: number;
  winners: string[];
}

export interface FrontState {
  members: FrontMember[];
  best: Record<string, CaseBest>;
}

/** Scores within this count as a tie. */
const EPSILON = 1e-9;

export class ParetoFront {
  private list: FrontMember[] = [];
  private best = new Map<string, CaseBest>();

  get members(): readonly FrontMember[] {
    return this.list;
  }

  has(id: string): boolean {
    return this.list.some((m) => m.id === id);
  }

  /**
   * Adds a candidate scored on the whole train split. It joins when it is best (or tied best) on at
   * least one case; members it beats on every case they were best on leave. Returns whether it joined.
   */
  add(member: FrontMember, scores: CaseScores): boolean {
    if (this.has(member.id) || this.list.some((m) => m.prompt === member.prompt)) return false;
    for (const [caseId, score] of scores) {
      if (score <= EPSILON) continue; // nothing right there: no claim to be best on it
      const best = this.best.get(caseId);
      if (!best || score > best.score + EPSILON) this.best.set(caseId, { score, winners: [member.id] });
      else if (Math.abs(score - best.score) <= EPSILON) best.winners.push(member.id);
    }
    this.list.push(member);
    const winning = new Set([...this.best.values()].flatMap((b) => b.winners));
    if (winning.size === 0) {
      // Nobody is right on any case yet: the best on train stands in (the first of equals).
      this.list = [this.list.reduce((top, m) => (m.train > top.train ? m : top))];
      return this.list[0] === member;
    }
    this.list = this.list.filter((m) => winning.has(m.id));
    return winning.has(member.id);
  }

  /** Case ids a member is best (or tied best) on. */
  winsOf(id: string): string[] {
    return [...this.best].filter(([, b]) => b.winners.includes(id)).map(([caseId]) => caseId);
  }

  /** Of `caseIds`, those where the member scores below full credit: all but the cases it is best on at full credit. */
  shortfallsOf(id: string, caseIds: readonly string[]): Set<string> {
    const solved = (caseId: string) => {
      const best = this.best.get(caseId);
      return best !== undefined && best.winners.includes(id) && best.score >= 1 - EPSILON;
    };
    return new Set(caseIds.filter((caseId) => !solved(caseId)));
  }

  /** The members no other member dominates (GEPA's dominated-program removal). */
  nonDominated(): FrontMember[] {
    const order = this.list.map((m, index) => ({ m, index })).sort((a, b) => a.m.train - b.m.train || a.index - b.index);
    const removed = new Set<string>();
    const fronts = [...this.best.values()].map((b) => b.winners);
    const dominated = (id: string) =>
      fronts.filter((winners) => winners.includes(id)).every((winners) => winners.some((w) => w !== id && !removed.has(w)));
    for (let found = true; found; ) {
      found = false;
      for (const { m } of order) {
        if (removed.has(m.id) || !dominated(m.id)) continue;
        removed.add(m.id);
        found = true;
        break;
      }
    }
    return this.list.filter((m) => !removed.has(m.id));
  }

  /** Per non-dominated member: the cases it is best on among the non-dominated members (its sampling weight). */
  weights(): Map<string, number> {
    const kept = new Set(this.nonDominated().map((m) => m.id));
    const weights = new Map<string, number>([...kept].map((id) => [id, 0]));
    for (const b of this.best.values()) for (const id of b.winners) if (kept.has(id)) weights.set(id, weights.get(id)! + 1);
    return weights;
  }

  /** A parent, with probability proportional to the cases it is best on (among the non-dominated). */
  sample(random: () => number): FrontMember {
    return pickWeighted(this.list, this.weights(), random) ?? this.list[0]!;
  }

  get isEmpty(): boolean {
    return this.list.length === 0;
  }

  /**
   * Two members to merge: the first sampled like a parent, the second (likewise weighted) among those
   * that are best on a case the first is not, while the first is best on a case it is not. Undefined
   * when no such pair exists.
   */
  samplePair(random: () => number): { a: FrontMember; b: FrontMember; onlyA: string[]; onlyB: string[] } | undefined {
    const weights = this.weights();
    const a = pickWeighted(this.list, weights, random);
    if (!a) return undefined;
    const winsA = new Set(this.winsOf(a.id));
    const differing = new Map<string, { onlyA: string[]; onlyB: string[] }>();
    for (const m of this.list) {
      if (m.id === a.id || !weights.has(m.id)) continue;
      const winsB = new Set(this.winsOf(m.id));
      const onlyA = [...winsA].filter((c) => !winsB.has(c));
      const onlyB = [...winsB].filter((c) => !winsA.has(c));
      if (onlyA.length > 0 && onlyB.length > 0) differing.set(m.id, { onlyA, onlyB });
    }
    const b = pickWeighted(
      this.list.filter((m) => differing.has(m.id)),
      weights,
      random,
    );
    return b ? { a, b, ...differing.get(b.id)! } : undefined;
  }

  snapshot(): FrontState {
    return { members: this.list.map((m) => ({ ...m, parents: [...m.parents] })), best: Object.fromEntries([...this.best].map(([id, b]) => [id, { score: b.score, winners: [...b.winners] }])) };
  }

  static restore(state: unknown): ParetoFront {
    const front = new ParetoFront();
    const s = state as Partial<FrontState> | null;
    if (!s || !Array.isArray(s.members) || typeof s.best !== 'object' || s.best === null) return front;
    front.list = s.members.map((m) => ({ ...m, parents: [...m.parents] }));
    front.best = new Map(Object.entries(s.best).map(([id, b]) => [id, { score: b.score, winners: [...b.winners] }]));
    return front;
  }
}

/** One of `items` (in their order) with probability proportional to its weight; undefined when no weight is positive. */
function pickWeighted<T extends { id: string }>(items: readonly T[], weights: ReadonlyMap<string, number>, random: () => number): T | undefined {
  const weighted = items.filter((item) => (weights.get(item.id) ?? 0) > 0);
  const total = weighted.reduce((sum, item) => sum + weights.get(item.id)!, 0);
  if (total === 0) return undefined;
  let at = random() * total;
  for (const item of weighted) {
    at -= weights.get(item.id)!;
    if (at < 0) return item;
  }
  return weighted.at(-1);
}
