/**
 * `eval` on thousands of cases (the offline simulator) writes its outputs from a spool, not from
 * results held in memory: the documents must still list every case once, in the cases' order, agree
 * with each other and with the summaries, and the terminal must still list the failing cases.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOut, removeDir, runCli } from './helpers/cli.js';
import { findAll, parseXml } from './helpers/xml.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const N = 2000;
let dir: string;
let ids: string[];

beforeAll(async () => {
  dir = await makeTempDir('promptopt-eval-many-');
  const example = join(ROOT, 'examples', 'poem-sentiment');
  const rows = (await readFile(join(example, 'cases.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
  const cases = Array.from({ length: N }, (_, i) => {
    const row = rows[i % rows.length]!;
    return { id: `verse-${i}`, input: i < rows.length ? row.input : `${row.input} (#${i})`, expected: row.expected };
  });
  ids = cases.map((c) => c.id);
  await writeFile(join(dir, 'cases.jsonl'), `${cases.map((c) => JSON.stringify(c)).join('\n')}\n`);
  await copyFile(join(example, 'prompt.md'), join(dir, 'prompt.md'));
  await copyFile(join(example, 'task.yaml'), join(dir, 'task.yaml'));
});
afterAll(() => removeDir(dir));

describe(`eval of ${N} cases`, () => {
  it('--json, --output and --junit list every case once, in order, consistent with the summary', async () => {
    const result = await runCli(['eval', 'task.yaml', '--split', 'all', '--json', '--output', 'out.json', '--junit', 'junit.xml'], { cwd: dir, timeoutMs: 60_000 });
    expect([0, 1]).toContain(result.code);
    expect(result.stdout.endsWith('}\n')).toBe(true);
    const doc = parseJsonOut(result);
    const written = JSON.parse(await readFile(join(dir, 'out.json'), 'utf8')) as Record<string, any>;
    expect(written).toEqual(doc);

    const cases = doc.cases as { id: string; pass: boolean; split: string; output: string; failures: unknown[] }[];
    expect(cases.map((c) => c.id)).toEqual(ids);
    const all = doc.summary.find((s: { split: string }) => s.split === 'all');
    expect(all.total).toBe(N);
    expect(all.passed).toBe(cases.filter((c) => c.pass).length);
    expect(all.passed).toBeGreaterThan(0);
    expect(all.passed).toBeLessThan(N);
    for (const split of ['train', 'validation', 'test']) {
      expect(doc.summary.find((s: { split: string }) => s.split === split).total).toBe(cases.filter((c) => c.split === split).length);
    }
    expect(cases.filter((c) => !c.pass).every((c) => c.failures.length > 0)).toBe(true);

    const root = parseXml(await readFile(join(dir, 'junit.xml'), 'utf8'));
    expect(root.attributes).toMatchObject({ tests: String(N), failures: String(N - all.passed), errors: '0' });
    const testcases = findAll(root, 'testcase');
    expect(testcases).toHaveLength(N);
    expect(new Set(testcases.map((t) => t.attributes.name)).size).toBe(N);
    // A testcase is named by its case id and the start of its input.
    const idOf = (name: string | undefined) => name!.split(': ')[0]!;
    const failed = new Set(cases.filter((c) => !c.pass).map((c) => c.id));
    expect(testcases.filter((t) => t.children.some((child) => child.name === 'failure')).map((t) => idOf(t.attributes.name)).sort()).toEqual([...failed].sort());
    for (const suite of findAll(root, 'testsuite')) {
      const split = suite.attributes.name!.split('.').at(-1)!;
      const inSuite = findAll(suite, 'testcase').map((t) => idOf(t.attributes.name));
      expect(inSuite).toEqual(cases.filter((c) => c.split === split).map((c) => c.id));
    }
  }, 60_000);

  it('the terminal lists the first failing cases and counts the rest', async () => {
    const result = await runCli(['eval', 'task.yaml', '--split', 'all', '--quiet'], { cwd: dir, timeoutMs: 60_000 });
    expect([0, 1]).toContain(result.code);
    const count = Number(/Failing cases \((\d+)\):/.exec(result.stdout)?.[1]);
    expect(count).toBeGreaterThan(10);
    expect(result.stdout).toContain(`… ${count - 10} more (use --json or --output for all)`);
    expect(result.stdout.match(/^ {2}✗ /gm)).toHaveLength(10);
  }, 60_000);
});
