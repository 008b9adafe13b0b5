/**
 * The splits file: where it lives, what it holds, that only `record` writes it, that the same input
 * gives the same bytes, that other settings are refused, and that concurrent writers end with one
 * assignment every one of them used.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PromptoptError } from '../../src/errors.js';
import { resolveSplits } from '../../src/dataset/resolve-splits.js';
import { planSplits } from '../../src/dataset/split-cases.js';
import { formatSplitsFile, splitsFilePath } from '../../src/dataset/splits-file.js';
import { loadSpec } from '../../src/session/load-spec.js';
import type { Spec } from '../../src/spec/types.js';
import { withFileLock } from '../../src/util/file-lock.js';
import { issueAt, lines, specErrorOf, writeFiles } from '../spec/helpers.js';

const LABELS = ['positive', 'negative', 'neutral'];
const HEAD = ['name: t', 'description: d', 'prompt: "{{input}}"', 'target: { provider: sim, model: sim-classifier }'];
/** Every case checked against its expected label (a spec whose cases nothing checks is refused). */
const CHECK = 'defaults: { assert: [{ type: equals, value: "{{expected}}" }] }';

function jsonl(from: number, to: number): string {
  return Array.from({ length: to - from }, (_, i) => JSON.stringify({ id: `c${from + i}`, input: `line ${from + i}`, expected: LABELS[(from + i) % 3] })).join('\n') + '\n';
}

async function taskWithFile(count = 40, splits = 'splits: { train: 0.5, validation: 0.2, test: 0.3, seed: 3 }'): Promise<{ dir: string; spec: Spec }> {
  const dir = writeFiles({ 'task.yaml': lines(...HEAD, 'cases: cases.jsonl', splits, CHECK), 'cases.jsonl': jsonl(0, count) });
  return { dir, spec: await loadSpec(join(dir, 'task.yaml'), { env: {} }) };
}

const exists = (path: string) => stat(path).then(() => true, () => false);

describe('the splits file', () => {
  it('lives beside the cases file, or beside the spec for inline cases', async () => {
    const { dir, spec } = await taskWithFile();
    expect(splitsFilePath(spec)).toBe(join(dir, 'cases.jsonl.splits.json'));
    const inline = writeFiles({ 'task.yaml': lines(...HEAD, 'cases:', '  - { input: a, expected: x }', '  - { input: b, expected: y }', CHECK) });
    const inlineSpec = await loadSpec(join(inline, 'task.yaml'), { env: {} });
    expect(splitsFilePath(inlineSpec)).toBe(join(inline, 'task.yaml.splits.json'));
    expect((await resolveSplits(inlineSpec, { record: true })).wrote).toBe(true);
    expect(await exists(join(inline, 'task.yaml.splits.json'))).toBe(true);
  });

  it('is only read without record, and written with it: the settings, then one sorted line per case', async () => {
    const { dir, spec } = await taskWithFile();
    const file = join(dir, 'cases.jsonl.splits.json');
    const inMemory = await resolveSplits(spec, { record: false });
    expect(await exists(file)).toBe(false);
    expect(inMemory.added).toBe(40);

    const recorded = await resolveSplits(spec, { record: true });
    expect(recorded.wrote).toBe(true);
    expect(recorded.cases).toEqual(inMemory.cases); // what eval computed is what optimize wrote
    const text = await readFile(file, 'utf8');
    const doc = JSON.parse(text) as { settings: unknown; splits: Record<string, string> };
    expect(doc.settings).toEqual({ train: 0.5, validation: 0.2, test: 0.3, seed: 3, stratify: true });
    expect(Object.keys(doc.splits)).toEqual([...Object.keys(doc.splits)].sort());
    for (const c of recorded.cases) expect(doc.splits[c.id]).toBe(c.split);
    expect(text.split('\n').filter((l) => /^ {4}"c\d+": "(train|validation|test)",?$/.test(l))).toHaveLength(40);

    const again = await resolveSplits(spec, { record: true });
    expect(again.wrote).toBe(false);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('gives byte-identical files for the same cases and settings', async () => {
    const a = await taskWithFile();
    const b = await taskWithFile();
    await resolveSplits(a.spec, { record: true });
    await resolveSplits(b.spec, { record: true });
    expect(await readFile(join(a.dir, 'cases.jsonl.splits.json'), 'utf8')).toBe(await readFile(join(b.dir, 'cases.jsonl.splits.json'), 'utf8'));
  });

  it('keeps every recorded line when cases are added: only lines for the new cases appear', async () => {
    const { dir, spec } = await taskWithFile(40);
    await resolveSplits(spec, { record: true });
    const before = (await readFile(join(dir, 'cases.jsonl.splits.json'), 'utf8')).split('\n').map((l) => l.replace(/,$/, ''));
    await writeFile(join(dir, 'cases.jsonl'), jsonl(0, 55));
    const grown = await loadSpec(join(dir, 'task.yaml'), { env: {} });
    const readOnly = await resolveSplits(grown, { record: false });
    expect(readOnly.added).toBe(15);
    await resolveSplits(grown, { record: true });
    const after = (await readFile(join(dir, 'cases.jsonl.splits.json'), 'utf8')).split('\n').map((l) => l.replace(/,$/, ''));
    const added = after.filter((l) => !before.includes(l));
    expect(before.filter((l) => !after.includes(l))).toEqual([]);
    expect(added).toHaveLength(15);
    expect(added.every((l) => /"c(4[0-9]|5[0-4])"/.test(l))).toBe(true);
  });

  it('refuses a file made with other settings, pointing at the spec\'s splits (eval and optimize alike)', async () => {
    const { dir, spec } = await taskWithFile();
    await resolveSplits(spec, { record: true });
    const text = await readFile(join(dir, 'task.yaml'), 'utf8');
    await writeFile(join(dir, 'task.yaml'), text.replace('seed: 3', 'seed: 4'));
    const changed = await loadSpec(join(dir, 'task.yaml'), { env: {} });
    for (const record of [false, true]) {
      const issue = issueAt(await specErrorOf(resolveSplits(changed, { record })), 'splits');
      expect(issue.line).toBe(6);
      expect(issue.message).toContain('cases.jsonl.splits.json holds splits made with train 0.5, validation 0.2, test 0.3, seed 3, but the spec asks for train 0.5, validation 0.2, test 0.3, seed 4');
      expect(issue.hint).toContain('delete');
    }
  });

  it('reports a damaged file by name', async () => {
    const { dir, spec } = await taskWithFile();
    const file = join(dir, 'cases.jsonl.splits.json');
    const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as PromptoptError);
    await writeFile(file, '{"settings": ');
    let error = await failure(resolveSplits(spec, { record: false }));
    expect(error).toBeInstanceOf(PromptoptError);
    expect(error!.code).toBe('SPLITS_FILE_INVALID');
    expect(error!.message).toMatch(/splits file .*cases\.jsonl\.splits\.json is not valid JSON/);
    await writeFile(file, JSON.stringify({ settings: { train: 0.5, validation: 0.2, test: 0.3, seed: 3, stratify: true }, splits: { c1: 'training' } }));
    error = await failure(resolveSplits(spec, { record: true }));
    expect(error!.message).toContain('case "c1" has split "training"');
    expect(await readFile(file, 'utf8')).toContain('"training"'); // left as it was
  });
});

describe('the bundled examples', () => {
  it.each(['banking77', 'poem-sentiment', 'snips-extraction'])('%s ships its splits file, in canonical form and covering every case', async (name) => {
    const spec = await loadSpec(join(import.meta.dirname, '..', '..', 'examples', name, 'task.yaml'), { env: {} });
    const file = splitsFilePath(spec);
    const text = await readFile(file, 'utf8');
    const recorded = (JSON.parse(text) as { splits: Record<string, 'train' | 'validation' | 'test'> }).splits;
    const plan = planSplits(spec.cases, spec.splits, recorded);
    expect(plan.added).toEqual([]);
    expect(formatSplitsFile({ settings: spec.splits, splits: plan.assignment }, 'cases.jsonl')).toBe(text);
    // What a first optimize would have written: the fresh assignment.
    expect(planSplits(spec.cases, spec.splits).assignment).toEqual(recorded);
  });
});

describe('concurrent writers', () => {
  it('end with one file whose splits are the ones every writer used', async () => {
    const { dir, spec } = await taskWithFile(120);
    // Eight processes with different views of the cases (as if the cases file changed between their starts).
    const views = Array.from({ length: 8 }, (_, i) => ({ ...spec, cases: spec.cases.filter((_, j) => (j + i) % (i + 2) !== 0) }));
    const results = await Promise.all(views.map((view) => resolveSplits(view, { record: true })));
    const file = join(dir, 'cases.jsonl.splits.json');
    const final = JSON.parse(await readFile(file, 'utf8')) as { splits: Record<string, string> };
    for (const result of results) for (const c of result.cases) expect(final.splits[c.id]).toBe(c.split);
    expect(Object.keys(final.splits)).toHaveLength(new Set(views.flatMap((v) => v.cases.map((c) => c.id))).size);
    expect(await exists(`${file}.lock`)).toBe(false);
  });

  it('the splits lock is broken when the process that left it died, and waited for while its owner lives', async () => {
    const { dir } = await taskWithFile();
    const lock = join(dir, 'x.json.lock');
    const host = (await import('node:os')).hostname();
    await writeFile(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host, at: Date.now() }));
    expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 1000 })).toBe('ran');
    await writeFile(lock, JSON.stringify({ pid: process.pid, host, at: Date.now() }));
    await expect(withFileLock(lock, async () => 'ran', { timeoutMs: 100 })).rejects.toThrow(/timed out after .* waiting for the lock/);
  });
});
