/**
 * The first hour, as a new user lives it: promptopt packed from this checkout and installed into a
 * temporary prefix by scripts/install.mjs --offline (npm ci from the shrinkwrap inside the tarball,
 * every package from the npm cache that `npm ci` in the checkout filled: the registry is never asked),
 * then, in a folder outside the checkout, `promptopt init demo` and exactly the commands it prints,
 * then the ones optimize prints, each run by a real shell with the prefix's bin on PATH.
 *
 * Spawned, real processes throughout (the built dist/, as `npm test` builds it first).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, makeTempDir, removeDir, REPO_ROOT } from './helpers/cli.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sh(line: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', line], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function explain(step: string, run: Run): string {
  return `${step} exited ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
}

let prefix: string;
let work: string;
/** What the user's shell has: the prefix's bin first, nothing of npm's script variables, a home outside the checkout. */
let userEnv: NodeJS.ProcessEnv;
let install: Run;
/** The tutorial's last step (eval --split test after promote), for the threshold test below. */
let finalEval: Run | undefined;

beforeAll(async () => {
  assertBuilt();
  prefix = await makeTempDir('promptopt-prefix-');
  work = await makeTempDir('promptopt-user-');
  // npm needs the real HOME (its cache and config); the installed CLI gets the user's environment below.
  install = await sh(`node scripts/install.mjs --offline --prefix '${prefix}'`, REPO_ROOT, { ...process.env, NO_COLOR: '1' }, 170_000);
  userEnv = { PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: work, CI: 'true', NO_COLOR: '1' };
}, 180_000);

afterAll(async () => {
  await removeDir(prefix);
  await removeDir(work);
});

describe('promptopt installed from a packed tarball, offline, used outside the checkout', () => {
  it('installs without the registry and puts promptopt on PATH', () => {
    expect(install.code, explain('scripts/install.mjs --offline', install)).toBe(0);
    expect(install.stdout).toContain(`installed promptopt `);
    expect(install.stdout).toContain(join(prefix, 'bin', 'promptopt'));
  });

  it('init prints commands that work where the user is; eval, optimize, diff, promote and eval --split test run as printed', async () => {
    expect(install.code, explain('install', install)).toBe(0);
    const init = await sh('promptopt init demo', work, userEnv);
    expect(init.code, explain('promptopt init demo', init)).toBe(0);
    const printed = commandsAfterNext(init.stdout);
    // The promptopt on PATH is this install, so the hints say so (not `npx promptopt`, a 404 or someone else's package).
    expect(printed).toEqual(['promptopt eval demo/task.yaml', 'promptopt optimize demo/task.yaml']);
    expect(await readFile(join(work, 'demo', 'task.yaml'), 'utf8')).toContain('#   promptopt eval task.yaml ');

    const [evalLine, optimizeLine] = printed as [string, string];
    const firstEval = await sh(evalLine, work, userEnv);
    expect(firstEval.code, explain(evalLine, firstEval)).toBe(1); // the scaffold starts below its threshold
    expect(firstEval.stdout).toMatch(/FAIL: pass rate \d+\.\d% < threshold 80\.0%/);

    const optimize = await sh(optimizeLine, work, userEnv);
    expect(optimize.code, explain(optimizeLine, optimize)).toBe(0);
    const next = optimize.stdout.split('\n').find((line) => line.trim().startsWith('next:'));
    expect(next, explain(optimizeLine, optimize)).toBeDefined();
    const [diffLine, promoteLine] = [...next!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    expect(diffLine).toMatch(/^promptopt diff demo\/task\.yaml v1 v\d+$/);
    expect(promoteLine).toMatch(/^promptopt promote demo\/task\.yaml v\d+$/);

    const diff = await sh(diffLine!, work, userEnv);
    expect(diff.code, explain(diffLine!, diff)).toBe(0);
    expect(diff.stdout).not.toContain('No newline at end of file');
    const promote = await sh(promoteLine!, work, userEnv);
    expect(promote.code, explain(promoteLine!, promote)).toBe(0);

    finalEval = await sh(`${evalLine} --split test`, work, userEnv);
    // A verdict either way (0 pass, 1 below the threshold), never bad input, a provider failure or a bug.
    expect([0, 1], explain(`${evalLine} --split test`, finalEval)).toContain(finalEval.code);
    expect(finalEval.stdout).toMatch(/(PASS|FAIL): pass rate \d+\.\d% (>=|<) threshold 80\.0%/);
  }, 120_000);

  // The tutorial ends green: the promoted prompt passes the scaffold's own threshold (80%) on the
  // held-out split, with the scaffold and the simulator as shipped (11 of 12 with the default seed).
  it('eval --split test passes the scaffold threshold after promote', () => {
    expect(finalEval?.code, finalEval && explain('eval --split test', finalEval)).toBe(0);
  });
});

/** The indented lines after `next:` in init's output. */
function commandsAfterNext(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.trim() === 'next:');
  if (start < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  ')) break;
    out.push(line.trim());
  }
  return out;
}
