// `node bench/js-assertion-bench.mjs [--n 500] [--concurrency 50]`: what running custom JavaScript
// assertions in worker threads (with a time limit) costs per assertion, against calling the same
// function in the main thread. Uses the built dist/ (run `npm run build` first).
//
// Measures, for N cases evaluated C at a time through runAssertions (the runner's entry point):
//   1. an inline expression, 2. a file:// function (an ESM file loaded with jiti);
// each cold (a fresh pool: worker start-up and module loading included) and warm (the pool reused),
// and prints the wall time per assertion next to the same function called in-process.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({ options: { n: { type: 'string', default: '500' }, concurrency: { type: 'string', default: '50' } } });
const N = Number(flags.n);
const C = Number(flags.concurrency);

const { runAssertions } = await import(pathToFileURL(join(ROOT, 'dist', 'assertions', 'run-assertions.js')).href);
const dir = await mkdtemp(join(tmpdir(), 'promptopt-js-bench-'));
const CHECK = 'export function label(output, context) { return { pass: output.trim().toLowerCase() === context.expected, reason: "label" }; }\n';
await writeFile(join(dir, 'check.mjs'), CHECK);
const inlineCode = 'output.trim().toLowerCase() === context.expected';

async function time(assertion) {
  const limit = pLimit(C);
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: N }, (_, i) =>
      limit(() =>
        runAssertions([assertion], { output: i % 3 ? 'positive' : 'negative', vars: { i }, expected: 'positive', caseId: `c${i}`, baseDir: dir, costUsd: 0, latencyMs: 0 }),
      ),
    ),
  );
  const ms = performance.now() - started;
  const passed = results.filter(([r]) => r.pass).length;
  if (passed !== N - Math.ceil(N / 3)) throw new Error(`unexpected results: ${passed} passed`);
  return ms;
}

async function inProcess(fn) {
  const limit = pLimit(C);
  const started = performance.now();
  await Promise.all(Array.from({ length: N }, (_, i) => limit(async () => fn(i % 3 ? 'positive' : 'negative', { expected: 'positive' }))));
  return performance.now() - started;
}

const { label } = await import(pathToFileURL(join(dir, 'check.mjs')).href);
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
const compiled = new AsyncFunction('output', 'context', `return (${inlineCode});`);
const rows = [];
for (const [name, assertion, fn] of [
  ['inline', { type: 'javascript', value: inlineCode }, compiled],
  ['file://', { type: 'javascript', value: 'file://check.mjs:label' }, label],
]) {
  const cold = await time(assertion);
  const warm = Math.min(await time(assertion), await time(assertion), await time(assertion));
  const base = Math.min(await inProcess(fn), await inProcess(fn), await inProcess(fn));
  rows.push({ name, cold, warm, base });
}
await rm(dir, { recursive: true, force: true });

console.log(`javascript assertions: ${N} cases, ${C} at a time, worker threads vs in-process`);
for (const { name, cold, warm, base } of rows) {
  const per = (ms) => `${((ms * 1000) / N).toFixed(0).padStart(5)} µs`;
  console.log(`  ${name.padEnd(8)} cold ${cold.toFixed(0).padStart(5)} ms (${per(cold)}/assertion) · warm ${warm.toFixed(0).padStart(5)} ms (${per(warm)}/assertion) · in-process ${base.toFixed(1)} ms (${per(base)}/assertion)`);
}
process.exit(0);
