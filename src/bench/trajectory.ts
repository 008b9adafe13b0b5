/**
 * The mean trajectory of a strategy on a task: the best validation score its runs had reached, as a
 * function of what they had spent (calls charged, or USD when the bench budgets dollars), averaged
 * over its runs on a shared grid. A run's score is a step function (it changes when an iteration
 * adopts a better version) and stays at its last value once the run has stopped.
 */
import type { RunRecord, TrajectoryPoint } from './types.js';

export type TrajectoryAxis = 'calls' | 'usd';

export interface MeanTrajectory {
  axis: TrajectoryAxis;
  /** The grid, from 0 to the most any run of the task spent. */
  xs: number[];
  strategies: { strategy: string; runs: number; means: number[] }[];
}

const GRID_POINTS = 41;

export function meanTrajectories(runsByStrategy: ReadonlyMap<string, readonly RunRecord[]>, startScore: number, axis: TrajectoryAxis): MeanTrajectory {
  const x = (p: TrajectoryPoint) => (axis === 'usd' ? p.usd : p.calls);
  const all = [...runsByStrategy.values()].flat();
  const maxX = Math.max(0, ...all.flatMap((run) => run.trajectory.map(x)));
  const xs = Array.from({ length: GRID_POINTS }, (_, i) => (maxX * i) / (GRID_POINTS - 1));
  const valueAt = (run: RunRecord, at: number) => {
    let score = startScore;
    for (const point of run.trajectory) {
      if (x(point) > at + 1e-12) break;
      score = point.score;
    }
    return score;
  };
  const strategies = [...runsByStrategy.entries()].map(([strategy, runs]) => ({
    strategy,
    runs: runs.length,
    means: xs.map((at) => (runs.length === 0 ? startScore : runs.reduce((sum, run) => sum + valueAt(run, at), 0) / runs.length)),
  }));
  return { axis, xs, strategies };
}
