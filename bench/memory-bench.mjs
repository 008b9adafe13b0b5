// The memory half of `npm run bench` (called by eval-bench.mjs; `node bench/memory-bench.mjs` runs it
// alone): peak RSS of the CLI at scale, and the size of an optimize run's trace.
//
//   1. `eval --json --output --junit` of 10k and 100k cases against the loopback server (the
//      OpenAI-compatible route through the real openai SDK, cold cache): every case is spooled and
//      written three times, the heaviest eval there is;
//   2. `optimize` of 10k cases on the simulator (BANKING77's 300 queries repeated with a suffix, the
//      example's own settings: 8 training and 2 validation iterations of 3 candidates);
//   3. the trace of `optimize` on the 300-case example and of the 10k run, beside the size the same
//      calls took with one full request per line (format 1).
// Peak RSS comes from bench/rss-preload.mjs (the kernel's maxRSS, with its anonymous and file-backed
// parts: the mapped LMDB response cache is file-backed). Never talks to anything but 127.0.0.1.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createJiti } from 'jiti';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI_BIN = join(ROOT, 'bin', 'promptopt.js');
const PRELOAD = join(ROOT, 'bench', 'rss-preload.mjs');
const READ_TRACE = join(ROOT, 'dist', 'report', 'read-trace.js');
const LABELS = ['positive', 'negative', 'neutral'];
const API_KEY = 'sk-bench-local-only';

export const MEMORY_TARGETS = { eval100kMb: 400, optimize10kMb: 500 };

/**
 * Runs the memory figures against a loopback server of its own (no latency: only the CLI's memory is
 * measured here); `work` is a scratch folder. Returns rows and trace sizes for `memoryReport`.
 */
export async function runMemoryBench({ work, evalSizes = [10_000, 100_000], optimizeCases = 10_000, log = () => {} }) {
  const jiti = createJiti(import.meta.url);
  const { startFakeLlmServer } = await jiti.import(join(ROOT, 'test', 'support', 'fake-llm-server.ts'));
  const server = await startFakeLlmServer({ respond: sentiment, validKeys: [API_KEY] });
  try {
    return await measureAll({ server, work, apiKey: API_KEY, evalSizes, optimizeCases, log });
  } finally {
    await server.close();
  }
}

/** The fake model: right for 9 cases in 10 (the case number is in the prompt). */
function sentiment(request) {
  const i = Number(/case-(\d+)/.exec(request.messages.at(-1)?.content ?? '')?.[1] ?? 0);
  return i % 10 === 0 ? LABELS[(i + 1) % 3] : LABELS[i % 3];
}

async function measureAll({ server, work, apiKey, evalSizes, optimizeCases, log }) {
  const rows = [];
  const env = { PATH: process.env.PATH, HOME: work, CI: 'true', NO_COLOR: '1', OPENAI_API_KEY: apiKey };

  for (const n of evalSizes) {
    log(`memory: eval of ${n} cases…`);
    const dir = join(work, `eval-${n}`);
    await writeEvalTask(dir, n, server.openaiBaseUrl);
    server.reset();
    const run = await measured(['eval', 'task.yaml', '--quiet', '--json', '--output', 'out.json', '--junit', 'junit.xml', '-j', '50'], { cwd: dir, env, stdoutFile: join(dir, 'stdout.json') });
    if (run.code !== 0 && run.code !== 1) throw new Error(`eval ${n}: exit ${run.code}\n${run.stderr}`);
    const doc = JSON.parse(await readFile(join(dir, 'stdout.json'), 'utf8'));
    const all = doc.summary.find((s) => s.split === 'all');
    if (all.total !== n || doc.cases.length !== n) throw new Error(`eval ${n}: the document lists ${doc.cases.length} cases`);
    rows.push({ name: `eval of ${n.toLocaleString('en')} cases (--json --output --junit, cold cache)`, ...run, target: n === 100_000 ? MEMORY_TARGETS.eval100kMb : undefined });
    await rm(dir, { recursive: true, force: true });
  }

  if (optimizeCases === 0) return { rows, traces: [] };
  log(`memory: optimize of ${optimizeCases} cases on the simulator…`);
  const big = join(work, `optimize-${optimizeCases}`);
  await writeBanking77Task(big, optimizeCases);
  const optimize = await measured(['optimize', 'task.yaml', '--quiet', '--json'], { cwd: big, env, stdoutFile: join(big, 'stdout.json') });
  if (optimize.code !== 0) throw new Error(`optimize ${optimizeCases}: exit ${optimize.code}\n${optimize.stderr}`);
  const summary = JSON.parse(await readFile(join(big, 'stdout.json'), 'utf8'));
  rows.push({
    name: `optimize of ${optimizeCases.toLocaleString('en')} cases (sim, ${summary.calls_made.toLocaleString('en')} calls)`,
    ...optimize,
    target: MEMORY_TARGETS.optimize10kMb,
  });

  log('memory: optimize of the 300-case example…');
  const small = join(work, 'optimize-300');
  await writeBanking77Task(small, 300);
  const example = await measured(['optimize', 'task.yaml', '--quiet', '--json'], { cwd: small, env, stdoutFile: join(small, 'stdout.json') });
  if (example.code !== 0) throw new Error(`optimize 300: exit ${example.code}\n${example.stderr}`);

  const traces = [];
  for (const [cases, dir] of [[300, small], [optimizeCases, big]]) traces.push({ cases, ...(await traceSize(dir)) });
  await rm(big, { recursive: true, force: true });
  await rm(small, { recursive: true, force: true });
  return { rows, traces };
}

/** The eval task: `n` cases in a JSONL file, an equals assertion, the loopback OpenAI-compatible target. */
async function writeEvalTask(dir, n, baseUrl) {
  await mkdir(dir, { recursive: true });
  const rows = Array.from({ length: n }, (_, i) => JSON.stringify({ id: `case-${i}`, input: `case-${i}: review text number ${i}`, expected: LABELS[i % 3] }));
  await writeFile(join(dir, 'cases.jsonl'), `${rows.join('\n')}\n`);
  await writeFile(
    join(dir, 'task.yaml'),
    [
      'name: bench-memory',
      'description: eval memory benchmark',
      'prompt: "Classify the sentiment of item {{input}}. Reply with one word."',
      'target:',
      '  provider: openai-compatible',
      '  model: bench-model',
      `  base_url: ${baseUrl}`,
      '  max_tokens: 16',
      '  concurrency: 50',
      'cases: cases.jsonl',
      'defaults:',
      '  assert:',
      '    - type: equals',
      '      value: "{{expected}}"',
      'threshold: 0.5',
      '',
    ].join('\n'),
  );
}

/** The BANKING77 example with its 300 queries repeated (with a `(#i)` suffix) up to `n` cases. */
async function writeBanking77Task(dir, n) {
  const example = join(ROOT, 'examples', 'banking77');
  await mkdir(dir, { recursive: true });
  await cp(join(example, 'prompt.md'), join(dir, 'prompt.md'));
  await cp(join(example, 'task.yaml'), join(dir, 'task.yaml'));
  const rows = (await readFile(join(example, 'cases.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
  const cases = Array.from({ length: n }, (_, i) => {
    const row = rows[i % rows.length];
    return JSON.stringify(i < rows.length ? row : { ...row, id: `${row.id}-${i}`, input: `${row.input} (#${i})` });
  });
  await writeFile(join(dir, 'cases.jsonl'), `${cases.join('\n')}\n`);
}

/** The run's trace: its size, its calls, and the size of the same calls written one full entry per line. */
async function traceSize(dir) {
  const runs = join(dir, '.promptopt', 'runs');
  const [run] = await readdir(runs);
  const file = join(runs, run, 'trace.jsonl');
  const { traceItems } = await import(pathToFileURL(READ_TRACE).href);
  let calls = 0;
  let fullBytes = 0;
  for await (const item of traceItems(file)) {
    if (item.kind !== 'call') continue;
    calls += 1;
    fullBytes += Buffer.byteLength(JSON.stringify(item.call)) + 1;
  }
  return { bytes: (await stat(file)).size, calls, fullBytes };
}

/** Runs the CLI with the RSS preload; stdout goes to a file (a 100k-case document is 50 MB). */
async function measured(args, { cwd, env, stdoutFile }) {
  const rssFile = join(cwd, 'rss.json');
  const out = openSync(stdoutFile, 'w');
  const started = performance.now();
  try {
    const result = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', pathToFileURL(PRELOAD).href, CLI_BIN, ...args], {
        cwd,
        env: { ...env, PROMPTOPT_BENCH_RSS_FILE: rssFile },
        stdio: ['ignore', out, 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    const usage = JSON.parse(await readFile(rssFile, 'utf8'));
    return {
      ...result,
      ms: performance.now() - started,
      rssKb: usage.maxRssKb,
      anonKb: usage.maxRssAnonKb,
      fileKb: usage.maxRssFileKb,
      cpuMs: usage.userMs + usage.systemMs,
    };
  } finally {
    closeSync(out);
  }
}

/** The report lines for the memory figures. */
export function memoryReport({ rows, traces }) {
  const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
  const lines = [];
  const table = rows.map((r) => [
    r.name,
    mb(r.rssKb),
    r.anonKb ? `${mb(r.anonKb)} / ${mb(r.fileKb)}` : '',
    r.target ? `< ${r.target} MB ${r.rssKb / 1024 < r.target ? 'OK' : 'MISSED'}` : '',
    `${(r.ms / 1000).toFixed(1)} s`,
  ]);
  const head = ['CLI run', 'peak RSS', 'anon / file-backed', 'target', 'wall'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  lines.push(line(head), ...table.map(line), '');
  for (const t of traces) {
    lines.push(
      `trace of optimize on ${t.cases.toLocaleString('en')} cases: ${(t.bytes / 1e6).toFixed(1)} MB for ${t.calls.toLocaleString('en')} calls` +
        ` (${Math.round(t.bytes / t.calls)} B per call; one full request per line: ${(t.fullBytes / 1e6).toFixed(1)} MB, ${(t.fullBytes / t.bytes).toFixed(1)}×)`,
    );
  }
  return lines.join('\n');
}

// Alone: `node bench/memory-bench.mjs [--quick | --eval N,N...]` (after `npm run build`); --quick: 10k
// eval, 2k optimize; --eval: only evals of these sizes.
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const work = await mkdtemp(join(tmpdir(), 'promptopt-membench-'));
  const quick = process.argv.includes('--quick');
  try {
    const evalOnly = process.argv.includes('--eval') ? process.argv[process.argv.indexOf('--eval') + 1].split(',').map(Number) : undefined;
    const sizes = evalOnly ? { evalSizes: evalOnly, optimizeCases: 0 } : quick ? { evalSizes: [10_000], optimizeCases: 2_000 } : {};
    const result = await runMemoryBench({ work, ...sizes, log: (m) => console.error(m) });
    console.log(memoryReport(result));
    console.log(`\nmachine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} · node ${process.version}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
