#!/usr/bin/env node
/**
 * Puts `promptopt` on PATH from this checkout: packs it (`npm pack`, the same tarball a registry would
 * serve), unpacks it into <prefix>/lib/node_modules/promptopt, installs its dependencies there with
 * `npm ci --omit=dev` from the npm-shrinkwrap.json inside the tarball, and links <prefix>/bin/promptopt.
 *
 *   node scripts/install.mjs [--prefix DIR] [--offline] [--tarball FILE]
 *
 * --prefix   where to install (default: npm's global prefix, `npm prefix -g`); DIR/bin must be on PATH
 * --offline  never ask the registry: every package comes from npm's cache, which `npm ci` in this
 *            checkout filled (without it, the cache is still used first and the registry only for
 *            what is missing)
 * --tarball  install this promptopt-*.tgz instead of packing the checkout
 *
 * Why not `npm install -g <tarball>`: npm resolves a tarball's dependencies afresh (it reads the
 * npm-shrinkwrap.json inside a tarball only when a registry serves it), which needs the registry's
 * package documents. `npm ci` installs exactly what the shrinkwrap lists, from the cache when it holds
 * it. POSIX only (Linux, macOS): on Windows use `npm install -g .` in the checkout.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const checkout = join(dirname(fileURLToPath(import.meta.url)), '..');

function fail(message) {
  process.stderr.write(`install: ${message}\n`);
  process.exit(1);
}

/** npm's per-script variables (set when this runs under `npm run`) would point a nested npm at the checkout. */
function childEnv() {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^npm_(package_|lifecycle_)|^npm_command$|^npm_config_local_prefix$/.test(name)) delete env[name];
  }
  return env;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'], ...options });
  if (result.error) fail(`${command} could not be started: ${result.error.message}`);
  return result;
}

function npm(args, cwd) {
  return run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd });
}

const { values } = parseArgs({
  options: { prefix: { type: 'string' }, offline: { type: 'boolean', default: false }, tarball: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  process.stdout.write('usage: node scripts/install.mjs [--prefix DIR] [--offline] [--tarball FILE]\n');
  process.exit(0);
}
if (process.platform === 'win32') fail('this script links bin/promptopt the POSIX way; on Windows run `npm install -g .` in the checkout');

const prefix = resolve(values.prefix ?? npm(['prefix', '-g'], checkout).stdout.trim());
const lib = join(prefix, 'lib', 'node_modules');
const binDir = join(prefix, 'bin');
const scratch = await mkdtemp(join(tmpdir(), 'promptopt-install-'));
const staging = join(lib, `.promptopt-installing-${process.pid}`);
try {
  let tarball = values.tarball && resolve(values.tarball);
  if (!tarball) {
    if (!existsSync(join(checkout, 'dist', 'cli', 'main.js'))) fail('dist/ is missing: run `npm ci` (or `npm run build`) in the checkout first');
    // --ignore-scripts: `prepare` would rebuild dist/ (needs the dev dependencies); it is built already.
    const packed = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], checkout);
    if (packed.status !== 0) fail(`npm pack failed:\n${packed.stderr}`);
    tarball = join(scratch, JSON.parse(packed.stdout)[0].filename);
  }
  if (!existsSync(tarball)) fail(`no such tarball: ${tarball}`);

  await mkdir(staging, { recursive: true });
  const untar = run('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1']);
  if (untar.status !== 0) fail(`could not unpack ${tarball}:\n${untar.stderr}`);
  if (!existsSync(join(staging, 'npm-shrinkwrap.json'))) fail(`${tarball} has no npm-shrinkwrap.json: pack it from a checkout of this version`);

  // --ignore-scripts: the package's own `prepare` needs the dev dependencies (dist/ is in the tarball);
  // lmdb and msgpackr-extract load their prebuilt binaries at run time (see allowScripts in package.json).
  const ci = npm(['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', values.offline ? '--offline' : '--prefer-offline'], staging);
  if (ci.status !== 0) {
    const notCached = /ENOTCACHED/.test(ci.stderr);
    fail(
      notCached
        ? `npm's cache lacks a package this version needs (--offline): run \`npm ci\` in the checkout first (it fills the cache), or install without --offline\n${ci.stderr}`
        : `npm ci failed:\n${ci.stderr}`,
    );
  }

  const { name, version } = JSON.parse(await readFile(join(staging, 'package.json'), 'utf8'));
  const target = join(lib, name);
  const old = join(lib, `.promptopt-replaced-${process.pid}`);
  if (existsSync(target)) await rename(target, old);
  await rename(staging, target);
  await rm(old, { recursive: true, force: true });

  await mkdir(binDir, { recursive: true });
  const link = join(binDir, 'promptopt');
  const linkTmp = join(binDir, `.promptopt-${process.pid}`);
  await symlink(join('..', 'lib', 'node_modules', name, 'bin', 'promptopt.js'), linkTmp);
  await rename(linkTmp, link);

  process.stdout.write(`installed ${name} ${version} into ${target}\n  ${link}\n`);
  const onPath = (process.env.PATH ?? '').split(delimiter).some((dir) => dir && resolve(dir) === binDir);
  if (!onPath) process.stdout.write(`note: ${binDir} is not on PATH; add it (e.g. export PATH="${binDir}:$PATH") to run \`promptopt\`\n`);
} finally {
  await rm(scratch, { recursive: true, force: true });
  await rm(staging, { recursive: true, force: true });
}
