/**
 * Stop rules, each defined once and listed per phase: a phase runs iterations until the first rule
 * that fires. The training phase's reason is the run's stop reason. A spent budget is not a rule
 * here: the budget gate refuses the call that would exceed it, and the engine ends the run from
 * there (keeping the best version so far).
 */
import type { RunState, StopReason } from '../types.js';

export interface StopRule {
  readonly name: StopReason;
  fires(state: RunState): boolean;
}

/** The phase's split is at 100%: nothing left to fix there. */
export function converged(split: 'train' | 'validation'): StopRule {
  return { name: 'converged', fires: (state) => (split === 'train' ? state.current.train.score : state.current.validation?.score ?? 1) >= 1 };
}

/** The phase ran its iterations. */
export function maxIterations(limit: number): StopRule {
  return { name: 'max_iterations', fires: (state) => state.iteration >= limit };
}

/** `limit` iterations in a row adopted nothing. */
export function patience(limit: number): StopRule {
  return { name: 'patience', fires: (state) => state.stale >= limit };
}

/** The first rule that fires, or undefined to run another iteration. */
export function firstStop(rules: readonly StopRule[], state: RunState): StopReason | undefined {
  return rules.find((rule) => rule.fires(state))?.name;
}
