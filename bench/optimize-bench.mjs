// `npm run bench`, part two: the optimize engine's own speed. A full `promptopt optimize` of the bundled
// BANKING77 example (300 cases) against the loopback server with realistic latency: 300 ms per target
// call, 20 s per optimizer proposal. The server plays both models with the simulator's own logic (the
// classifier for the target, the optimizer mode for proposals), so the loop behaves as on `sim`, only
// slow. Then the time from SIGINT to exit of a running optimize, while it waits on the optimizer and
// while a batch of target calls is in flight (issue 7: "within about 2 s").
//
// The floor is the time the calls that had to be made take at best, read from the run's trace:
//   - optimizer calls: one wave per (phase, iteration, attempt) — a wave's proposals are written in
//     parallel, so each wave costs one optimizer latency, and waves are serial (the next iteration's
//     proposals need this one's scores);
//   - target calls: grouped by what can run together — the baseline (train + validation at once), each
//     (phase, iteration, split) stage of an iteration, the held-out test, the final re-scoring — and
//     each group costs ceil(calls / concurrency) × target latency;
//   - cache hits cost nothing.
// floor = Σ waves × optimizer latency + Σ groups ⌈n / concurrency⌉ × target latency. Wall time is
// measured from spawn to exit (process start, module loading, checkpoints, versions and reports
// included). Target: wall within 1.3× of the floor.
//
//   node bench/optimize-bench.mjs [--target-latency 300] [--optimizer-latency 20000] [--iterations 2]
//                                 [--validation-iterations 1] [--candidates 3] [--concurrency 50] [--no-sigint]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createJiti } from 'jiti';
import { run } from './run-process.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI_BIN = join(ROOT, 'bin', 'promptopt.js');
const EXAMPLE = join(ROOT, 'examples', 'banking77');
const OPENAI_KEY = 'sk-bench-local-only';
const ANTHROPIC_KEY = 'sk-ant-bench-local-only';
const OPTIMIZER_MARKER = '[promptopt:optimizer]';
const TARGETS = { wallOverFloor: 1.3, sigintExitS: 2 };

const { values: flags } = parseArgs({
  options: {
    'target-latency': { type: 'string', default: '300' },
    'optimizer-latency': { type: 'string', default: '20000' },
    iterations: { type: 'string', default: '2' },
    'validation-iterations': { type: 'string', default: '1' },
    candidates: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '50' },
    'no-sigint': { type: 'boolean', default: false },
  },
});
const TARGET_MS = Number(flags['target-latency']);
const OPTIMIZER_MS = Number(flags['optimizer-latency']);
const CONCURRENCY = Number(flags.concurrency);

if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
  console.error('bench: dist/ is missing; run `npm run bench` (it builds first) or `npm run build`.');
  process.exit(2);
}

const jiti = createJiti(import.meta.url);
const { startFakeLlmServer } = await jiti.import(join(ROOT, 'test', 'support', 'fake-llm-server.ts'));
await import(pathToFileURL(join(ROOT, 'dist', 'sim', 'index.js')).href); // registers the simulator's optimizer mode
const { respond: simRespond } = await import(pathToFileURL(join(ROOT, 'dist', 'sim', 'respond.js')).href);

const isOptimizer = (request) => (request.system ?? '').includes(OPTIMIZER_MARKER);
/** The simulator answers: the classifier for target requests, its optimizer for proposals. */
const respond = (request) =>
  simRespond({ system: request.system, messages: request.messages, maxTokens: Number(request.body.max_tokens ?? 1024) }, { modelId: request.model });
const server = await startFakeLlmServer({
  latencyMs: TARGET_MS,
  respond,
  // Every request waits the target latency; proposals wait the rest of the optimizer's.
  faults: (request) => (isOptimizer(request) ? { delayMs: OPTIMIZER_MS - TARGET_MS } : null),
  validKeys: [OPENAI_KEY, ANTHROPIC_KEY],
});
const work = await mkdtemp(join(tmpdir(), 'promptopt-optimize-bench-'));

try {
  const env = {
    PATH: process.env.PATH,
    HOME: work,
    CI: 'true',
    NO_COLOR: '1',
    OPENAI_API_KEY: OPENAI_KEY,
    ANTHROPIC_API_KEY: ANTHROPIC_KEY,
    ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
  };
  const dir = await writeTask(join(work, 'full'));
  await run(process.execPath, [CLI_BIN, '--version'], { cwd: dir, env }); // warm the disk cache for node and the CLI

  console.error(`optimize bench: a full optimize of examples/banking77 (target ${TARGET_MS} ms, optimizer ${OPTIMIZER_MS / 1000} s per call)…`);
  server.reset();
  const full = await run(process.execPath, [CLI_BIN, 'optimize', 'task.yaml', '--json', '--trace', 'calls', '-j', String(CONCURRENCY)], { cwd: dir, env });
  if (full.code !== 0) throw new Error(`optimize exited ${full.code}\n${full.stderr}`);
  const summary = JSON.parse(full.stdout);
  const runDir = summary.run_dir;
  const calls = await readCalls(join(runDir, 'trace.jsonl'));
  const splits = JSON.parse(await readFile(join(dir, 'cases.jsonl.splits.json'), 'utf8'));
  const floor = floorOf(calls, splits);
  const checkpoint = JSON.parse(await readFile(join(runDir, 'checkpoint.json'), 'utf8'));
  const accepted = checkpoint.iterations.filter((i) => i.acceptedId).length;
  const made = calls.filter((c) => !c.cache_hit).length;
  const hits = calls.length - made;

  const rows = [
    ['calls made / cache hits / server requests', `${made} / ${hits} / ${server.count}`, '', ''],
    ['optimizer waves × latency', `${floor.waves} × ${OPTIMIZER_MS / 1000} s = ${s(floor.optimizerMs)}`, '', ''],
    ['target batches × latency', `${floor.batches} × ${TARGET_MS} ms = ${s(floor.targetMs)}`, '', `(${floor.groups} groups of calls that can run together, ${CONCURRENCY} at once)`],
    ['floor', s(floor.totalMs), '', ''],
    ['wall time, spawned (spawn to exit)', s(full.ms), '', `(the run's own wall_time_ms: ${s(summary.wall_time_ms)})`],
    ['  wall / floor', x(full.ms / floor.totalMs), `≤ ${TARGETS.wallOverFloor}×`, verdict(full.ms / floor.totalMs <= TARGETS.wallOverFloor)],
    ['  run wall_time_ms / floor', x(summary.wall_time_ms / floor.totalMs), '', ''],
    ['cache hit rate', `${((100 * hits) / calls.length).toFixed(1)}%`, '', `(${hits} of ${calls.length} calls)`],
    ['iterations (training + validation)', `${summary.iterations_by_phase.train} + ${summary.iterations_by_phase.validation}`, '', `stop: ${summary.stop_reason}`],
    ['accepted improvements', String(accepted), '', ''],
    ['calls per accepted improvement', accepted > 0 ? (made / accepted).toFixed(0) : '— (none accepted)', '', `(${made} calls made)`],
  ];

  if (!flags['no-sigint']) {
    console.error('optimize bench: SIGINT while waiting on the optimizer, and during a target batch…');
    for (const when of ['optimizer', 'target']) {
      const sigint = await timeSigint(join(work, `sigint-${when}`), env, when);
      rows.push([
        `SIGINT → exit, ${when === 'optimizer' ? 'an optimizer call in flight' : 'a target batch in flight'}`,
        s(sigint.ms),
        `≤ ${TARGETS.sigintExitS} s`,
        `${verdict(sigint.ms / 1000 <= TARGETS.sigintExitS)}  (exit ${sigint.code}, checkpoint ${sigint.checkpoint ? 'kept' : 'MISSING'}, ${sigint.inFlight} request(s) in flight at the signal)`,
      ]);
    }
  }

  console.log(
    `\npromptopt optimize benchmark · examples/banking77 (300 cases: train 150, validation 60, test 90) · ` +
      `${flags.iterations} + ${flags['validation-iterations']} iterations of ${flags.candidates} candidates · target ${TARGET_MS} ms, optimizer ${OPTIMIZER_MS / 1000} s · -j ${CONCURRENCY} · node ${process.version}\n`,
  );
  printRows(rows);
  console.log(`\nmachine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  await server.close();
  await rm(work, { recursive: true, force: true });
}

/** The example with its target and optimizer on the loopback server, and the bench's loop settings. */
async function writeTask(dir) {
  await cp(EXAMPLE, dir, { recursive: true });
  const spec = await readFile(join(dir, 'task.yaml'), 'utf8');
  const body = spec
    .replace(/target:\n  provider: sim\n  model: sim-classifier\n/, `target:\n  provider: openai-compatible\n  model: bench-target\n  base_url: ${server.openaiBaseUrl}\n  max_tokens: 64\n  concurrency: ${CONCURRENCY}\n`)
    .replace(
      /optimizer:\n(?:  .*\n)+/,
      `optimizer:\n  provider: anthropic\n  model: bench-optimizer\n  max_iterations: ${flags.iterations}\n  candidates: ${flags.candidates}\n  patience: ${flags.iterations}\n  validation_iterations: ${flags['validation-iterations']}\n`,
    );
  if (!body.includes('bench-target') || !body.includes('bench-optimizer')) throw new Error('optimize bench: could not rewrite examples/banking77/task.yaml');
  await writeFile(join(dir, 'task.yaml'), body);
  return dir;
}

/** The call lines of a `--trace calls` trace. */
async function readCalls(file) {
  const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line));
  return lines.filter((line) => line.type === 'call');
}

/** See the header: serial optimizer waves plus parallel target batches, over the calls that were made. */
function floorOf(calls, splitsFile) {
  const splitOf = new Map(Object.entries(splitsFile.splits ?? {}));
  const waves = new Set();
  const groups = new Map();
  for (const call of calls) {
    if (call.cache_hit) continue;
    if (call.role === 'optimizer') {
      waves.add(`${call.phase}:${call.iteration}:${call.sample >= 100 ? 'retry' : 'first'}`);
      continue;
    }
    const phase = call.phase ?? 'unknown';
    const key = phase === 'baseline' || phase === 'test' || phase === 'report' ? phase : `${phase}:${call.iteration}:${splitOf.get(call.case_id) ?? 'unknown'}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  const batches = [...groups.values()].reduce((n, count) => n + Math.ceil(count / CONCURRENCY), 0);
  const optimizerMs = waves.size * OPTIMIZER_MS;
  const targetMs = batches * TARGET_MS;
  return { waves: waves.size, groups: groups.size, batches, optimizerMs, targetMs, totalMs: optimizerMs + targetMs };
}

/**
 * Starts an optimize, sends SIGINT once the server has a request of `role` in flight (an optimizer
 * proposal, or a batch of target calls of the first iteration), and times signal → exit.
 */
async function timeSigint(dir, env, role) {
  await writeTask(dir);
  let sent;
  let inFlightAtSignal = 0;
  const child = spawn(process.execPath, [CLI_BIN, 'optimize', 'task.yaml', '--quiet', '-j', String(CONCURRENCY)], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('close', (code) => resolve({ code, at: performance.now() })));
  server.reset();
  const started = performance.now();
  for (;;) {
    const waiting = server.requests.filter((r) => r.status === 0 && !r.clientAborted);
    const ofRole = waiting.filter((r) => (r.api === 'anthropic') === (role === 'optimizer'));
    // A target batch of the first iteration: target requests in flight after the first proposal was answered.
    const ready = role === 'optimizer' ? ofRole.length > 0 : ofRole.length > 0 && server.requests.some((r) => r.api === 'anthropic' && r.status === 200);
    if (ready) {
      await sleep(role === 'optimizer' ? 1000 : 50); // well inside the call / the batch
      inFlightAtSignal = server.inFlight;
      sent = performance.now();
      child.kill('SIGINT');
      break;
    }
    if (performance.now() - started > 120_000) {
      child.kill('SIGKILL');
      throw new Error(`optimize bench: no ${role} request in flight after 120 s\n${stderr}`);
    }
    await sleep(5);
  }
  const { code, at } = await exited;
  const runs = await readdir(join(dir, '.promptopt', 'runs')).catch(() => []);
  const checkpoint = runs.length > 0 && existsSync(join(dir, '.promptopt', 'runs', runs[0], 'checkpoint.json'));
  return { ms: at - sent, code, checkpoint, inFlight: inFlightAtSignal };
}


function printRows(rows) {
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const w2 = Math.max(...rows.map((r) => r[2].length));
  console.log(`${'figure'.padEnd(w0)}  ${'measured'.padEnd(w1)}  ${'target'.padEnd(w2)}`);
  for (const [name, value, target, note] of rows) console.log(`${name.padEnd(w0)}  ${value.padEnd(w1)}  ${target.padEnd(w2)}  ${note}`.trimEnd());
}

function s(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}

function x(ratio) {
  return `${ratio.toFixed(3)}×`;
}

function verdict(ok) {
  return ok ? 'OK' : 'MISSED';
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
