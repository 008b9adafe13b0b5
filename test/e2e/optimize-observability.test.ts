/**
 * What an optimize run shows and keeps, end to end through the CLI against the fake server:
 * candidates scored concurrently, one trace line per LLM call, and no API key in anything written.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { readTrace } from '../../src/report/read-trace.js';
import { makeTempDir, parseJsonOut, readAllFiles, removeDir } from './helpers/cli.js';
import {
  ANTHROPIC_KEY,
  fixOneShownVariant,
  fixShownVariant,
  group,
  OPENAI_KEY,
  optimize,
  optimizeSpec,
  runDirs,
  startWorld,
  writeTask,
  type OptimizeWorld,
  type SeenRequest,
  type TaskCase,
} from './helpers/optimize-harness.js';

const CASES: TaskCase[] = [
  ...group('alpha', 'train', 3),
  ...group('bravo', 'train', 3),
  ...group('charlie', 'train', 3),
  ...group('alpha', 'validation', 2),
  ...group('delta', 'validation', 2),
  ...group('bravo', 'test', 2),
];

let dir: string;
let world: OptimizeWorld | undefined;

beforeEach(async () => {
  dir = await makeTempDir('promptopt-opt-obs-');
});

afterEach(async () => {
  await world?.close();
  world = undefined;
  await removeDir(dir);
});

describe('optimize: concurrency, trace, secrets', () => {
  test('the candidates of an iteration are evaluated concurrently', async () => {
    world = await startWorld({ cases: CASES, optimizer: fixShownVariant, latencyMs: 40 });
    await writeTask(dir, optimizeSpec(CASES, { optimizer: { candidates: 3, max_iterations: 1 } }));
    const result = await optimize(world, dir, ['--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(parseJsonOut(result).iterations).toBe(1);

    const candidatePrompts = new Set(
      world
        .optimizerRequests()
        .map((r) => /<prompt>\n([\s\S]*?)\n<\/prompt>/.exec(r.output)![1]!),
    );
    expect(candidatePrompts.size).toBe(3);
    const scoring = world.targetRequests().filter((r) => [...candidatePrompts].some((p) => r.prompt!.includes(p.replace('{{input}}', ''))));
    const prompts = new Set(scoring.map((r) => r.prompt));
    expect(prompts.size).toBe(3);
    const overlapping = (a: SeenRequest, b: SeenRequest) => a.start < b.end && b.start < a.end;
    const pairs = scoring.flatMap((a) => scoring.filter((b) => b.prompt !== a.prompt && overlapping(a, b)).map((b) => [a.prompt, b.prompt]));
    expect(pairs.length, 'no two candidates had target requests in flight at the same time').toBeGreaterThan(0);
    const distinctInFlight = new Set(pairs.flat());
    expect(distinctInFlight.size).toBeGreaterThanOrEqual(2);
    expect(world.server.maxInFlight).toBeGreaterThan(CASES.filter((c) => c.split === 'train').length);
  });

  test('trace.jsonl has a line per LLM call by role, and no API key lands in any file or output', async () => {
    const OLD_KEY = 'sk-ant-' + 'test-SECRET-OLD-987654321fedcba';
    // The first optimizer key is refused (401): the call rotates to the next one.
    world = await startWorld({ cases: CASES, optimizer: fixOneShownVariant, validKeys: [OPENAI_KEY, ANTHROPIC_KEY] });
    await writeTask(
      dir,
      optimizeSpec(CASES, {
        optimizer: { candidates: 2, max_iterations: 3, validation_iterations: 1, api_key_env: ['ANTHROPIC_OLD_API_KEY', 'ANTHROPIC_API_KEY'] },
      }),
    );
    const env = { ANTHROPIC_OLD_API_KEY: OLD_KEY };
    const text = await optimize(world, dir, [], { env });
    expect(text.code, text.stderr).toBe(0);
    const json = await optimize(world, dir, ['--json'], { env }); // a second run: served from the cache
    expect(json.code, json.stderr).toBe(0);
    expect(parseJsonOut(json).cache_hits).toBeGreaterThan(0);
    expect(parseJsonOut(json).calls_made).toBeGreaterThan(0); // its optimizer calls (a new run id)

    // One trace line per LLM call, each with its role. Across both runs, the lines that were not
    // cache hits are exactly the requests the server answered, role by role.
    // References to stored prompt texts resolved: each call with its full request.
    const readCalls = async (run: string) => (await readTrace(join(run, 'trace.jsonl'))).calls as Record<string, any>[];
    const traces = await Promise.all((await runDirs(dir)).map(readCalls));
    expect(traces).toHaveLength(2);
    const lines = traces.flat();
    for (const line of lines) expect(['optimizer', 'target']).toContain(line.role);
    for (const role of ['optimizer', 'target'] as const) {
      const made = lines.filter((l) => l.role === role && !l.cache_hit);
      expect(made.length).toBeGreaterThan(0);
      expect(made.length, `${role} trace lines vs requests answered`).toBe(world.seen.filter((r) => r.role === role).length);
    }
    expect(lines.filter((l) => l.role === 'optimizer').every((l) => String(l.request.system).includes('[promptopt:optimizer]'))).toBe(true);
    expect(lines.filter((l) => l.role === 'target').every((l) => typeof l.case_id === 'string')).toBe(true);
    // The second run's trace has one line per call it counted (made or from the cache).
    const summary = parseJsonOut(json);
    expect(await readCalls(summary.run_dir)).toHaveLength(summary.calls_made + summary.cache_hits);

    // No key anywhere: run folders, versions, cache, stdout, stderr.
    const cacheFiles = await readAllFiles(join(dir, '.promptopt', 'cache'));
    expect(cacheFiles.length).toBeGreaterThan(0); // the cache was written (whatever its layout)
    expect(cacheFiles.some((f) => f.text.includes('undecided-'))).toBe(true); // ...with the target's answers
    const files = [
      ...(await readAllFiles(join(dir, '.promptopt', 'runs'))).map((f) => ({ ...f, path: `runs/${f.path}` })),
      ...(await readAllFiles(join(dir, 'prompt-versions'))).map((f) => ({ ...f, path: `prompt-versions/${f.path}` })),
      ...cacheFiles.map((f) => ({ ...f, path: `cache/${f.path}` })),
    ];
    expect(files.some((f) => f.path.endsWith('trace.jsonl'))).toBe(true);
    expect(files.some((f) => f.path.endsWith('report.json'))).toBe(true);
    expect(files.some((f) => f.path.endsWith('checkpoint.json'))).toBe(true);
    const outputs = [
      ...files,
      { path: 'stdout (text)', text: text.stdout },
      { path: 'stderr (text)', text: text.stderr },
      { path: 'stdout (json)', text: json.stdout },
      { path: 'stderr (json)', text: json.stderr },
    ];
    for (const { path, text: content } of outputs) {
      for (const key of [ANTHROPIC_KEY, OLD_KEY, OPENAI_KEY]) {
        expect(content.includes(key), `${path} contains an API key`).toBe(false);
      }
      expect(content.includes('SECRET'), `${path} contains part of an API key`).toBe(false);
    }
    // The refused key was really tried, and the other one really used.
    expect(world.server.requests.some((r) => r.auth === 'invalid')).toBe(true);
    expect(world.server.requests.some((r) => r.api === 'anthropic' && r.auth === 'valid')).toBe(true);
  });
});
