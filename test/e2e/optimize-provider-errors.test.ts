/**
 * `promptopt optimize` never counts a provider error as a prompt's failure. A candidate hit by one
 * (after retries) stays unscored and says so; the run still converges and its report lists every
 * case. When the starting prompt, the current prompt or the held-out test split cannot be scored,
 * or the target endpoint is down, or --deadline passes, the run stops with exit 3 and a resume hint,
 * and `--resume` finishes it once the provider is back. Target `max_retries: 0` (the harness
 * default), so one injected 500 is one provider error.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir } from './helpers/cli.js';
import {
  fixShown,
  group,
  optimize,
  optimizeSpec,
  OPTIMIZER_MARKER,
  readCheckpointOf,
  readJson,
  runDirs,
  startWorld,
  writeTask,
  type OptimizeWorld,
  type TaskCase,
} from './helpers/optimize-harness.js';
import { closedPortUrl, type Fault, type FakeRequest } from '../support/fake-llm-server.js';

const CASES: TaskCase[] = [
  ...group('alpha', 'train', 3),
  ...group('bravo', 'train', 3),
  ...group('alpha', 'validation', 1),
  ...group('bravo', 'test', 2),
];
const caseOf = (id: string) => CASES.find((c) => c.id === id)!;

let world: OptimizeWorld;
let dir: string;
beforeEach(async () => {
  world = await startWorld({ cases: CASES, optimizer: fixShown });
  dir = await makeTempDir('promptopt-opt-errors-');
});
afterEach(async () => {
  await world.close();
  await removeDir(dir);
});

function targetText(request: FakeRequest): string | undefined {
  if ((request.system ?? '').includes(OPTIMIZER_MARKER)) return undefined;
  return [request.system ?? '', ...request.messages.map((m) => m.content)].join('\n');
}

/** A 500 for target requests about `caseId` whose prompt passes `promptTest`, `times` times. */
function failTarget(caseId: string, promptTest: (text: string) => boolean, times = 1): (request: FakeRequest) => Fault | null {
  let left = times;
  return (request) => {
    const text = targetText(request);
    if (!text || !text.includes(caseOf(caseId).input) || !promptTest(text) || left === 0) return null;
    left -= 1;
    return { status: 500 };
  };
}

const hasRules = (text: string) => text.includes('RULE:');
const spec = (extra: Record<string, unknown> = {}) => optimizeSpec(CASES, { optimizer: { max_iterations: 3 }, ...extra });

function trajectoryRow(report: Record<string, any>, iteration: number): Record<string, any> {
  return (report.trajectory as Record<string, any>[]).find((t) => t.iteration === iteration && t.phase === 'train')!;
}

describe('optimize: provider errors are never failures', () => {
  test('a candidate hit by one stays unscored (and says so); the run converges and reports every case', async () => {
    world.server.setFaults(failTarget('tr-alpha-01', hasRules));
    await writeTask(dir, spec());
    const result = await optimize(world, dir, []);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/train iteration 1: candidate i1c1 not scored: 1 train case\(s\) failed with provider errors after retries \(first: tr-alpha-01: openai-compatible: 500/);
    expect(result.stderr).not.toContain('not in the response cache');

    const [runDir] = await runDirs(dir);
    const report = await readJson(join(runDir!, 'report.json'));
    expect(report.stop_reason ?? report.stopReason).toBe('converged');
    const first = trajectoryRow(report, 1);
    expect(first.candidates).toEqual([expect.objectContaining({ id: 'i1c1', status: 'unscored', reason: expect.stringMatching(/^not scored: 1 train case/) })]);
    expect(first.candidates[0].train).toBeUndefined();
    expect(first.accepted).toBeUndefined();
    // The same prompt, proposed again, is scored in full (the failed case asked again) and accepted.
    expect(trajectoryRow(report, 2).candidates).toEqual([expect.objectContaining({ status: 'accepted', train: 1 })]);

    const saved = await readJson(join(runDir!, 'cases.json'));
    expect((saved.cases as Record<string, unknown>[]).map((c) => c.case_id).sort()).toEqual(CASES.map((c) => c.id).sort());
    expect((saved.cases as Record<string, any>[]).every((c) => c.pass)).toBe(true);
  });

  test('the starting prompt cannot be scored: exit 3 with a resume hint; --resume finishes once the provider is back', async () => {
    world.server.setFaults(failTarget('tr-bravo-02', (text) => !hasRules(text)));
    await writeTask(dir, spec());
    const stopped = await optimize(world, dir, ['--json']);
    expect(stopped.code, stopped.stderr).toBe(3);
    const { error } = parseJsonOut(stopped);
    expect(error.code).toBe('NOT_SCORED');
    expect(error.message).toMatch(/^the starting prompt could not be scored on train: 1 train case\(s\) failed with provider errors after retries \(first: tr-bravo-02: /);
    expect(error.hint).toMatch(/checkpoint saved; continue with: promptopt optimize task\.yaml --resume \S+/);
    expect((await readCheckpointOf(dir))?.phase).toBe('baseline');

    const resumed = await optimize(world, dir, ['--json', '--resume', 'latest']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(parseJsonOut(resumed)).toMatchObject({ stop_reason: 'converged', scores: { start: { train: { passed: 0, total: 6 } }, final: { train: { score: 1 }, test: { score: 1 } } } });
  });

  test('the held-out test split cannot be scored: exit 3, and --resume scores only the test', async () => {
    world.server.setFaults(failTarget('te-bravo-01', hasRules));
    await writeTask(dir, spec());
    const stopped = await optimize(world, dir, ['--json']);
    expect(stopped.code, stopped.stderr).toBe(3);
    expect(parseJsonOut(stopped).error.message).toMatch(/^the final prompt \(v2\) could not be scored on test: 1 test case\(s\) failed/);
    const checkpoint = await readCheckpointOf(dir);
    expect(checkpoint).toMatchObject({ phase: 'test' });
    expect(checkpoint?.test).toBeUndefined();

    const before = world.targetRequests().length;
    const resumed = await optimize(world, dir, ['--json', '--resume', 'latest']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(parseJsonOut(resumed).scores.final.test).toEqual({ score: 1, passed: 2, total: 2, pass_rate: 1, mean_score: 1, unchecked: 0 });
    expect(world.optimizerRequests().length).toBe(1); // no new iteration
    expect(world.targetRequests().length - before).toBe(1); // only the failed test case was asked again
  });
});

describe('optimize: outages and deadlines keep the checkpoint', () => {
  test('a dead target endpoint: exit 3 at once, one message with a resume hint', async () => {
    await writeTask(dir, spec({ target: { base_url: `${await closedPortUrl()}/v1`, max_retries: 50, retry_delay_ms: 5, unreachable_after_ms: 150 } }));
    const stopped = await optimize(world, dir, ['--json']);
    expect(stopped.code, stopped.stderr).toBe(3);
    const { error } = parseJsonOut(stopped);
    expect(error.code).toBe('ENDPOINT_UNREACHABLE');
    expect(error.hint).toMatch(/unreachable_after_ms.*; checkpoint saved; continue with: promptopt optimize task\.yaml --resume \S+/);
    expect(await readCheckpointOf(dir)).toMatchObject({ phase: 'baseline' });
  });

  test('--deadline: exit 3 with a resume hint; --resume finishes the run', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    world.setHold((arrival) => (arrival.role === 'optimizer' ? held : undefined)); // the optimizer "thinks" forever
    await writeTask(dir, spec());
    const stopped = await optimize(world, dir, ['--json', '--deadline', '0.5s']);
    expect(stopped.code, stopped.stderr).toBe(3);
    const { error } = parseJsonOut(stopped);
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', message: '--deadline 0.5s reached: the run stopped before it finished' });
    expect(error.hint).toMatch(/^checkpoint saved; continue with: promptopt optimize task\.yaml --resume \S+$/);
    expect(await readCheckpointOf(dir)).toMatchObject({ phase: 'train' });

    world.setHold(undefined);
    release();
    const resumed = await optimize(world, dir, ['--json', '--resume', 'latest']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(parseJsonOut(resumed).stop_reason).toBe('converged');
  });
});
