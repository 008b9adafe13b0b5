/**
 * `--strategy opro` end to end against the fake server, checked against what the server received:
 * each step samples one meta-prompt N times (at a temperature, where the model takes one), and that
 * meta-prompt lists earlier prompts in ascending order of score with their train scores (the scores
 * the target's answers give them), then a few training exemplars: train cases only.
 *
 * The optimizer is reached through the OpenAI wire format here (openai-compatible), so the request
 * body carries the temperature. The scripted optimizer adds a rule to the best earlier prompt (the
 * last listed) for a label it has none for, a different one per sample.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir } from './helpers/cli.js';
import {
  group,
  hasRule,
  optimize,
  optimizeSpec,
  readCheckpointOf,
  reply,
  START_PROMPT,
  startWorld,
  withRules,
  writeTask,
  type OptimizerScript,
  type OptimizeWorld,
  type TaskCase,
} from './helpers/optimize-harness.js';
import { caseScores, promptKey, sectionOf, targetEvidence } from './helpers/strategy-evidence.js';

const LABELS = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
const TRAIN: TaskCase[] = LABELS.flatMap((label) => group(label, 'train', 2));
const VALIDATION: TaskCase[] = [...group('alpha', 'validation', 1), ...group('bravo', 'validation', 1)];
const TEST: TaskCase[] = [...group('alpha', 'test', 1), ...group('zulu', 'test', 1)];
const CASES = [...TRAIN, ...VALIDATION, ...TEST];

/** The best listed prompt plus a rule for a label it lacks: which one depends on the sample (the request count). */
const oproScript: OptimizerScript = (r) => {
  const best = r.current!;
  const missing = LABELS.filter((l) => !hasRule(best, l));
  const label = missing[r.n % Math.max(1, missing.length)];
  return reply(label ? withRules(best, [label]) : `${best.trimEnd()}\nAgain ${r.n}`, `add a rule for ${label ?? 'nothing'}`);
};

let dir: string;
let world: OptimizeWorld | undefined;

beforeEach(async () => {
  dir = await makeTempDir('promptopt-opt-opro-');
});

afterEach(async () => {
  await world?.close();
  world = undefined;
  await removeDir(dir);
});

describe('optimize --strategy opro', () => {
  test('several samples of one meta-prompt per step; earlier prompts in ascending score order with their scores; train exemplars only', async () => {
    world = await startWorld({ cases: CASES, optimizer: oproScript });
    await writeTask(
      dir,
      optimizeSpec(CASES, {
        optimizer: { strategy: 'opro', provider: 'openai-compatible', candidates: 2, max_iterations: 3, patience: 3, seed: 5 },
      }),
    );
    const result = await optimize(world, dir, ['--json', '--no-cache']);
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJsonOut(result);
    expect(summary.strategy).toBe('opro');
    const checkpoint = (await readCheckpointOf(dir))!;
    const iterations = checkpoint.iterations as { iteration: number; candidates: { candidate: { id: string; prompt: string; origin: string }; status: string; train?: { score: number } }[] }[];
    expect(iterations).toHaveLength(3);
    const evidence = targetEvidence(world);
    const trainScore = (prompt: string) => {
      const scores = caseScores(evidence, prompt, TRAIN)!;
      return [...scores.values()].reduce((a, b) => a + b, 0) / TRAIN.length;
    };
    const requests = world.optimizerRequests();
    expect(requests).toHaveLength(3 * 2);
    const scoredSoFar: string[] = [START_PROMPT];
    iterations.forEach((it, index) => {
      const samples = requests.slice(2 * index, 2 * index + 2);
      // One meta-prompt, sampled twice, at temperature 1 (OPRO's).
      expect(samples[1]!.text).toBe(samples[0]!.text);
      for (const s of samples) expect(JSON.parse(s.body).temperature).toBe(1);
      expect(it.candidates.map((c) => c.candidate.origin)).toEqual(['sample', 'sample']);
      expect(new Set(it.candidates.map((c) => c.candidate.prompt)).size).toBe(2); // the samples differ

      const text = samples[0]!.text;
      const listed = [...sectionOf(text, 'Earlier prompts and their scores').matchAll(/<scored_prompt>\n([\s\S]*?)\n<\/scored_prompt>\nscore: ([\d.]+)%/g)].map((m) => ({
        prompt: m[1]!,
        score: Number(m[2]),
      }));
      // Every prompt scored so far, each with the train score the target's answers give it, lowest first.
      expect(listed.map((l) => promptKey(l.prompt)).sort()).toEqual([...new Set(scoredSoFar.map(promptKey))].sort());
      for (const l of listed) expect(l.score).toBeCloseTo(Math.round(trainScore(l.prompt) * 1000) / 10, 5);
      expect(listed.map((l) => l.score)).toEqual([...listed.map((l) => l.score)].sort((a, b) => a - b));
      expect(listed.at(-1)!.score).toBe(Math.max(...listed.map((l) => l.score)));

      // Three training exemplars: input and expected output, no model output; train cases only.
      const exemplars = sectionOf(text, 'Training exemplars');
      const ids = [...exemplars.matchAll(/^- case (\S+)/gm)].map((m) => m[1]!);
      expect(ids).toHaveLength(3);
      for (const id of ids) expect(TRAIN.map((c) => c.id)).toContain(id);
      expect(exemplars).not.toMatch(/actual:|now answered:/);
      for (const c of [...VALIDATION, ...TEST]) expect(text).not.toContain(c.input);

      for (const c of it.candidates) if (c.train) scoredSoFar.push(c.candidate.prompt);
    });
    // The exemplars are drawn anew each step.
    expect(new Set(iterations.map((_, i) => sectionOf(requests[2 * i]!.text, 'Training exemplars'))).size).toBeGreaterThan(1);
    // The history survives in the checkpoint: the scored prompts, best first.
    const history = (checkpoint.strategyState as { scored: { prompt: string; score: number }[] }).scored;
    expect(history.map((h) => promptKey(h.prompt)).sort()).toEqual([...new Set(scoredSoFar.map(promptKey))].sort());
    expect(history.map((h) => h.score)).toEqual([...history.map((h) => h.score)].sort((a, b) => b - a));
    expect(summary.scores.final.train.score).toBeGreaterThan(summary.scores.start.train.score);
  });
});
