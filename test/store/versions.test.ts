import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  findOrWriteVersion,
  findVersionByText,
  listVersions,
  readHistory,
  readVersion,
  updateVersionScores,
  writeVersion,
  type WriteVersionInput,
} from '../../src/store/index.js';
import { sha256 } from '../../src/util/hash.js';

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'promptopt-store-')), 'prompt-versions');
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

function input(text: string, extra: Partial<WriteVersionInput> = {}): WriteVersionInput {
  return {
    text,
    task: 'sentiment',
    targetModel: 'sim:sim-target',
    scores: { train: 0.5 },
    costUsd: 0.01,
    hypothesis: 'start',
    ext: '.txt',
    source: 'start',
    ...extra,
  };
}

const START = 'Classify the sentiment of: {{text}}\n';
const NEXT = 'Classify the sentiment of the poem below.\nAnswer with one word.\n\n{{text}}\n';

describe('writeVersion', () => {
  it('writes v1 without a diff, then v2 with a diff to its parent', async () => {
    const v1 = await writeVersion(dir, input(START, { runId: 'run-1' }));
    expect(v1).toMatchObject({ version: 1, parent: null, branch: 'main', runId: 'run-1', promptFile: 'v1.txt' });
    expect(v1.file).toBe(join(dir, 'v1.txt'));
    expect(v1.diffFile).toBeUndefined();
    expect(await readFile(v1.file, 'utf8')).toBe(START);

    const v2 = await writeVersion(dir, input(NEXT, { parent: 1, source: 'optimize', hypothesis: 'one word', scores: { train: 0.9 } }));
    expect(v2).toMatchObject({ version: 2, parent: 1, source: 'optimize' });
    const diff = await readFile(v2.diffFile!, 'utf8');
    expect(diff).toContain('--- v1.txt');
    expect(diff).toContain('+++ v2.txt');
    expect(diff).toContain('-Classify the sentiment of: {{text}}');
    expect(diff).toContain('+Answer with one word.');

    const meta = JSON.parse(await readFile(join(dir, 'v2.json'), 'utf8')) as Record<string, unknown>;
    expect(meta).toMatchObject({
      schema_version: 1,
      version: 2,
      parent: 1,
      branch: 'main',
      run_id: null,
      task: 'sentiment',
      target_model: 'sim:sim-target',
      scores: { train: 0.9 },
      cost_usd: 0.01,
      hypothesis: 'one word',
      prompt_file: 'v2.txt',
      prompt_sha256: sha256(NEXT),
      source: 'optimize',
    });
    expect(Number.isNaN(Date.parse(meta.created as string))).toBe(false);
    expect((await readdir(dir)).sort()).toEqual(['history.jsonl', 'v1.json', 'v1.txt', 'v2.diff', 'v2.json', 'v2.txt']);

    const history = await readHistory(dir);
    expect(history.map((h) => [h.event, h.version, h.runId])).toEqual([
      ['created', 1, 'run-1'],
      ['created', 2, null],
    ]);
  });

  it('keeps the extension of the user prompt file, and never collides with metadata', async () => {
    expect((await writeVersion(dir, input('# md', { ext: '.md' }))).promptFile).toBe('v1.md');
    expect((await writeVersion(dir, input('{"a":1}', { ext: '.json' }))).promptFile).toBe('v2.prompt.json');
    expect((await readVersion(dir, 2)).text).toBe('{"a":1}');
  });

  it('gives concurrent writers distinct numbers and never overwrites a file', async () => {
    const texts = Array.from({ length: 8 }, (_, i) => `prompt number ${i}\n`);
    const written = await Promise.all(texts.map((text) => writeVersion(dir, input(text))));
    const numbers = written.map((w) => w.version).sort((a, b) => a - b);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const [i, w] of written.entries()) {
      expect(await readFile(w.file, 'utf8')).toBe(texts[i]);
      expect((await readVersion(dir, w.version)).meta.promptSha256).toBe(sha256(texts[i]!));
    }
    expect((await readdir(dir)).filter((name) => name.startsWith('.'))).toEqual([]);
    expect(await readHistory(dir)).toHaveLength(8);
  });

  it('skips a number whose prompt file exists without metadata, and leaves that file alone', async () => {
    await writeVersion(dir, input(START));
    await writeFile(join(dir, 'v2.txt'), 'orphan from a crash');
    expect((await listVersions(dir)).map((v) => v.version)).toEqual([1]);
    const next = await writeVersion(dir, input(NEXT, { parent: 1 }));
    expect(next.version).toBe(3);
    expect(await readFile(join(dir, 'v2.txt'), 'utf8')).toBe('orphan from a crash');
    await expect(readVersion(dir, 2)).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
  });

  it('refuses an unknown parent', async () => {
    await expect(writeVersion(dir, input(NEXT, { parent: 4 }))).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
  });
});

describe('listVersions / readVersion', () => {
  it('lists nothing for a missing folder', async () => {
    expect(await listVersions(dir)).toEqual([]);
  });

  it('ignores a prompt file without metadata (a crash between writes)', async () => {
    await writeVersion(dir, input(START));
    await writeFile(join(dir, 'v2.txt'), 'x');
    expect((await listVersions(dir)).map((v) => v.version)).toEqual([1]);
  });

  it('names a vN.json that does not parse instead of hiding that version; other versions still read', async () => {
    await writeVersion(dir, input(START));
    await writeFile(join(dir, 'v2.txt'), 'x');
    await writeFile(join(dir, 'v2.json'), '{"schema_version": 1, "vers');
    const damaged = { code: 'VERSION_FILE_DAMAGED', exitCode: 2, message: expect.stringMatching(/damaged version file .*v2\.json: not valid JSON/) };
    await expect(listVersions(dir)).rejects.toMatchObject(damaged);
    await expect(readVersion(dir, 2)).rejects.toMatchObject(damaged);
    const { meta, text } = await readVersion(dir, 1);
    expect(text).toBe(START);
    expect(meta.scores).toEqual({ train: 0.5 });
  });

  it('names a vN.json that parses but is not that version\'s metadata, and says what is wrong', async () => {
    await writeVersion(dir, input(START));
    const raw = JSON.parse(await readFile(join(dir, 'v1.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, 'v1.json'), JSON.stringify({ ...raw, version: 7 }));
    await expect(listVersions(dir)).rejects.toMatchObject({
      code: 'VERSION_FILE_DAMAGED',
      message: expect.stringMatching(/v1\.json: version is 7, but the file is v1\.json/),
    });
  });
});

describe('findVersionByText', () => {
  it('finds the version holding exactly this text', async () => {
    await writeVersion(dir, input(START));
    await writeVersion(dir, input(NEXT, { parent: 1 }));
    expect((await findVersionByText(dir, START))?.version).toBe(1);
    expect((await findVersionByText(dir, NEXT))?.version).toBe(2);
    expect(await findVersionByText(dir, `${START} `)).toBeUndefined();
  });

  it('does not match a version whose file was edited by hand', async () => {
    await writeVersion(dir, input(START));
    await writeFile(join(dir, 'v1.txt'), 'edited');
    expect(await findVersionByText(dir, START)).toBeUndefined();
  });
});

describe('findOrWriteVersion', () => {
  it('maps each text to one version however many writers race, keeping the first writer\'s lineage', async () => {
    const start = await findOrWriteVersion(dir, input(START));
    expect(start).toMatchObject({ version: 1, reused: false });
    const textOf = (i: number) => (i % 2 ? NEXT : `${NEXT}Be brief.\n`);
    const racers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => findOrWriteVersion(dir, input(textOf(i), { parent: 1, source: 'optimize', runId: `run-${i}` }))),
    );
    const versions = await listVersions(dir);
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(new Set(versions.map((v) => v.promptSha256)).size).toBe(3);
    expect(racers.filter((r) => !r.reused)).toHaveLength(2);
    for (const [i, racer] of racers.entries()) expect(await readFile(racer.file, 'utf8')).toBe(textOf(i));
    expect(versions.filter((v) => v.version > 1).every((v) => v.parent === 1)).toBe(true);
    expect(await readdir(dir)).not.toContain('.versions.lock');
  });

  it('returns the existing version for a known text, whatever parent the caller names', async () => {
    await findOrWriteVersion(dir, input(START));
    await findOrWriteVersion(dir, input(NEXT, { parent: 1, source: 'optimize' }));
    const again = await findOrWriteVersion(dir, input(START, { parent: 2, source: 'optimize' }));
    expect(again).toMatchObject({ version: 1, reused: true, parent: null });
    expect((await listVersions(dir)).length).toBe(2);
  });
});

describe('updateVersionScores', () => {
  it('merges scores and keeps unknown fields', async () => {
    await writeVersion(dir, input(START, { scores: { train: 0.5, validation: 0.4 } }));
    const metaFile = join(dir, 'v1.json');
    const raw = JSON.parse(await readFile(metaFile, 'utf8')) as Record<string, unknown>;
    await writeFile(metaFile, JSON.stringify({ ...raw, promoted_at: 'later' }));

    const updated = await updateVersionScores(dir, 1, { test: 0.75 });
    expect(updated.scores).toEqual({ train: 0.5, validation: 0.4, test: 0.75 });
    const onDisk = JSON.parse(await readFile(metaFile, 'utf8')) as Record<string, unknown>;
    expect(onDisk.scores).toEqual({ train: 0.5, validation: 0.4, test: 0.75 });
    expect(onDisk.promoted_at).toBe('later');
    expect((await readVersion(dir, 1)).meta.scores.test).toBe(0.75);
  });

  it('fails for a missing version', async () => {
    await expect(updateVersionScores(dir, 3, { test: 1 })).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
  });
});
