/** Test helpers: write a spec and its files into a fresh temp folder, and get at the SpecError it raises. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { SpecError, type SpecIssue } from '../../src/errors.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes each file (path relative to a new temp folder) and returns the folder. */
export function writeFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'promptopt-spec-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** The lines joined with "\n" (so line numbers in a test are easy to read). */
export function lines(...rows: string[]): string {
  return `${rows.join('\n')}\n`;
}

export async function specErrorOf(promise: Promise<unknown>): Promise<SpecError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return error as SpecError;
  }
  throw new Error('expected a SpecError, but loading succeeded');
}

export function syncSpecErrorOf(fn: () => unknown): SpecError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SpecError);
    return error as SpecError;
  }
  throw new Error('expected a SpecError');
}

/** The one issue at `path`; fails listing every issue when there is none. */
export function issueAt(error: SpecError, path: string): SpecIssue {
  const found = error.issues.filter((i) => i.path === path);
  expect(found, `issues: ${error.message}`).toHaveLength(1);
  return found[0]!;
}
