#!/usr/bin/env node
/**
 * `npm run build`: compiles src/ to dist/ with tsc (tsconfig.build.json, which emits nothing when the
 * code has a type error), then removes what dist/ holds for sources that no longer exist, so a module
 * deleted from src/ cannot live on there. Files are rewritten in place, never the folder deleted: a
 * test run or a CLI using dist/ meanwhile keeps working.
 *
 * The tests' global setup (test/support/fresh-build.ts) imports `staleness` and `build` from here:
 * dist/ is stale when a source has no output or is newer than it, when an output has no source, or
 * when the build's configuration is newer than the outputs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
const CONFIG = ['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((name) => join(ROOT, name));
/** What tsc writes for one source file. */
const OUTPUTS = ['.js', '.js.map', '.d.ts'];

function files(folder, keep) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

const sources = () => files(SRC, (name) => name.endsWith('.ts') && !name.endsWith('.d.ts'));
const outputOf = (source) => join(DIST, relative(SRC, source)).replace(/\.ts$/, '.js');

/** Outputs whose source is gone. */
function orphans(of = sources()) {
  const expected = new Set(of.flatMap((source) => OUTPUTS.map((ext) => outputOf(source).replace(/\.js$/, ext))));
  return files(DIST, (name) => OUTPUTS.some((ext) => name.endsWith(ext))).filter((output) => !expected.has(output));
}

/** Why dist/ does not match src/, or undefined when it does. */
export function staleness() {
  let oldestOutput = Infinity;
  const all = sources();
  for (const source of all) {
    const output = outputOf(source);
    if (!existsSync(output)) return `${relative(ROOT, source)} has not been built`;
    const built = statSync(output).mtimeMs;
    if (statSync(source).mtimeMs > built) return `${relative(ROOT, source)} changed since it was built`;
    oldestOutput = Math.min(oldestOutput, built);
  }
  const gone = orphans(all);
  if (gone.length > 0) return `${relative(ROOT, gone[0])} is left from a source that no longer exists`;
  const config = CONFIG.find((path) => statSync(path).mtimeMs > oldestOutput);
  if (config) return `${relative(ROOT, config)} changed since the last build`;
  return undefined;
}

/** Compiles, then removes orphaned outputs; returns tsc's exit status and what it printed. */
export function build() {
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (tsc.status === 0) for (const output of orphans()) rmSync(output, { force: true });
  return { status: tsc.status ?? 1, output: `${tsc.stdout ?? ''}${tsc.stderr ?? ''}` };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { status, output } = build();
  process.stdout.write(output);
  process.exit(status);
}
