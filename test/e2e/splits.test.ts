/**
 * Splits through the CLI: `eval` computes them without writing anything, `optimize` records them in
 * `cases.jsonl.splits.json`, and from then on adding or removing cases never moves a case; a spec
 * whose split settings no longer match the file is refused (exit 2) before any model call.
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exists, makeTempDir, parseJsonOut, removeDir, REPO_ROOT, runCli } from './helpers/cli.js';

const TASK = [
  'name: verses',
  'description: Classify the sentiment of one verse of poetry as positive, negative, no_impact or mixed.',
  'prompt: "Classify the sentiment of this verse: {{verse}}"',
  'input_var: verse',
  'target: { provider: sim, model: sim-classifier }',
  'optimizer: { provider: sim, model: sim-optimizer, max_iterations: 1, candidates: 2, validation_iterations: 0 }',
  'cases: cases.jsonl',
  'defaults:',
  '  assert:',
  '    - type: equals',
  '      value: "{{expected}}"',
  'splits: { train: 0.5, validation: 0.2, test: 0.3, seed: 3 }',
  'threshold: 0',
  '',
].join('\n');

let dir: string;
let rows: string[];
const splitsFile = () => join(dir, 'cases.jsonl.splits.json');

/** Each case's split as `eval --split all --json` reports it. */
async function evalSplits(): Promise<Map<string, string>> {
  const result = await runCli(['eval', 'task.yaml', '--split', 'all', '--json'], { cwd: dir });
  expect(result.code, result.stderr).toBe(0);
  const doc = parseJsonOut(result) as { cases: { id: string; split: string }[] };
  return new Map(doc.cases.map((c) => [c.id, c.split]));
}

async function recorded(): Promise<Record<string, string>> {
  return (JSON.parse(await readFile(splitsFile(), 'utf8')) as { splits: Record<string, string> }).splits;
}

beforeAll(async () => {
  dir = await makeTempDir('promptopt-splits-');
  rows = (await readFile(join(REPO_ROOT, 'examples', 'poem-sentiment', 'cases.jsonl'), 'utf8')).trim().split('\n');
  await writeFile(join(dir, 'task.yaml'), TASK);
  await writeFile(join(dir, 'cases.jsonl'), `${rows.slice(0, 80).join('\n')}\n`);
});
afterAll(async () => {
  await removeDir(dir);
});

describe('persisted splits', () => {
  let first: Map<string, string>;

  it('eval and optimize --dry-run compute splits without writing the splits file', async () => {
    first = await evalSplits();
    expect(first.size).toBe(80);
    const counts = [...first.values()].reduce<Record<string, number>>((n, s) => ({ ...n, [s]: (n[s] ?? 0) + 1 }), {});
    expect(counts).toEqual({ train: 40, validation: 16, test: 24 });
    const dry = await runCli(['optimize', 'task.yaml', '--dry-run'], { cwd: dir });
    expect(dry.code, dry.stderr).toBe(0);
    expect(await exists(splitsFile())).toBe(false);
  });

  it('optimize records exactly the splits eval computed, and runs on them', async () => {
    const result = await runCli(['optimize', 'task.yaml', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(new Map(Object.entries(await recorded()))).toEqual(first);
    const summary = parseJsonOut(result) as { scores: { final: { test: { total: number } } } };
    expect(summary.scores.final.test.total).toBe(24);
  }, 60_000);

  it('adding cases moves none: eval places the new ones in memory, optimize then records the same', async () => {
    const before = await readFile(splitsFile(), 'utf8');
    await appendFile(join(dir, 'cases.jsonl'), `${rows.slice(80, 110).join('\n')}\n`);
    const grown = await evalSplits();
    expect(await readFile(splitsFile(), 'utf8')).toBe(before); // eval only reads it
    for (const [id, split] of first) expect(grown.get(id)).toBe(split);
    expect(grown.size).toBe(110);

    const result = await runCli(['optimize', 'task.yaml'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('splits: recorded 30 new cases in cases.jsonl.splits.json (commit it with the cases)');
    expect(new Map(Object.entries(await recorded()))).toEqual(grown);
  }, 60_000);

  it('removing cases moves no other case', async () => {
    const all = await evalSplits();
    await writeFile(join(dir, 'cases.jsonl'), `${rows.slice(0, 110).filter((_, i) => i % 4 !== 1).join('\n')}\n`);
    const fewer = await evalSplits();
    expect(fewer.size).toBeLessThan(all.size);
    for (const [id, split] of fewer) expect(split).toBe(all.get(id));
  });

  it('other split settings are refused with the file and the spec line named, before any call (exit 2)', async () => {
    await writeFile(join(dir, 'task.yaml'), TASK.replace('seed: 3', 'seed: 5'));
    for (const command of [['eval', 'task.yaml'], ['optimize', 'task.yaml']]) {
      const result = await runCli(command, { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('task.yaml:12:');
      expect(result.stderr).toContain('cases.jsonl.splits.json holds splits made with train 0.5, validation 0.2, test 0.3, seed 3, but the spec asks for');
      expect(result.stderr).toContain('delete cases.jsonl.splits.json to split every case afresh');
    }
    await writeFile(join(dir, 'task.yaml'), TASK);
  });
});
