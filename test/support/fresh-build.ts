/**
 * vitest's global setup: tests run the BUILT code (what they import from src/ resolves to dist/, see
 * vitest.config.ts, and the e2e tests spawn bin/promptopt.js), so dist/ must be what src/ says. It
 * is built here when it is missing or older than a source of the build (a .ts file under src/,
 * tsconfig.json, tsconfig.build.json, package.json), which takes about 2 s; `npm ci` builds it too
 * (prepare), so a fresh clone's `npm test` finds it current. Without this, a test run after an edit
 * to src/ would silently test the old code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const ENTRY = join(ROOT, 'dist', 'cli', 'main.js');

function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const CONFIG = ['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((name) => join(ROOT, name));

export function setup(): void {
  const newest = Math.max(newestSource(join(ROOT, 'src')), ...CONFIG.map((path) => statSync(path).mtimeMs));
  if (existsSync(ENTRY) && newest <= statSync(ENTRY).mtimeMs) return;
  console.log(existsSync(ENTRY) ? '[tests] src/ changed since the last build: building dist/ first (npm run build)' : '[tests] dist/ is missing: building it first');
  // From scratch, like `npm run build`: a module deleted from src/ must not live on in dist/.
  rmSync(join(ROOT, 'dist'), { recursive: true, force: true });
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`the build failed (npm run build):\n${build.stdout}${build.stderr}`);
}
