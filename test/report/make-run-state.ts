import type { CandidateRecord, RunState, SplitScore } from '../../src/optimizer/types.js';
import type { ReportInput } from '../../src/report/types.js';

export const START_PROMPT = 'Classify the sentiment of: {{text}}\n';
export const FINAL_PROMPT = 'Classify the sentiment of the poem.\nAnswer with exactly one word: positive or negative.\n\n{{text}}\n';

function score(split: SplitScore['split'], passed: number, total: number, categories: SplitScore['categories'] = {}): SplitScore {
  return { split, passed, total, score: passed / total, categories, passedIds: [] };
}

const accepted: CandidateRecord = {
  candidate: { id: 'i1c1', prompt: FINAL_PROMPT, hypothesis: 'Ask for exactly one word to stop the chatty answers', origin: 'refine', parents: ['start'] },
  status: 'accepted',
  reason: 'train 50.0% -> 87.5%',
  train: score('train', 7, 8, { wrong_answer: 1 }),
  fixed: ['c1', 'c2', 'c3'],
  broken: [],
};

const rejected: CandidateRecord = {
  candidate: { id: 'i2c1', prompt: 'x {{text}}', hypothesis: 'Add two examples of mixed feelings', origin: 'refine', parents: ['i1c1'] },
  status: 'rejected',
  reason: 'no better than the current prompt',
  train: score('train', 6, 8),
  fixed: ['c4'],
  broken: ['c1', 'c2'],
};

const invalid: CandidateRecord = {
  candidate: { id: 'i2c2', prompt: 'no vars', hypothesis: 'Drop the template | simplify', origin: 'refine', parents: ['i1c1'] },
  status: 'invalid',
  reason: 'dropped the template variable {{text}}',
  fixed: [],
  broken: [],
};

export function makeRunState(overrides: Partial<RunState> = {}): RunState {
  const startTrain = score('train', 4, 8, { format_violation: 3, wrong_answer: 1 });
  const finalTrain = accepted.train!;
  return {
    schemaVersion: 1,
    runId: 'run-20250101-abc',
    specFile: '/work/task.yaml',
    specHash: 'hash',
    strategy: 'iterative',
    seed: 7,
    startedAt: '2025-01-01T10:00:00.000Z',
    finishedAt: '2025-01-01T10:01:23.000Z',
    phase: 'train',
    iteration: 2,
    stale: 1,
    start: { candidateId: 'start', prompt: START_PROMPT, version: 1, train: startTrain, validation: score('validation', 2, 4) },
    current: { candidateId: 'i1c1', prompt: FINAL_PROMPT, version: 2, train: finalTrain, validation: score('validation', 3, 4) },
    memory: {
      lessons: ['✓ asking for exactly one word fixed format violations', '✗ examples of mixed feelings broke two cases'],
      recent: [],
    },
    constraints: [],
    iterations: [
      { iteration: 1, phase: 'train', candidates: [accepted], acceptedId: 'i1c1', scoreBefore: 0.5, scoreAfter: 0.875, lateral: false, costUsd: 0.0021 },
      { iteration: 2, phase: 'train', candidates: [rejected, invalid], scoreBefore: 0.875, scoreAfter: 0.875, lateral: false, costUsd: 0.0013 },
    ],
    test: score('test', 4, 5),
    stopReason: 'patience',
    spend: [
      { role: 'target', model: 'sim-target', calls: 40, cacheHits: 8, inputTokens: 4000, outputTokens: 400, costUsd: 0, unknownCostCalls: 0, reservedCalls: 0, replayedCalls: 3, replayedUsd: 0, savedCalls: 5, savedUsd: 0 },
      { role: 'optimizer', model: 'claude-sonnet-4-5', calls: 2, cacheHits: 0, inputTokens: 3000, outputTokens: 1200, costUsd: 0.0268, unknownCostCalls: 0, reservedCalls: 0, replayedCalls: 0, replayedUsd: 0, savedCalls: 0, savedUsd: 0 },
    ],
    wallTimeMs: 83_000,
    ...overrides,
  };
}

export function makeReportInput(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    state: makeRunState(),
    task: { name: 'poem-sentiment', description: 'Label the sentiment of short poems.', specFile: '/work/task.yaml' },
    target: { provider: 'sim', model: 'sim-target', simulated: true },
    optimizerModel: { provider: 'anthropic', model: 'claude-sonnet-4-5', simulated: false },
    startPrompt: START_PROMPT,
    finalPrompt: FINAL_PROMPT,
    finalVersion: { version: 2, file: '/work/prompt-versions/v2.txt' },
    startVersion: 1,
    versionsDir: '/work/prompt-versions',
    runDir: '/work/.promptopt/runs/run-20250101-abc',
    callsMade: 42,
    cacheHits: 8,
    ...overrides,
  };
}
