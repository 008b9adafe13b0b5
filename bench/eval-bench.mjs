// `npm run bench`: how close `promptopt eval` gets to the speed of the network it waits on.
//
// Starts the loopback fake LLM server (test/support, loaded through jiti) with a fixed latency, then,
// in one run:
//   1. a bare fetch loop (bench/bare-fetch-loop.mjs, its own process) with the same concurrency:
//      the practical floor of this machine;
//   2. the built CLI, spawned: `eval --quiet --json -j C` over N cases (OpenAI-compatible route,
//      through the real openai SDK), with a preload that records its peak RSS;
//   3. the same command again, every answer now from the cache (zero requests);
//   4. in this process, reading the N cached responses through ResponseCache.get (dist/).
// and prints each figure beside its target; then the memory figures (bench/memory-bench.mjs: peak
// RSS of eval on 10k and 100k cases and of optimize on 10k, trace sizes). Never talks to anything
// but 127.0.0.1.
//
//   node bench/eval-bench.mjs [--n 2000] [--latency 50] [--concurrency 50] [--best-of 1]
//                             [--no-target-concurrency]   (leave target.concurrency unset: shows the
//                                                          provider limiter's default cap)
//                             [--no-memory]               (skip the memory figures, a few minutes)
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createJiti } from 'jiti';
import { memoryReport, runMemoryBench } from './memory-bench.mjs';
import { run } from './run-process.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI_BIN = join(ROOT, 'bin', 'promptopt.js');
const DIST_CACHE = join(ROOT, 'dist', 'runner', 'response-cache.js');
const PRELOAD = join(ROOT, 'bench', 'rss-preload.mjs');
const BARE_LOOP = join(ROOT, 'bench', 'bare-fetch-loop.mjs');
const API_KEY = 'sk-bench-local-only';
const LABELS = ['positive', 'negative', 'neutral'];

const TARGETS = { cliOverBare: 1.15, cachedRunS: 1, peakRssMb: 300 };

const { values: flags } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    latency: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '50' },
    'best-of': { type: 'string', default: '1' },
    'no-target-concurrency': { type: 'boolean', default: false },
    'no-memory': { type: 'boolean', default: false },
  },
});
const N = Number(flags.n);
const LATENCY_MS = Number(flags.latency);
const CONCURRENCY = Number(flags.concurrency);
const BEST_OF = Math.max(1, Number(flags['best-of']));
const SET_TARGET_CONCURRENCY = !flags['no-target-concurrency'];

if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
  console.error('bench: dist/ is missing; run `npm run bench` (it builds first) or `npm run build`.');
  process.exit(2);
}

const jiti = createJiti(import.meta.url);
const { startFakeLlmServer } = await jiti.import(join(ROOT, 'test', 'support', 'fake-llm-server.ts'));

/** The fake model: right for 9 cases in 10 (the case number is in the prompt). */
function respond(request) {
  const text = request.messages.at(-1)?.content ?? '';
  const i = Number(/case-(\d+)/.exec(text)?.[1] ?? 0);
  return i % 10 === 0 ? LABELS[(i + 1) % 3] : LABELS[i % 3];
}

const server = await startFakeLlmServer({ latencyMs: LATENCY_MS, respond, validKeys: [API_KEY] });
const work = await mkdtemp(join(tmpdir(), 'promptopt-bench-'));

try {
  // The task: N cases in a JSONL file, an equals assertion, an OpenAI-compatible target.
  const rows = Array.from({ length: N }, (_, i) =>
    JSON.stringify({ id: `case-${i}`, input: `case-${i}: review text number ${i}`, expected: LABELS[i % 3] }),
  );
  await writeFile(join(work, 'cases.jsonl'), `${rows.join('\n')}\n`);
  await writeFile(
    join(work, 'task.yaml'),
    [
      'name: bench',
      'description: eval throughput benchmark',
      'prompt: "Classify the sentiment of item {{input}}. Reply with one word."',
      'target:',
      '  provider: openai-compatible',
      '  model: bench-model',
      `  base_url: ${server.openaiBaseUrl}`,
      '  max_tokens: 16',
      ...(SET_TARGET_CONCURRENCY ? [`  concurrency: ${CONCURRENCY}`] : []),
      'cases: cases.jsonl',
      'defaults:',
      '  assert:',
      '    - type: equals',
      '      value: "{{expected}}"',
      'threshold: 0.5',
      '',
    ].join('\n'),
  );

  const env = { PATH: process.env.PATH, HOME: work, CI: 'true', NO_COLOR: '1', OPENAI_API_KEY: API_KEY };
  const cliArgs = ['eval', 'task.yaml', '--quiet', '--json', '-j', String(CONCURRENCY)];

  // Warm the disk cache for node and the CLI's modules, so the first timed spawn is not penalised.
  await run(process.execPath, [CLI_BIN, '--version'], { cwd: work, env });

  // 1. Bare fetch loop.
  const bare = await bestOf(async () => {
    server.reset();
    const r = await run(process.execPath, [BARE_LOOP, server.openaiBaseUrl, String(N), String(CONCURRENCY), API_KEY], { cwd: work, env });
    const report = JSON.parse(r.stdout);
    if (report.ok !== N) throw new Error(`bare loop: ${report.ok}/${N} ok\n${r.stderr}`);
    return { ...r, innerMs: report.ms, cpuMs: report.userMs + report.systemMs, requests: server.count, maxInFlight: server.maxInFlight };
  });

  // 2. The CLI, cold (no cache: each attempt in a fresh cache folder).
  const cold = await bestOf(async (attempt) => {
    await rm(join(work, '.promptopt'), { recursive: true, force: true });
    server.reset();
    const rssFile = join(work, `rss-cold-${attempt}.txt`);
    const r = await run(process.execPath, ['--import', pathToFileURL(PRELOAD).href, CLI_BIN, ...cliArgs], {
      cwd: work,
      env: { ...env, PROMPTOPT_BENCH_RSS_FILE: rssFile },
    });
    const document = checkRun(r, 'cold run');
    return { ...r, ...(await usageOf(rssFile)), document, requests: server.count, maxInFlight: server.maxInFlight };
  });
  const all = cold.document.summary.find((s) => s.split === 'all');
  if (all.total !== N || all.calls !== N) throw new Error(`cold run: expected ${N} cases and calls, got ${all.total} / ${all.calls}`);

  // 3. The CLI again: all from the cache.
  const cached = await bestOf(async (attempt) => {
    server.reset();
    const rssFile = join(work, `rss-cached-${attempt}.txt`);
    const r = await run(process.execPath, ['--import', pathToFileURL(PRELOAD).href, CLI_BIN, ...cliArgs], {
      cwd: work,
      env: { ...env, PROMPTOPT_BENCH_RSS_FILE: rssFile },
    });
    const document = checkRun(r, 'cached run');
    return { ...r, ...(await usageOf(rssFile)), document, requests: server.count };
  });
  const cachedAll = cached.document.summary.find((s) => s.split === 'all');
  if (cached.requests !== 0 || cachedAll.cache_hits !== N) {
    throw new Error(`cached run: ${cached.requests} requests reached the server, cache_hits ${cachedAll.cache_hits}/${N}`);
  }

  // 4. ResponseCache.get over every entry, in this process.
  const { ResponseCache } = await import(pathToFileURL(DIST_CACHE).href);
  const cacheDir = join(work, '.promptopt', 'cache');
  const probe = new ResponseCache(cacheDir);
  const keys = await probe.keys();
  if (keys.length !== N) throw new Error(`cache holds ${keys.length} entries, expected ${N}`);
  const parallel = await bestOf(async () => {
    const cache = new ResponseCache(cacheDir);
    const t = performance.now();
    const got = await Promise.all(keys.map((k) => cache.get(k)));
    const ms = performance.now() - t;
    if (got.some((r) => !r)) throw new Error('a cached entry did not read back');
    return { ms };
  });
  const sequential = await bestOf(async () => {
    const cache = new ResponseCache(cacheDir);
    const t = performance.now();
    for (const k of keys) await cache.get(k);
    return { ms: performance.now() - t };
  });

  // Report.
  const floorS = (N * LATENCY_MS) / CONCURRENCY / 1000;
  const s = (ms) => `${(ms / 1000).toFixed(3)} s`;
  const mb = (kb) => `${(kb / 1024).toFixed(1)} MB`;
  const x = (ratio) => `${ratio.toFixed(3)}×`;
  const verdict = (ok) => (ok ? 'OK' : 'MISSED');
  const cliOverBare = cold.ms / bare.ms;
  const peakRssKb = Math.max(cold.rssKb, cached.rssKb);
  const rowsOut = [
    ['theoretical floor (N × latency / concurrency)', `${floorS.toFixed(3)} s`, '', ''],
    ['bare fetch loop, spawned (wall)', s(bare.ms), '', `(inside the loop: ${s(bare.innerMs)}; CPU user+sys ${s(bare.cpuMs)})`],
    [
      `CLI eval --quiet --json -j ${CONCURRENCY}, spawned (wall)`,
      s(cold.ms),
      '',
      `(runner's own wall_time_ms: ${s(cold.document.wall_time_ms)}; CPU user+sys ${s(cold.cpuMs)})`,
    ],
    ['  CLI / bare loop', x(cliOverBare), `≤ ${TARGETS.cliOverBare}×`, verdict(cliOverBare <= TARGETS.cliOverBare)],
    ['  CLI / theoretical floor', x(cold.ms / 1000 / floorS), '', ''],
    ['CLI peak RSS (cold run / cached run)', `${mb(cold.rssKb)} / ${mb(cached.rssKb)}`, `< ${TARGETS.peakRssMb} MB`, verdict(peakRssKb / 1024 < TARGETS.peakRssMb)],
    [
      `cached re-run, spawned (wall, ${N} cache hits, 0 requests)`,
      s(cached.ms),
      `< ${TARGETS.cachedRunS} s`,
      `${verdict(cached.ms / 1000 < TARGETS.cachedRunS)}  (runner: ${s(cached.document.wall_time_ms)}; CPU user+sys ${s(cached.cpuMs)})`,
    ],
    [`ResponseCache.get × ${N}, in-process, all at once`, s(parallel.ms), '', ''],
    [`ResponseCache.get × ${N}, in-process, one by one`, s(sequential.ms), '', ''],
  ];
  const w0 = Math.max(...rowsOut.map((r) => r[0].length));
  const w1 = Math.max(...rowsOut.map((r) => r[1].length));
  const w2 = Math.max(...rowsOut.map((r) => r[2].length));
  console.log(
    `\npromptopt eval benchmark · N=${N} cases · server latency ${LATENCY_MS} ms · concurrency ${CONCURRENCY}` +
      ` (-j ${CONCURRENCY}${SET_TARGET_CONCURRENCY ? `, target.concurrency ${CONCURRENCY}` : ', target.concurrency UNSET'})` +
      ` · node ${process.version}${BEST_OF > 1 ? ` · best of ${BEST_OF}` : ''}\n`,
  );
  console.log(`${'figure'.padEnd(w0)}  ${'measured'.padEnd(w1)}  ${'target'.padEnd(w2)}`);
  for (const [name, value, target, note] of rowsOut) console.log(`${name.padEnd(w0)}  ${value.padEnd(w1)}  ${target.padEnd(w2)}  ${note}`.trimEnd());
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`\nmachine: ${cpus().length} CPUs, load average ${load} (other processes skew wall times; compare CPU too)`);
  console.log(
    `server: max requests in flight ${bare.maxInFlight} (bare) / ${cold.maxInFlight} (CLI); ` +
      `requests ${bare.requests} (bare) / ${cold.requests} (CLI cold) / ${cached.requests} (CLI cached); ` +
      `score ${cold.document.score.toFixed(3)}`,
  );

  if (!flags['no-memory']) {
    console.log('\nMemory at scale (peak RSS of the CLI process; file-backed: mapped files, mostly the LMDB response cache)\n');
    console.log(memoryReport(await runMemoryBench({ work, log: (message) => console.error(message) })));
  }
} finally {
  await server.close();
  await rm(work, { recursive: true, force: true });
}


/** What rss-preload.mjs recorded for a CLI run. */
async function usageOf(file) {
  const usage = JSON.parse(await readFile(file, 'utf8'));
  return { rssKb: usage.maxRssKb, cpuMs: usage.userMs + usage.systemMs };
}

function checkRun(result, label) {
  if (result.code !== 0) throw new Error(`${label}: exit ${result.code}\n${result.stderr}\n${result.stdout.slice(0, 2000)}`);
  return JSON.parse(result.stdout);
}

/** The fastest of BEST_OF attempts (by `ms`). */
async function bestOf(measure) {
  let best;
  for (let attempt = 0; attempt < BEST_OF; attempt++) {
    const result = await measure(attempt);
    if (!best || result.ms < best.ms) best = result;
  }
  return best;
}
