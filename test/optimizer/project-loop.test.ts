import { describe, expect, it } from 'vitest';
import { projectLoop } from '../../src/optimizer/project-loop.js';
import { ITERATION_CALLS } from '../../src/optimizer/strategies/iteration-calls.js';

const settings = { candidates: 3, maxIterations: 8, validationIterations: 2, patience: 2, minibatch: 4 };
const sizes = { train: 20, validation: 10, test: 10 };

describe('projectLoop: the calls of the configured loop, per scenario', () => {
  it('low stops after one iteration; expected adopts for patience iterations then waits patience; high runs every iteration', () => {
    const runs = projectLoop('iterative', settings, sizes);
    expect(runs.low).toMatchObject({ trainingIterations: 1, validationIterations: 0, optimizerCalls: 3 });
    expect(runs.low.candidateEvaluations).toEqual({ train: 3, validation: 1 });
    expect(runs.expected).toMatchObject({ trainingIterations: 4, validationIterations: 2, optimizerCalls: 4 * 3 + 2 * 3 });
    // Half the candidates (rounded up) reach validation.
    expect(runs.expected.candidateEvaluations).toEqual({ train: 4 * 3 + 2 * 3, validation: 4 * 2 + 2 * 2 });
    expect(runs.high).toMatchObject({ trainingIterations: 8, validationIterations: 2, optimizerCalls: 30 });
    expect(runs.high.candidateEvaluations).toEqual({ train: 30, validation: 30 });
    // worst: the same run, every optimizer reply asked for twice.
    expect(runs.worst.optimizerCalls).toBe(60);
    for (const run of Object.values(runs)) {
      expect(run.baselineEvaluations).toEqual({ train: 1, validation: 1 });
      expect(run.testEvaluations).toBe(1);
    }
  });

  it('no validation split: no validation phase and no validation evaluations', () => {
    const runs = projectLoop('iterative', settings, { ...sizes, validation: 0 });
    expect(runs.high).toMatchObject({ validationIterations: 0, optimizerCalls: 24, candidateEvaluations: { train: 24, validation: 0 } });
    expect(runs.high.baselineEvaluations.validation).toBe(0);
  });

  it('patience longer than the run: expected runs every training iteration', () => {
    expect(projectLoop('iterative', { ...settings, patience: 5 }, sizes).expected.trainingIterations).toBe(8);
  });

  it('every strategy has a call pattern; pareto scores its parents on a minibatch per request', () => {
    for (const strategy of Object.keys(ITERATION_CALLS) as (keyof typeof ITERATION_CALLS)[]) {
      const runs = projectLoop(strategy, settings, sizes);
      expect(runs.high.optimizerCalls, strategy).toBe(30);
      expect(runs.high.screenedCases, strategy).toBe(strategy === 'pareto' ? 8 * 3 * 4 : 0);
    }
    expect(Object.keys(ITERATION_CALLS).sort()).toEqual(['evolutionary', 'hybrid', 'iterative', 'opro', 'pareto']);
  });
});
