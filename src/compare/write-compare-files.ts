/**
 * Every compare writes `<runsDir>/compare-<timestamp>/` with `report.html` and `compare.json`.
 * The folder is claimed with a non-recursive mkdir, so two compares in the same second never share one.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';

export const COMPARE_FILES = { html: 'report.html', json: 'compare.json' } as const;

/** Creates and returns a fresh `compare-YYYYMMDD-HHMMSS[-n]` folder under `runsDir`. */
export async function claimCompareDir(runsDir: string, now: Date): Promise<string> {
  await mkdir(runsDir, { recursive: true });
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  for (let n = 1; ; n++) {
    const dir = join(runsDir, `compare-${stamp}${n === 1 ? '' : `-${n}`}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
  }
}

export function compareFilePaths(dir: string): { dir: string; html: string; json: string } {
  return { dir, html: join(dir, COMPARE_FILES.html), json: join(dir, COMPARE_FILES.json) };
}

export async function writeCompareFiles(paths: { html: string; json: string }, html: string, document: unknown): Promise<void> {
  await Promise.all([writeFileAtomic(paths.html, html), writeFileAtomic(paths.json, `${JSON.stringify(document, null, 2)}\n`)]);
}
