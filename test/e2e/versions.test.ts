/**
 * The version commands through the built CLI: history, diff, promote, rollback, branch and
 * cherry-pick on a versions folder made with writeVersion (no model calls).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/session/load-spec.js';
import { listVersions } from '../../src/store/list-versions.js';
import { readHistory } from '../../src/store/history.js';
import { writeVersion, type WriteVersionInput } from '../../src/store/write-version.js';
import { listFiles, makeTempDir, parseJsonOut, removeDir, runCli, writeSpec } from './helpers/cli.js';

const CASES = '  - input: I love it\n    expected: positive\n  - input: I hate it\n    expected: negative\ndefaults: { assert: [{ type: equals, value: "{{expected}}" }] }\n';
const INLINE_SPEC = `# Sentiment task (hand-written comments must survive promote)
name: sentiment
description: Classify the sentiment of a review.
# the prompt under optimization
prompt: "Classify the sentiment of: {{input}}"  # v1
target: { provider: sim, model: sim-classifier }
cases:
${CASES}`;
const FILE_SPEC = `name: sentiment
description: Classify the sentiment of a review.
prompt: file://prompt.md
target: { provider: sim, model: sim-classifier }
cases:
${CASES}`;

const V1 = 'Classify the sentiment of: {{input}}';
const V2 = 'Classify the sentiment of the review below.\nAnswer with one word: positive or negative.\n\nReview: {{input}}\n';
const V3 = 'Classify the sentiment of the review below.\nAnswer with one word: positive or negative.\nNo punctuation.\n\nReview: {{input}}\n';

let dir: string;
let versions: string;
beforeEach(async () => {
  dir = await makeTempDir('promptopt-versions-');
  versions = join(dir, 'prompt-versions');
});
afterEach(async () => {
  await removeDir(dir);
});

function version(text: string, extra: Partial<WriteVersionInput> = {}): Promise<unknown> {
  return writeVersion(versions, {
    text,
    task: 'sentiment',
    targetModel: 'sim:sim-classifier',
    scores: { train: 0.5 },
    costUsd: 0.002,
    hypothesis: 'h',
    ext: '.md',
    source: 'optimize',
    runId: 'run-1',
    ...extra,
  });
}

/** v1 (start) -> v2 -> v3 on main. */
async function threeVersions(): Promise<void> {
  await version(V1, { source: 'start' });
  await version(V2, { parent: 1, scores: { train: 0.75, validation: 0.5 } });
  await version(V3, { parent: 2, scores: { train: 1, validation: 1, test: 0.5 } });
}

const cli = (...args: string[]) => runCli(args, { cwd: dir });

describe('promote and rollback', () => {
  it('rewrites an inline prompt keeping comments, rolls back, and history shows both', async () => {
    const spec = await writeSpec(dir, INLINE_SPEC);
    await threeVersions();

    const promoted = await cli('promote', 'task.yaml', 'v3');
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(promoted.stdout).toContain('--- v1\n+++ v3');
    expect(promoted.stdout).toContain('+No punctuation.');
    expect(promoted.stdout).toContain('promoted v3 (was v1)');
    const yaml = await readFile(spec, 'utf8');
    expect(yaml).toContain('# Sentiment task (hand-written comments must survive promote)');
    expect(yaml).toContain('# the prompt under optimization');
    expect(yaml).toMatch(/^prompt: \| # v1$/m);
    expect((await loadSpec(spec)).prompt.text).toBe(V3);

    const back = await cli('rollback', 'task.yaml');
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toContain('rolled back to v1 (was v3)');
    expect((await loadSpec(spec)).prompt.text).toBe(V1);
    expect(await readFile(spec, 'utf8')).toContain('# the prompt under optimization');

    const history = await cli('history', 'task.yaml');
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toMatch(/^\*\s+v1\s+-\s+main/m);
    expect(history.stdout).toMatch(/^\s+v3\s+v2\s+main\s+\S+ \S+\s+run-1\s+sim:sim-classifier\s+100\.0%\s+100\.0%\s+50\.0%\s+pass rate\s+\$0\.002/m);
    expect(history.stdout).toContain('* current: v1 (the inline prompt of task.yaml)');
    expect(history.stdout).toMatch(/rollback\s+v3 → v1\n.*promote\s+v1 → v3/);
    // newest first
    expect(history.stdout.indexOf('v3  ')).toBeLessThan(history.stdout.indexOf('v2  '));

    const events = (await readHistory(versions)).filter((e) => e.event !== 'created');
    expect(events.map((e) => [e.event, e.fields.from, e.fields.to])).toEqual([
      ['promote', 1, 3],
      ['rollback', 3, 1],
    ]);
    expect(await listVersions(versions)).toHaveLength(3);
  });

  it('writes a file:// prompt, rolls back to the previous one, and refuses hand edits without --force', async () => {
    await writeSpec(dir, FILE_SPEC, { files: { 'prompt.md': V1 } });
    await threeVersions();
    const prompt = join(dir, 'prompt.md');
    // eval --prompt v2 names the version, as compare --versions does: the same results as its file.
    const byName = await cli('eval', 'task.yaml', '--prompt', 'v2', '--json');
    const byFile = await cli('eval', 'task.yaml', '--prompt', 'prompt-versions/v2.md', '--json');
    expect(byName.code, byName.stderr).toBe(byFile.code);
    expect(parseJsonOut(byName).score).toBe(parseJsonOut(byFile).score);
    expect(parseJsonOut(byName).cases.map((c: { pass: boolean }) => c.pass)).toEqual(parseJsonOut(byFile).cases.map((c: { pass: boolean }) => c.pass));
    expect((await cli('eval', 'task.yaml', '--prompt', 'v9')).stderr).toContain('prompt version v9 not found');

    expect((await cli('promote', 'task.yaml', '2')).code).toBe(0);
    expect(await readFile(prompt, 'utf8')).toBe(V2);
    expect((await cli('promote', 'task.yaml', 'v3')).code).toBe(0);
    expect(await readFile(prompt, 'utf8')).toBe(V3);
    const back = await cli('rollback', 'task.yaml');
    expect(back.code, back.stderr).toBe(0);
    expect(await readFile(prompt, 'utf8')).toBe(V2);

    await writeFile(prompt, `${V2}Be brief.\n`);
    const refused = await cli('promote', 'task.yaml', 'v1');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('prompt.md has edits that match no version; nothing was written');
    expect(refused.stderr).toContain('--force');
    expect(await readFile(prompt, 'utf8')).toBe(`${V2}Be brief.\n`);

    const forced = await cli('promote', 'task.yaml', 'v1', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('-Be brief.');
    expect(await readFile(prompt, 'utf8')).toBe(V1);
    // The replaced hand edits are kept, and the message says where.
    const kept = /replaced hand edits, kept in (\S+)\)/.exec(forced.stdout)?.[1];
    expect(kept).toMatch(/prompt-versions\/overwritten\/\d{8}T\d{6}Z-prompt\.md$/);
    expect(await readFile(join(dir, kept!), 'utf8')).toBe(`${V2}Be brief.\n`);

    const json = parseJsonOut(await cli('history', 'task.yaml', '--json'));
    expect(json.current).toBe(1);
    expect(json.prompt).toEqual({ file: 'prompt.md', inline: false });
    expect(json.versions.map((v: { version: number; current: boolean }) => [v.version, v.current])).toEqual([
      [3, false],
      [2, false],
      [1, true],
    ]);
    expect(json.versions[0]).toMatchObject({ parent: 2, branch: 'main', run_id: 'run-1', source: 'optimize', target_model: 'sim:sim-classifier', scores: { train: 1, validation: 1, test: 0.5 }, cost_usd: 0.002 });
    expect(json.events.map((e: { event: string; from: number | null; to: number }) => [e.event, e.from, e.to])).toEqual([
      ['promote', null, 1],
      ['rollback', 3, 2],
      ['promote', 2, 3],
      ['promote', 1, 2],
    ]);
  });

  it('names the existing versions for an unknown one (exit 2)', async () => {
    await writeSpec(dir, FILE_SPEC, { files: { 'prompt.md': V1 } });
    await threeVersions();
    const result = await cli('promote', 'task.yaml', 'v9');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown version v9; existing versions: v1, v2, v3');
    expect(await readFile(join(dir, 'prompt.md'), 'utf8')).toBe(V1);
  });
});

describe('diff', () => {
  it('shows a version against its parent, two versions, and a file', async () => {
    await writeSpec(dir, FILE_SPEC, { files: { 'prompt.md': V1, 'draft.md': `${V3}Think first.\n` } });
    await threeVersions();

    const parent = await cli('diff', 'task.yaml', 'v3');
    expect(parent.code, parent.stderr).toBe(0);
    expect(parent.stdout).toBe('--- v2\n+++ v3\n@@ -1,4 +1,5 @@\n Classify the sentiment of the review below.\n Answer with one word: positive or negative.\n+No punctuation.\n \n Review: {{input}}\n');

    const two = await cli('diff', 'task.yaml', '1', 'v3');
    expect(two.stdout).toContain('--- v1\n+++ v3');
    expect(two.stdout).toContain('-Classify the sentiment of: {{input}}');

    const file = await cli('diff', 'task.yaml', 'v3', 'draft.md');
    expect(file.stdout).toContain('--- v3\n+++ draft.md');
    expect(file.stdout).toContain('+Think first.');

    expect((await cli('diff', 'task.yaml', 'v2', 'v2')).stdout).toContain('v2 and v2 are identical');
    const colored = await runCli(['diff', 'task.yaml', 'v3'], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(colored.stdout).toContain('\u001b[32m+No punctuation.');
    const missing = await cli('diff', 'task.yaml', 'nope.md');
    expect(missing.code).toBe(2);
  });
});

describe('branch and cherry-pick', () => {
  it('registers a branch from a file and cherry-picks a change onto it', async () => {
    await writeSpec(dir, FILE_SPEC, { files: { 'prompt.md': V1, 'formal.md': `You are a careful analyst.\n\n${V2}` } });
    await threeVersions();

    const branched = await cli('branch', 'task.yaml', 'v2', 'formal', '--from-file', 'formal.md');
    expect(branched.code, branched.stderr).toBe(0);
    expect(branched.stdout).toContain('+You are a careful analyst.');
    expect(branched.stdout).toContain('registered v4 on branch formal (parent v2, source manual)');
    const v4 = (await listVersions(versions)).find((m) => m.version === 4)!;
    expect(v4).toMatchObject({ parent: 2, branch: 'formal', source: 'manual', runId: null, scores: {} });

    const dry = await cli('cherry-pick', 'task.yaml', 'v3', '--onto', 'v4', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('+No punctuation.');
    expect(dry.stdout).toContain('dry run: would write a new version on branch formal (parent v4); nothing was written');
    expect(await listVersions(versions)).toHaveLength(4);

    const picked = await cli('cherry-pick', 'task.yaml', 'v3', '--onto', 'v4');
    expect(picked.code, picked.stderr).toBe(0);
    expect(picked.stdout).toContain('wrote v5 on branch formal (parent v4, the change of v3)');
    expect(await readFile(join(versions, 'v5.md'), 'utf8')).toBe(`You are a careful analyst.\n\n${V3}`);
    expect((await listVersions(versions)).at(-1)).toMatchObject({ version: 5, parent: 4, branch: 'formal', source: 'manual' });

    const copy = await cli('branch', 'task.yaml', '3', 'scratch');
    expect(copy.code, copy.stderr).toBe(0);
    expect(await readFile(join(versions, 'v6.md'), 'utf8')).toBe(V3);
    expect((await cli('history', 'task.yaml')).stdout).toMatch(/^\s+v6\s+v3\s+scratch\s.*\(manual\)/m);
  });

  it('reports a conflicting hunk with its text, writes nothing and exits 1', async () => {
    await writeSpec(dir, FILE_SPEC, { files: { 'prompt.md': V1, 'other.md': V2.replace('one word: positive or negative.', 'a single label.') } });
    await threeVersions();
    expect((await cli('branch', 'task.yaml', 'v2', 'labels', '--from-file', 'other.md')).code).toBe(0);
    const before = await listFiles(versions);
    const history = await readFile(join(versions, 'history.jsonl'), 'utf8');

    for (const args of [[], ['--dry-run']]) {
      const result = await cli('cherry-pick', 'task.yaml', 'v3', '--onto', 'v4', ...args);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('1 of 1 hunk of v3 do not apply to v4:');
      expect(result.stdout).toContain(' Answer with one word: positive or negative.\n+No punctuation.');
      expect(result.stderr).toContain('nothing was written');
    }
    expect(await listFiles(versions)).toEqual(before);
    expect(await readFile(join(versions, 'history.jsonl'), 'utf8')).toBe(history);
  });
});
