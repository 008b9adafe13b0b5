/**
 * `--strategy pareto` end to end against the fake server, checked against what the server received:
 * the run keeps a per-case front of train cases, samples parents from it, reflects on a minibatch that
 * holds a failure of the parent, and scores a child on its minibatch before the full split (a child
 * that does not beat its parent there never reaches the full split, and the report says so).
 *
 * The world: the target answers a case right iff the prompt has a `RULE:<label>` line for it. The
 * scripted optimizer adds a rule for one failing label of the minibatch it is shown (chosen by a hash
 * of the minibatch, so different minibatches fix different labels), except that it never fixes
 * `delta`: picking delta it changes nothing the target reads (such children must be screened out). A
 * merge unites both parents' rules.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli } from './helpers/cli.js';
import {
  group,
  optimize,
  optimizeSpec,
  readCheckpointOf,
  readJson,
  reply,
  START_PROMPT,
  startWorld,
  withRules,
  writeTask,
  type OptimizerScript,
  type OptimizeWorld,
  type TaskCase,
} from './helpers/optimize-harness.js';
import { caseScores, frontOf, promptKey, sectionOf, targetEvidence } from './helpers/strategy-evidence.js';

const TRAIN: TaskCase[] = ['alpha', 'bravo', 'charlie', 'delta'].flatMap((label) => group(label, 'train', 2));
const CASES: TaskCase[] = [...TRAIN, ...group('alpha', 'test', 1), ...group('echo', 'test', 1)];

/** Reflections fix one failing label shown (never delta); merges unite the parents' rules. */
export const paretoScript: OptimizerScript = (r) => {
  const parentB = /<parent_b>\n([\s\S]*?)\n<\/parent_b>/.exec(r.text)?.[1];
  if (parentB !== undefined) {
    const rulesB = parentB.split('\n').filter((l) => l.startsWith('RULE:')).map((l) => l.slice(5).trim());
    return reply(withRules(r.current!, rulesB), `merge: parent A plus ${rulesB.join(', ')}`);
  }
  const shown = sectionOf(r.text, 'Evaluation feedback on a minibatch');
  const failing = [...new Set([...shown.matchAll(/^\s*expected: "([^"]+)"/gm)].map((m) => m[1]!))].sort();
  const minibatch = [...r.text.matchAll(/^- case (\S+)/gm)].map((m) => m[1]!).sort().join(',');
  const label = failing[createHash('sha256').update(minibatch).digest()[0]! % Math.max(1, failing.length)];
  if (label === undefined || label === 'delta') return reply(`${r.current!.trimEnd()}\nTried: ${minibatch}`, 'a reflection that changes nothing the target reads');
  return reply(withRules(r.current!, [label]), `add a rule for ${label}`);
};

let dir: string;
let world: OptimizeWorld | undefined;

beforeEach(async () => {
  dir = await makeTempDir('promptopt-opt-pareto-');
});

afterEach(async () => {
  await world?.close();
  world = undefined;
  await removeDir(dir);
});

type Candidate = { id: string; prompt: string; origin: string; parents: string[] };
type Record_ = { candidate: Candidate; status: string; train?: { score: number }; minibatch?: { caseIds: string[]; score: number; bar: number; rule: string; passed: boolean; savedCalls: number } };

describe('optimize --strategy pareto', () => {
  test('a per-case front, parents sampled from it, children gated on a minibatch before the full split', async () => {
    world = await startWorld({ cases: CASES, optimizer: paretoScript });
    await writeTask(dir, optimizeSpec(CASES, { optimizer: { strategy: 'pareto', candidates: 2, max_iterations: 6, patience: 6, minibatch: 3, seed: 3 } }));
    // No response cache: every call the run makes reaches the server (an optimizer request repeated by a
    // later iteration would otherwise be served from the run's cache).
    const result = await optimize(world, dir, ['--json', '-j', '4', '--no-cache']);
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJsonOut(result);
    expect(summary.strategy).toBe('pareto');
    const checkpoint = (await readCheckpointOf(dir))!;
    const iterations = checkpoint.iterations as { iteration: number; candidates: Record_[]; acceptedId?: string }[];
    expect(iterations).toHaveLength(6);
    const evidence = targetEvidence(world);
    const records = iterations.flatMap((it) => it.candidates.map((c) => ({ ...c, iteration: it.iteration })));
    const promptOf = new Map<string, string>([['start', START_PROMPT], ...records.map((r) => [r.candidate.id, r.candidate.prompt] as [string, string])]);
    // The first candidate with a given prompt is the one the server's requests for that prompt belong to.
    const first = new Map<string, (typeof records)[number]>();
    for (const r of records) if (!first.has(promptKey(r.candidate.prompt))) first.set(promptKey(r.candidate.prompt), r);

    // --- the minibatch gate, as the server saw it ---
    const screened = records.filter((r) => r.status === 'screened_out');
    const passedGate = records.filter((r) => r.minibatch?.passed);
    expect(screened.length, 'some children did no better than their parent on the minibatch').toBeGreaterThan(0);
    expect(passedGate.length, 'some children passed the minibatch').toBeGreaterThan(0);
    for (const r of screened) {
      expect(r.train).toBeUndefined();
      expect(r.minibatch).toMatchObject({ passed: false, rule: r.candidate.origin === 'merge' ? 'at_least' : 'better', savedCalls: TRAIN.length - 3 });
      expect(r.minibatch!.caseIds).toHaveLength(3);
      const asked = new Set(evidence.get(promptKey(r.candidate.prompt))?.order ?? []);
      // Never the full split: at most its minibatch (less when an earlier child had the same prompt).
      for (const id of asked) expect(r.minibatch!.caseIds, `${r.candidate.id} was asked about ${id} outside its minibatch`).toContain(id);
      if (first.get(promptKey(r.candidate.prompt)) === r) expect([...asked].sort()).toEqual([...r.minibatch!.caseIds].sort());
    }
    for (const r of passedGate.filter((p) => first.get(promptKey(p.candidate.prompt)) === p)) {
      const trainIds = new Set(TRAIN.map((c) => c.id));
      const order = evidence.get(promptKey(r.candidate.prompt))!.order.filter((id) => trainIds.has(id)); // the final version is also tested
      // The minibatch first, then the rest of the split: each train case asked once.
      expect(new Set(order.slice(0, 3)), `${r.candidate.id} was not scored on its minibatch first`).toEqual(new Set(r.minibatch!.caseIds));
      expect([...order].sort()).toEqual(TRAIN.map((c) => c.id).sort());
      expect(r.train).toBeDefined();
    }
    // Every gate compares with its parent on the same cases, and a reflection's minibatch holds a case the parent fails.
    for (const r of records.filter((x) => x.minibatch)) {
      const parentScores = r.candidate.parents.map((p) => caseScores(evidence, promptOf.get(p)!, TRAIN)!);
      const parentMeans = parentScores.map((s) => r.minibatch!.caseIds.reduce((n, id) => n + s.get(id)!, 0) / r.minibatch!.caseIds.length);
      expect(r.minibatch!.bar).toBeCloseTo(Math.max(...parentMeans));
      if (r.candidate.origin === 'reflection') expect(parentScores[0]!.size && r.minibatch!.caseIds.some((id) => parentScores[0]!.get(id) === 0)).toBe(true);
    }

    // --- the per-case front ---
    const eligible = (r: (typeof records)[number]) => r.train !== undefined && !['screened_out', 'invalid', 'unscored', 'hurts_validation'].includes(r.status);
    const frontAfter = (iteration: number) => {
      const scored = new Map<string, Map<string, number>>([[promptKey(START_PROMPT), caseScores(evidence, START_PROMPT, TRAIN)!]]);
      for (const r of records.filter((x) => x.iteration <= iteration && eligible(x))) scored.set(promptKey(r.candidate.prompt), caseScores(evidence, r.candidate.prompt, TRAIN)!);
      return frontOf(scored);
    };
    const finalFront = frontAfter(6);
    const state = checkpoint.strategyState as { members: Candidate[]; best: Record<string, { score: number; winners: string[] }> };
    expect(new Set(state.members.map((m) => promptKey(m.prompt)))).toEqual(finalFront.members);
    expect(finalFront.members.size).toBeGreaterThan(1); // more than the current prompt: candidates that win other cases stay
    for (const [caseId, best] of finalFront.best) {
      expect(state.best[caseId]!.score).toBe(best.score);
      expect(new Set(state.best[caseId]!.winners.map((id) => promptKey(promptOf.get(id)!)))).toEqual(best.winners);
    }

    // --- parents come from the front of their time, and the requests carried them ---
    const optimizerRequests = world.optimizerRequests();
    let at = 0;
    let notCurrent = 0;
    let current = START_PROMPT;
    for (const it of iterations) {
      const front = frontAfter(it.iteration - 1);
      const sent = optimizerRequests.slice(at, at + it.candidates.length);
      at += it.candidates.length;
      const sentParents = sent.map((s) => promptKey(/<(?:current_prompt|parent_a)>\n([\s\S]*?)\n<\/(?:current_prompt|parent_a)>/.exec(s.text)![1]!)).sort();
      expect(sentParents).toEqual(it.candidates.map((c) => promptKey(promptOf.get(c.candidate.parents[0]!)!)).sort());
      for (const c of it.candidates) {
        expect(['reflection', 'merge']).toContain(c.candidate.origin);
        for (const parent of c.candidate.parents) expect(front.members, `${c.candidate.id}: parent ${parent} is not on the front`).toContain(promptKey(promptOf.get(parent)!));
        if (promptKey(promptOf.get(c.candidate.parents[0]!)!) !== promptKey(current)) notCurrent += 1;
      }
      if (it.acceptedId) current = promptOf.get(it.acceptedId)!;
    }
    expect(at).toBe(optimizerRequests.length);
    expect(notCurrent, 'some parent was a front member other than the current prompt').toBeGreaterThan(0);
    expect(records.some((r) => r.candidate.origin === 'merge')).toBe(true);

    // --- the report says what the screening saved ---
    const report = await readJson(summary.reports.json);
    expect(report.screening).toEqual({ screened: records.filter((r) => r.minibatch).length, screened_out: screened.length, saved_calls: screened.length * (TRAIN.length - 3) });
    expect(summary.screening).toEqual(report.screening);
    const rows = (report.trajectory as { candidates: { status: string; minibatch?: Record<string, unknown> }[] }[]).flatMap((t) => t.candidates);
    expect(rows.filter((c) => c.status === 'screened_out').every((c) => c.minibatch?.saved_calls === TRAIN.length - 3)).toBe(true);
  });

  test('interrupted during its third proposal and resumed, it ends where an uninterrupted run ends: the same candidates, front and final prompt', async () => {
    world = await startWorld({ cases: CASES, optimizer: paretoScript });
    const spec = optimizeSpec(CASES, { optimizer: { strategy: 'pareto', candidates: 2, max_iterations: 5, patience: 5, minibatch: 3, seed: 3 } });
    const other = await makeTempDir('promptopt-opt-pareto-whole-');
    try {
      await writeTask(other, spec);
      const whole = await optimize(world, other, ['--json', '-j', '1']);
      expect(whole.code, whole.stderr).toBe(0);

      await writeTask(dir, spec);
      const stop = new AbortController();
      let optimizerCalls = 0;
      world.setHold((a) => {
        if (a.role === 'optimizer' && ++optimizerCalls === 3) stop.abort();
        return undefined;
      });
      const first = await runCli(['optimize', 'task.yaml', '--json', '-j', '1'], { cwd: dir, env: world.env(), signal: stop.signal });
      world.setHold(undefined);
      expect(first.code, first.stderr).toBe(130);
      const interrupted = (await readCheckpointOf(dir))!;
      expect(interrupted.finished ?? false).toBe(false);

      const resumed = await optimize(world, dir, ['--resume', 'latest', '--json', '-j', '1']);
      expect(resumed.code, resumed.stderr).toBe(0);
      const [a, b] = [parseJsonOut(whole), parseJsonOut(resumed)];
      expect(b.best_version).toBe(a.best_version);
      expect(b.scores.final).toEqual(a.scores.final);
      const proposals = async (d: string) =>
        ((await readCheckpointOf(d))!.iterations as { candidates: Record_[] }[]).map((it) => it.candidates.map((c) => [c.candidate.prompt, c.status]));
      expect(await proposals(dir)).toEqual(await proposals(other));
      const meta = (d: string) => readJson(join(d, 'prompt-versions', `v${a.best_version}.json`));
      expect((await meta(dir)).scores).toEqual((await meta(other)).scores);
    } finally {
      await removeDir(other);
    }
  });
});
