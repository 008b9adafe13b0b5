/**
 * Real `promptopt optimize` runs on the dataset fixtures of test/fixtures/tasks/ (gsm8k, snips, a
 * BIG-Bench-Hard multiple-choice task, an instruction-following shape, banking77), through the CLI
 * against the fake LLM server: the target answers each case with a scripted reply, the optimizer
 * returns the current prompt with one line added (so candidates differ and the loop goes through
 * training and validation). Tests read what the optimizer requests held.
 */
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { makeTempDir, removeDir, writeSpec, type CliResult } from './cli.js';
import { directionOf, optimize, readJson, reply, runDirs, startWorld, type OptimizeWorld, type TaskCase } from './optimize-harness.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/tasks', import.meta.url));

export interface FixtureRow {
  id: string;
  input: string;
  expected?: unknown;
  [column: string]: unknown;
}

export async function readRows(fixture: string): Promise<FixtureRow[]> {
  const text = await readFile(join(FIXTURES, fixture, 'cases.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FixtureRow);
}

/** Appends a line naming the candidate's direction: candidates differ, variables are kept. */
export function addNote(text: string, current: string | undefined): string {
  const base = (current ?? '').split('\n').filter((l) => !l.startsWith('Note:')).join('\n');
  return reply(`Note: ${createHash('sha256').update(directionOf(text)).digest('hex').slice(0, 8)}\n${base}`, 'add a note');
}

export interface FixtureRun {
  result: CliResult;
  /** The text of every optimizer request the server received, in order. */
  requests: string[];
  /** The text of every target request. */
  targetTexts: string[];
  /** The final prompt's case results (cases.json): id -> split. */
  splits: Map<string, string>;
  world: OptimizeWorld;
}

export interface FixtureRunOptions {
  prompt: string;
  /** Scripted target reply per case id. */
  replies: (row: FixtureRow, index: number) => string;
  /** Spec fields besides name, target, optimizer and cases (defaults, splits, prompt_role...). */
  spec?: Record<string, unknown>;
  /** Fields merged into the optimizer section (show_vars, hide_vars...). */
  optimizer?: Record<string, unknown>;
}

/** Copies the fixture folder to a temp dir, writes task.yaml, runs optimize, returns what was seen. */
export async function runFixture(fixture: string, options: FixtureRunOptions): Promise<FixtureRun> {
  const rows = await readRows(fixture);
  const answers = new Map(rows.map((row, i) => [row.id, options.replies(row, i)]));
  const cases: TaskCase[] = rows.map((row) => ({ id: row.id, input: row.input, expected: String(row.expected ?? ''), split: 'train' }));
  const world = await startWorld({
    cases,
    target: (_prompt, testCase) => answers.get(testCase.id) ?? 'no scripted reply',
    optimizer: (r) => addNote(r.text, r.current),
  });
  const dir = await makeTempDir(`promptopt-fixture-${fixture}-`);
  try {
    await cp(join(FIXTURES, fixture), dir, { recursive: true });
    await writeSpec(dir, {
      name: `fixture-${fixture}`,
      description: `The ${fixture} fixture`,
      prompt: options.prompt,
      target: { provider: 'openai-compatible', model: 'fake-target-1', max_retries: 0 },
      optimizer: {
        provider: 'anthropic',
        model: 'fake-optimizer-1',
        max_retries: 0,
        max_iterations: 1,
        candidates: 2,
        patience: 1,
        validation_iterations: 1,
        ...options.optimizer,
      },
      cases: 'cases.jsonl',
      splits: { train: 0.5, validation: 0.25, test: 0.25, seed: 1 },
      ...options.spec,
    });
    const result = await optimize(world, dir, ['--quiet']);
    const [run] = await runDirs(dir);
    const records = run ? ((await readJson(join(run, 'cases.json'))).cases as { case_id: string; split: string }[] | undefined) : undefined;
    return {
      result,
      requests: world.optimizerRequests().map((r) => r.text),
      targetTexts: world.targetRequests().map((r) => r.text),
      splits: new Map((records ?? []).map((c) => [c.case_id, c.split])),
      world,
    };
  } finally {
    await world.close();
    await removeDir(dir);
  }
}

/** `1. javascript "…" — 3 cases, wrong_answer` lines: title, count, category (read without the vocabulary module). */
export function groupHeaders(text: string): { title: string; count: number; category: string }[] {
  return [...text.matchAll(/^\d+\. (.+) — (\d+) cases?, ([a-z_]+)/gm)].map((m) => ({ title: m[1]!, count: Number(m[2]), category: m[3]! }));
}

/** The training-phase requests (their feedback shows training results). */
export function trainingRequests(run: FixtureRun): string[] {
  return run.requests.filter((t) => t.includes('# Evaluation feedback\nTraining results:'));
}
