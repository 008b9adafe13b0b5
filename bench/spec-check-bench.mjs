// What checking assertions before the first call costs on a large cases file (default 100,000 cases).
// Run: npm run build && node bench/spec-check-bench.mjs [cases]
//
// For each spec shape it writes task.yaml + cases.jsonl, then measures loadSpec, best of 3:
//   - without the assertion checks (`checkAssertions: false`, what history/report/cache do);
//   - with them (eval, optimize, compare, --dry-run): every case's variables for every assertion,
//     values with variables rendered and checked once per distinct rendering, scripts loaded once
//     (the first load with checks includes starting the worker thread and loading the script).
// and the checks alone on the loaded spec (the script load excepted), which varies less than a load.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = new URL('..', import.meta.url).pathname;
const { loadSpec } = await import(pathToFileURL(join(ROOT, 'dist', 'spec', 'load-spec.js')).href);
const { checkAssertions } = await import(pathToFileURL(join(ROOT, 'dist', 'spec', 'assertion-rules.js')).href);
const { checkUncheckedCases } = await import(pathToFileURL(join(ROOT, 'dist', 'spec', 'unchecked-cases-rule.js')).href);
const { jsWorkerPool } = await import(pathToFileURL(join(ROOT, 'dist', 'assertions', 'sandbox', 'worker-pool.js')).href);

const count = Number(process.argv[2]) || 100_000;
const RUNS = 5;
const LABELS = ['positive', 'negative', 'neutral'];

const SHAPES = {
  'defaults: equals/contains/regex on {{expected}}, not-icontains': {
    defaults: [
      '    - { type: equals, value: "{{expected}}" }',
      '    - { type: icontains, value: "{{expected}}" }',
      '    - { type: regex, value: "^(?:{{expected}})$" }',
      '    - { type: not-icontains, value: "as an AI" }',
    ],
    row: () => ({}),
  },
  'same + an own assert on every case (regex + contains-any)': {
    defaults: ['    - { type: equals, value: "{{expected}}" }'],
    row: (i) => ({ assert: [{ type: 'regex', value: `^\\w+$` }, { type: 'contains-any', value: [LABELS[i % 3], 'mixed'] }] }),
  },
  'defaults: a javascript file + an inline javascript with {{expected}}': {
    defaults: ['    - { type: javascript, value: "file://check.js:isLabel" }', '    - { type: javascript, value: "output.trim() === \'{{expected}}\'" }'],
    row: () => ({}),
  },
};

async function best(fn) {
  let min = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await fn();
    min = Math.min(min, performance.now() - started);
  }
  return min;
}

const ms = (value) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
console.log(`loadSpec on ${count.toLocaleString('en-US')} cases (cases.jsonl), best of ${RUNS}:`);
for (const [name, shape] of Object.entries(SHAPES)) {
  const dir = await mkdtemp(join(tmpdir(), 'promptopt-spec-bench-'));
  try {
    await mkdir(dir, { recursive: true });
    const rows = Array.from({ length: count }, (_, i) =>
      JSON.stringify({ id: `c${i}`, input: `review number ${i}: it was fine, I guess`, expected: LABELS[i % 3], ...shape.row(i) }),
    );
    await writeFile(join(dir, 'cases.jsonl'), `${rows.join('\n')}\n`);
    await writeFile(join(dir, 'check.js'), 'export function isLabel(output) { return ["positive", "negative", "neutral"].includes(output.trim()); }\n');
    const spec = ['name: bench', 'description: d', 'prompt: "Classify: {{input}}"', 'target: { provider: sim, model: sim-classifier }', 'cases: cases.jsonl', 'defaults:', '  assert:', ...shape.defaults];
    await writeFile(join(dir, 'task.yaml'), `${spec.join('\n')}\n`);
    const file = join(dir, 'task.yaml');
    const without = await best(() => loadSpec(file, { env: {}, checkAssertions: false }));
    const started = performance.now();
    await loadSpec(file, { env: {} });
    const first = performance.now() - started;
    const withChecks = await best(() => loadSpec(file, { env: {} }));
    // The same checks alone, on the loaded spec (less noise than the difference of two loads).
    const loaded = await loadSpec(file, { env: {}, checkAssertions: false });
    const scope = { root: dir, trusted: false };
    const issueAt = () => ({ message: '' });
    const alone = await best(() => {
      checkUncheckedCases(loaded, issueAt);
      checkAssertions(loaded, { issueAt, scope });
    });
    console.log(`  ${name}\n    without checks ${ms(without)}, with ${ms(withChecks)} (first load with checks: ${ms(first)}); the checks alone (scripts not loaded): ${ms(alone)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
await jsWorkerPool().close();
