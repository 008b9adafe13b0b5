/**
 * What `trace.jsonl` keeps, end to end through the CLI against the fake server: with `--trace full`
 * (the default) every call comes back with the exact request the server received while each long
 * text is stored once; `--trace calls` keeps the calls without request texts; `--trace off` writes
 * no trace; and a kill -9 right after a call leaves that call's line in the file.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { readTrace, type TraceCall } from '../../src/report/read-trace.js';
import type { TraceEntry } from '../../src/report/trace-entry.js';
import { exists, makeTempDir, parseJsonOut, removeDir } from './helpers/cli.js';
import {
  fixShownVariant,
  group,
  optimize,
  optimizeDetached,
  optimizeSpec,
  runDirs,
  START_PROMPT,
  startWorld,
  waitFor,
  writeTask,
  type OptimizeWorld,
  type TaskCase,
} from './helpers/optimize-harness.js';

const CASES: TaskCase[] = [
  ...group('alpha', 'train', 4),
  ...group('bravo', 'train', 4),
  ...group('charlie', 'train', 4),
  ...group('alpha', 'validation', 2),
  ...group('bravo', 'test', 2),
];

/** A prompt long enough (well over the inline limit) that the trace stores it and refers to it. */
const PREAMBLE = 'Support tickets arrive from customers of a hardware shop and must reach the one team that can act on them. ';
const PROMPT = `${PREAMBLE.repeat(4)}\n${START_PROMPT}`;
const spec = (optimizer: Record<string, unknown> = {}) => optimizeSpec(CASES, { prompt: PROMPT, optimizer: { candidates: 2, max_iterations: 2, ...optimizer } });

let dir: string;
let world: OptimizeWorld | undefined;

beforeEach(async () => {
  dir = await makeTempDir('promptopt-opt-trace-');
});

afterEach(async () => {
  await world?.close();
  world = undefined;
  await removeDir(dir);
});

/** A call's request texts as the harness records them: target system + messages; optimizer messages. */
const textOf = (call: TraceCall) => {
  const request = call.request as TraceEntry['request'];
  const messages = request.messages.map((m) => m.content);
  return (call.role === 'optimizer' ? messages : [request.system ?? '', ...messages]).join('\n');
};

async function onlyTrace(): Promise<{ file: string; text: string }> {
  const [run] = await runDirs(dir);
  const file = join(run!, 'trace.jsonl');
  return { file, text: await readFile(file, 'utf8') };
}

describe('optimize --trace', () => {
  test('full (default): each long text stored once; every call reads back with the exact request the server got', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixShownVariant });
    await writeTask(dir, spec());
    const result = await optimize(world, dir, ['--json', '--no-cache']);
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJsonOut(result);

    const { file, text } = await onlyTrace();
    const { calls, sessions, unreadable } = await readTrace(file);
    expect(sessions.map((s) => s.mode)).toEqual(['full']);
    expect(unreadable).toBe(0);
    expect(calls).toHaveLength(summary.calls_made + summary.cache_hits);
    for (const role of ['target', 'optimizer'] as const) {
      const traced = calls.filter((c) => c.role === role).map(textOf).sort();
      const received = world.seen.filter((s) => s.role === role).map((s) => s.text).sort();
      expect(traced, `${role} requests`).toEqual(received);
    }
    // The rendered prompt is in every target request, but in the file only where it is stored.
    const targetCalls = calls.filter((c) => c.role === 'target').length;
    const stored = text.split(PREAMBLE.repeat(4)).length - 1;
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(targetCalls / 4);
  });

  test('calls: one line per call with its request hash, no request texts', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixShownVariant });
    await writeTask(dir, spec());
    const result = await optimize(world, dir, ['--json', '--no-cache', '--trace', 'calls']);
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJsonOut(result);

    const { file, text } = await onlyTrace();
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    expect(lines.filter((l) => l.type === 'prompt')).toEqual([]);
    const { calls, sessions } = await readTrace(file);
    expect(sessions.map((s) => s.mode)).toEqual(['calls']);
    expect(calls).toHaveLength(summary.calls_made + summary.cache_hits);
    for (const call of calls) {
      expect(Object.keys(call.request).sort()).toEqual(['hash', 'max_tokens']);
      expect(call.request).toMatchObject({ hash: expect.stringMatching(/^[0-9a-f]{16}$/) });
    }
    // Target requests are distinct (one per case and prompt): so are their hashes.
    const target = calls.filter((c) => c.role === 'target');
    expect(new Set(target.map((c) => (c.request as { hash: string }).hash)).size).toBe(new Set(world.seen.filter((s) => s.role === 'target').map((s) => s.text)).size);
    expect(target.every((c) => typeof c.case_id === 'string' && typeof c.output === 'string')).toBe(true);
    // The prompt under test appears only in what the optimizer answered (its candidates), never as a request.
    expect(text.split(PREAMBLE.repeat(4)).length - 1).toBeLessThanOrEqual(calls.filter((c) => c.role === 'optimizer').length);
  });

  test('off: no trace file; the run and its reports are complete', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixShownVariant });
    await writeTask(dir, spec());
    const result = await optimize(world, dir, ['--json', '--trace', 'off']);
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJsonOut(result);
    const [run] = await runDirs(dir);
    expect(await exists(join(run!, 'trace.jsonl'))).toBe(false);
    expect(await exists(summary.reports.json)).toBe(true);
    expect(await exists(join(run!, 'checkpoint.json'))).toBe(true);
  });

  test('a bad --trace value is a usage error (exit 2) before any call', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixShownVariant });
    await writeTask(dir, spec());
    const result = await optimize(world, dir, ['--trace', 'verbose']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--trace.*verbose|verbose.*full, calls, off/);
    expect(world.server.requests).toHaveLength(0);
  });

  test('kill -9 right after a call: every call answered before the kill is in the trace', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixShownVariant, latencyMs: 5 });
    await writeTask(dir, spec());
    // Hold the 7th target request: with -j 1 it is sent only once the 6th call has completed, so
    // the child is killed right after a call (no time for a timer to flush anything).
    let arrivals = 0;
    let reachedGate!: () => void;
    const atGate = new Promise<void>((resolve) => (reachedGate = resolve));
    const never = new Promise<void>(() => {});
    world.setHold((a) => {
      if (a.role !== 'target' || ++arrivals !== 7) return undefined;
      reachedGate();
      return never;
    });
    const run = optimizeDetached(world, dir, ['-j', '1', '--quiet', '--no-cache']);
    await atGate;
    run.child.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');

    const answered = world.seen.slice();
    expect(answered).toHaveLength(6);
    const { file } = await waitFor(async () => ((await runDirs(dir)).length ? onlyTrace() : undefined));
    const { calls } = await readTrace(file);
    expect(calls.map((c) => [c.role, c.case_id, textOf(c)])).toEqual(answered.map((s) => [s.role, s.caseId, s.text]));
  });
});
