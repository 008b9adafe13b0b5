/**
 * How hints name the command: `promptopt` when the one on PATH is this install, `npx promptopt` inside
 * the project npx started it from, else `node <bin>` (relative when short). Real files and links in a
 * temp folder: PATH lookup, symlinks and project detection are what is tested.
 */
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectInvocation, quote } from '../../src/cli/invocation.js';

let root: string;
/** An installed promptopt: <prefix>/lib/node_modules/promptopt/bin/promptopt.js, linked from <prefix>/bin/promptopt. */
let prefix: string;
let installedBin: string;
/** A project with promptopt as a dependency: <project>/node_modules/promptopt/bin/promptopt.js and .bin/promptopt. */
let project: string;
let projectBin: string;

async function executable(path: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, '#!/usr/bin/env node\n');
  await chmod(path, 0o755);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'promptopt-invocation-'));
  prefix = join(root, 'prefix');
  installedBin = join(prefix, 'lib', 'node_modules', 'promptopt', 'bin', 'promptopt.js');
  await executable(installedBin);
  await mkdir(join(prefix, 'bin'));
  await symlink(installedBin, join(prefix, 'bin', 'promptopt'));

  project = join(root, 'project');
  projectBin = join(project, 'node_modules', 'promptopt', 'bin', 'promptopt.js');
  await executable(projectBin);
  await mkdir(join(project, 'node_modules', '.bin'));
  await symlink(projectBin, join(project, 'node_modules', '.bin', 'promptopt'));
  await writeFile(join(project, 'package.json'), '{"dependencies":{"promptopt":"*"}}\n');
  await mkdir(join(project, 'tasks', 'demo'), { recursive: true });

  await executable(join(root, 'other', 'bin', 'promptopt')); // another promptopt, first on some PATHs
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const linux = 'linux' as const;

describe('detectInvocation', () => {
  it('says promptopt when the promptopt on PATH is this install (through its bin link)', () => {
    const started = detectInvocation({ script: join(prefix, 'bin', 'promptopt'), cwd: root, env: { PATH: `/usr/bin:${join(prefix, 'bin')}` }, platform: linux });
    expect(started.program()).toBe('promptopt');
    expect(started.command(['eval', 'demo/task.yaml'])).toBe('promptopt eval demo/task.yaml');
    // started as `node <path>`, but the shell would find the same install: the short form works too
    const byPath = detectInvocation({ script: installedBin, cwd: root, env: { PATH: join(prefix, 'bin') }, platform: linux });
    expect(byPath.program()).toBe('promptopt');
  });

  it('does not say promptopt when the shell would find another one first', () => {
    const started = detectInvocation({ script: join(prefix, 'bin', 'promptopt'), cwd: root, env: { PATH: `${join(root, 'other', 'bin')}:${join(prefix, 'bin')}` }, platform: linux });
    expect(started.program()).toBe('node prefix/lib/node_modules/promptopt/bin/promptopt.js');
  });

  it('says npx promptopt when npx started it from the project, for commands run inside that project', () => {
    const env = {
      PATH: `${join(project, 'node_modules', '.bin')}:/usr/bin`, // npm puts the project's bins first: not the user's shell PATH
      npm_command: 'exec',
      npm_config_local_prefix: project,
    };
    const started = detectInvocation({ script: join(project, 'node_modules', '.bin', 'promptopt'), cwd: join(project, 'tasks'), env, platform: linux });
    expect(started.program()).toBe('npx promptopt');
    expect(started.command(['optimize', 'task.yaml'], join(project, 'tasks', 'demo'))).toBe('npx promptopt optimize task.yaml');
    // outside the project, npx would not find it: the script's own path works anywhere
    expect(started.program(join(root, 'elsewhere'))).toBe('node ../project/node_modules/promptopt/bin/promptopt.js');
  });

  it('does not say npx promptopt for a package npx fetched into its cache (the hint would fetch again, or another package)', () => {
    const cached = join(root, 'npx-cache', 'node_modules', 'promptopt', 'bin', 'promptopt.js');
    const env = { PATH: '/usr/bin', npm_command: 'exec', npm_config_local_prefix: project };
    const started = detectInvocation({ script: cached, cwd: join(project, 'tasks', 'demo'), env, platform: linux });
    expect(started.program()).toBe(`node ${cached}`);
  });

  it('otherwise names bin/promptopt.js, relative to the folder when at most two levels up, else absolute', () => {
    const env = { PATH: '/usr/bin' };
    const inCheckout = detectInvocation({ script: join(project, 'node_modules', 'promptopt', 'bin', 'promptopt.js'), cwd: join(project, 'tasks'), env, platform: linux });
    expect(inCheckout.program()).toBe('node ../node_modules/promptopt/bin/promptopt.js');
    expect(inCheckout.program(join(project, 'tasks', 'demo'))).toBe('node ../../node_modules/promptopt/bin/promptopt.js');
    expect(inCheckout.program(join(project, 'tasks', 'demo', 'deeper'))).toBe(`node ${projectBin}`);
  });

  it('says promptopt when it does not know how it was started (in-process runs)', () => {
    const started = detectInvocation({ cwd: root, env: { PATH: '' } });
    expect(started.program()).toBe('promptopt');
    expect(started.rewrite('hint: promptopt history <task.yaml> lists them')).toBe('hint: promptopt history <task.yaml> lists them');
  });

  it('renders paths as typed in the folder, and quotes what the shell would split', () => {
    const started = detectInvocation({ cwd: join(project, 'tasks'), env: {} });
    expect(started.path(join(project, 'tasks', 'demo', 'task.yaml'))).toBe('demo/task.yaml');
    expect(started.path(join(root, 'other', 'task.yaml'))).toBe(join(root, 'other', 'task.yaml'));
    expect(started.path(join(project, 'tasks', 'demo', 'task.yaml'), join(project, 'tasks', 'demo'))).toBe('task.yaml');
    expect(started.command(['eval', 'my tasks/task.yaml'])).toBe("promptopt eval 'my tasks/task.yaml'");
    expect(quote("it's", 'linux')).toBe(`'it'\\''s'`);
    expect(quote('a b', 'win32')).toBe('"a b"');
  });

  it('rewrites promptopt <command> mentions in messages, not headers or commands already rendered', () => {
    const started = detectInvocation({ script: projectBin, cwd: join(project, 'tasks'), env: { PATH: '/usr/bin' }, platform: linux });
    const node = 'node ../node_modules/promptopt/bin/promptopt.js';
    expect(started.rewrite('hint: `promptopt cache clear` deletes it; promptopt history <task.yaml> lists them')).toBe(
      `hint: \`${node} cache clear\` deletes it; ${node} history <task.yaml> lists them`,
    );
    expect(started.rewrite('promptopt eval · ticket-triage · 24 cases')).toBe('promptopt eval · ticket-triage · 24 cases');
    expect(started.rewrite(`continue with: ${node} optimize task.yaml`)).toBe(`continue with: ${node} optimize task.yaml`);
    expect(started.rewrite('promptopt evaluates prompts; see promptopt-report')).toBe('promptopt evaluates prompts; see promptopt-report');
    const npx = detectInvocation({ script: projectBin, cwd: project, env: { PATH: '', npm_command: 'exec', npm_config_local_prefix: project }, platform: linux });
    expect(npx.rewrite('continue with: npx promptopt optimize t.yaml; or promptopt report x')).toBe('continue with: npx promptopt optimize t.yaml; or npx promptopt report x');
  });
});
