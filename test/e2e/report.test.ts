/**
 * report.html end to end: a real optimize run through the built CLI against the fake LLM server
 * writes a self-contained, escaped HTML report and `cases.json`; `promptopt report <run>` re-renders
 * the same reports from disk without a model call; `--path` prints the HTML path, `--open` hands it to
 * the desktop's browser (a fake `xdg-open` here) or prints it when there is none.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { exists, makeTempDir, parseJsonOut, removeDir, runCli } from './helpers/cli.js';
import {
  fixOneShown,
  group,
  optimize,
  optimizeSpec,
  readJson,
  ruleTarget,
  startWorld,
  writeTask,
  type OptimizeWorld,
  type TaskCase,
} from './helpers/optimize-harness.js';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';

const CASES: TaskCase[] = [
  ...group('alpha', 'train', 2),
  ...group('bravo', 'train', 2),
  ...group('delta', 'train', 2),
  ...group('alpha', 'validation', 1),
  ...group('delta', 'validation', 1),
  ...group('bravo', 'test', 1),
  ...group('delta', 'test', 1),
];

let world: OptimizeWorld;
let dir: string;

beforeEach(async () => {
  // `delta` cases never pass: the target answers them with markup (a script in train, an attribute
  // breakout elsewhere), which the report must show as text.
  world = await startWorld({
    cases: CASES,
    optimizer: fixOneShown,
    target: (prompt, c) => (c.expected === 'delta' ? (c.split === 'train' ? `Sure! ${SCRIPT}` : IMG) : ruleTarget(prompt, c)),
  });
  dir = await makeTempDir('promptopt-report-');
});

afterEach(async () => {
  await world.close();
  await removeDir(dir);
});

/** `promptopt report ...` with no API key in the environment: re-rendering needs none. */
function report(args: string[], env: Record<string, string> = {}) {
  return runCli(['report', ...args], { cwd: dir, env });
}

/** The file's text once it exists (a detached process writes it), or a failure after 5 s. */
async function waitForFile(file: string): Promise<string> {
  for (let waited = 0; waited < 5000; waited += 25) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text?.endsWith('\n')) return text;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${file} was never written`);
}

describe('report.html', () => {
  test('an optimize run writes a self-contained, escaped HTML report and cases.json; `promptopt report` re-renders it from disk', async () => {
    // Priced models, so the cost chart has something to draw.
    const price = { input_per_mtok: 1, output_per_mtok: 2 };
    await writeTask(dir, optimizeSpec(CASES, { target: { price }, optimizer: { max_iterations: 3, patience: 3, price } }));
    const run = await optimize(world, dir, ['--json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = parseJsonOut(run);
    const runDir = summary.run_dir as string;
    expect(summary.reports.html).toBe(join(runDir, 'report.html'));
    const page = await readFile(summary.reports.html, 'utf8');

    // The sections.
    expect(page).toMatch(/<svg class="chart score-chart"[\s\S]*<circle class="marker accepted"[\s\S]*<\/svg>/);
    expect(page).toMatch(/<svg class="chart cost-chart"/);
    const finalPrompt = (await readJson(summary.reports.json)).final_prompt as string;
    expect(finalPrompt).toContain('RULE:alpha');
    expect(page).toContain(`<pre class="block final-prompt">${finalPrompt.replace(/&/g, '&amp;')}</pre>`);
    expect(page).toContain('<span class="d-add">+RULE:alpha</span>');
    expect(page).toMatch(/<section id="categories">[\s\S]*<code>wrong_answer<\/code>/);
    expect(page).toMatch(/<section id="lessons"><h2>Lessons learned<\/h2><ul class="lessons"><li>/);
    for (const id of ['f-split-train', 'f-split-validation', 'f-split-test', 'f-result-pass', 'f-result-fail']) expect(page).toContain(`id="${id}"`);
    // Every case, each split, scored with the final prompt (train and validation replayed from the cache).
    for (const c of CASES) expect(page).toContain(`<tr class="split-${c.split} ${c.expected === 'delta' ? 'fail' : 'pass'}" data-case="${c.id}">`);

    // Escaped, never markup; and nothing fetched from the network.
    expect(page).not.toContain(SCRIPT);
    expect(page).not.toContain(IMG);
    expect(page).not.toMatch(/<script|<img/i);
    expect(page).toContain('<pre>Sure! &lt;script&gt;alert(1)&lt;/script&gt;</pre>');
    expect(page).toContain('<pre>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</pre>');
    expect(page).not.toMatch(/https?:\/\//);

    // cases.json: compact, every case, no key.
    const saved = await readJson(join(runDir, 'cases.json'));
    expect(saved).toMatchObject({ schema_version: 1, run_id: summary.run_id, prompt_version: summary.best_version });
    expect((saved.cases as Record<string, unknown>[]).map((c) => c.case_id).sort()).toEqual(CASES.map((c) => c.id).sort());
    expect(Object.keys((saved.cases as Record<string, unknown>[])[0]!).sort()).toEqual(['case_id', 'expected', 'failures', 'output', 'pass', 'score', 'split', 'vars']);
    const savedText = JSON.stringify(saved);
    expect(savedText).not.toContain('sk-test-SECRET');
    expect(savedText).not.toContain('sk-ant-test-SECRET');

    // Re-rendered from disk, by run folder: the same three reports, and no model call.
    const originals = await Promise.all(['report.md', 'report.json', 'report.html'].map((f) => readFile(join(runDir, f), 'utf8')));
    const requests = world.seen.length;
    for (const f of ['report.md', 'report.json', 'report.html']) await rm(join(runDir, f));
    const byPath = await report([runDir]);
    expect(byPath.code, byPath.stderr).toBe(0);
    expect(byPath.stderr).toBe('');
    expect(byPath.stdout).toContain(join(runDir, 'report.html'));
    const again = await Promise.all(['report.md', 'report.json', 'report.html'].map((f) => readFile(join(runDir, f), 'utf8')));
    expect(again[2]).toBe(originals[2]);
    expect(again[0]).toBe(originals[0]);
    expect(again[1]).toBe(originals[1]);
    expect(world.seen.length).toBe(requests);

    // By id with the spec, and `latest`; --path prints only the HTML path.
    await rm(join(runDir, 'report.html'));
    const path = await report(['latest', 'task.yaml', '--path']);
    expect(path.code, path.stderr).toBe(0);
    expect(path.stdout).toBe(`${join(runDir, 'report.html')}\n`);
    expect(await readFile(join(runDir, 'report.html'), 'utf8')).toBe(originals[2]);
    const byId = await report([basename(runDir), 'task.yaml', '--path']);
    expect(byId.stdout.trim()).toBe(join(runDir, 'report.html'));

    // Without cases.json: still a report, saying the case table is missing.
    await rm(join(runDir, 'cases.json'));
    const bare = await report([runDir]);
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stdout).toContain('no cases.json');
    expect(await readFile(join(runDir, 'report.html'), 'utf8')).toContain('No case results were saved for this run');
  });

  test("--open hands report.html to the desktop's opener; without a display, or without an opener, it prints the path", async () => {
    await writeTask(dir, optimizeSpec(CASES, { optimizer: { max_iterations: 1, patience: 1 } }));
    const run = await optimize(world, dir, ['--json']);
    expect(run.code, run.stderr).toBe(0);
    const html = parseJsonOut(run).reports.html as string;
    // A fake xdg-open, first on PATH: it records its arguments, one a line.
    const bin = join(dir, 'fake-bin');
    const record = join(dir, 'xdg-open.args');
    await mkdir(bin);
    await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\n`, { mode: 0o755 });
    const PATH = `${bin}${delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`;

    const opened = await report(['latest', 'task.yaml', '--open'], { PATH, DISPLAY: ':0' });
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.stdout).toBe(`opened ${html} in the browser (xdg-open)\n`);
    expect(await waitForFile(record)).toBe(`${html}\n`);

    // A Wayland session counts as a display too.
    await rm(record);
    expect((await report(['latest', 'task.yaml', '--open'], { PATH, WAYLAND_DISPLAY: 'wayland-0' })).code).toBe(0);
    expect(await waitForFile(record)).toBe(`${html}\n`);

    // No display (a server, CI, ssh): the path, and why, and the opener is never started.
    await rm(record);
    const headless = await report(['latest', 'task.yaml', '--open'], { PATH });
    expect(headless.code, headless.stderr).toBe(0);
    expect(headless.stdout).toBe(`${html}\n`);
    expect(headless.stderr).toContain('not opened: no desktop display (DISPLAY and WAYLAND_DISPLAY are unset)');
    expect(await exists(record)).toBe(false);

    // A display but no xdg-open installed: the command still succeeds and prints the path.
    const noOpener = await report(['latest', 'task.yaml', '--open'], { PATH: join(dir, 'empty-bin'), DISPLAY: ':0' });
    expect(noOpener.code, noOpener.stderr).toBe(0);
    expect(noOpener.stdout).toBe(`${html}\n`);
    expect(noOpener.stderr).toMatch(/not opened: xdg-open could not be started/);

    // --open and --path together are a usage error.
    const both = await report(['latest', 'task.yaml', '--open', '--path']);
    expect(both.code).toBe(2);
  });

  test('an unknown run is exit 2 with a hint', async () => {
    await writeTask(dir, optimizeSpec(CASES));
    const result = await report(['no-such-run', 'task.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no run "no-such-run"');
    expect(await exists(join(dir, '.promptopt'))).toBe(false);
  });
});
