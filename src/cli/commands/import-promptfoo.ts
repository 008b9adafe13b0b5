/**
 * `promptopt import promptfoo <promptfooconfig.yaml> [-o task.yaml]`: the config converted into a
 * spec, its cases file and one prompt file per prompt (src/promptfoo/write-import.ts), checked the
 * way `eval` would load it before anything is written; then what to run next.
 */
import { dirname, relative, resolve } from 'node:path';
import chalk from 'chalk';
import { EXIT, UsageError } from '../../errors.js';
import { loadSpec } from '../../session/load-spec.js';
import { displayPath } from '../../spec/issues.js';
import { outsideScope, specFileScope } from '../../spec/file-scope.js';
import { mappedRuns, mapPromptfooConfig, referencedFiles, writeImport } from '../../promptfoo/index.js';
import type { CommandEnv } from '../program/command-env.js';

export interface ImportPromptfooOptions {
  output?: string;
  force?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

export async function importPromptfooCommand(configFile: string, options: ImportPromptfooOptions, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  const configPath = resolve(configFile);
  const config = await mapPromptfooConfig(configPath, { env: ctx.env, trustSpec: ctx.trustSpec });
  // The first prompt × provider is what the spec holds: refused here, nothing is written.
  const [first] = mappedRuns(config);
  await loadSpec(configPath, { env: ctx.env, trustSpec: ctx.trustSpec, source: first!.source });
  if (config.warning) io.err(chalk.yellow(config.warning));
  const specFile = resolve(options.output ?? resolve(dirname(configPath), 'task.yaml'));
  // The spec reads the config's scripts from where it is written: they must be inside its project.
  const scope = specFileScope(dirname(specFile), { trusted: ctx.trustSpec, home: ctx.env.HOME });
  const outside = referencedFiles(config).map((file) => outsideScope(file, 'the script', scope)).find((problem) => problem !== undefined);
  if (outside) {
    throw new UsageError(`the spec written to ${displayPath(specFile)} could not read its checks: ${outside.message}; nothing was written`, `write it inside the config's project (-o ${displayPath(resolve(dirname(configPath), 'task.yaml'))}), copy the scripts beside it, or pass --trust-spec to both import and eval`);
  }
  if (options.dryRun) {
    io.out(`would write ${displayPath(specFile)} (${config.cases.length} cases, ${config.prompts.length} prompt(s), ${config.providers.length} provider(s)); nothing written`);
    return EXIT.ok;
  }
  const written = await writeImport(config, { specFile, force: Boolean(options.force) });
  if (options.json) {
    io.out(JSON.stringify({ spec_file: written.specFile, cases_file: written.casesFile, prompt_files: written.promptFiles, targets: written.targets, cases: written.cases }));
    return EXIT.ok;
  }
  const spec = displayPath(written.specFile);
  const lines = [
    `wrote ${spec}: prompt ${displayPath(written.promptFiles[0]!)}, target ${written.targets[0]}, ${written.cases} case(s) in ${displayPath(written.casesFile)}`,
  ];
  const otherPrompts = written.promptFiles.slice(1).map((f) => relative(ctx.invocation.cwd, f));
  if (otherPrompts.length > 0) lines.push(`  and the config's other prompts: ${otherPrompts.join(', ')}`);
  lines.push('next:', `  ${ctx.invocation.command(['eval', spec])}`);
  if (otherPrompts.length > 0 || written.targets.length > 1) {
    const args = ['compare', spec];
    if (otherPrompts.length > 0) args.push('--versions', ['current', ...otherPrompts].join(','));
    if (written.targets.length > 1) args.push('--models', written.targets.join(','));
    lines.push(`  ${ctx.invocation.command(args)}`);
  }
  lines.push(`  ${ctx.invocation.command(['optimize', spec])}`);
  io.out(lines.join('\n'));
  return EXIT.ok;
}
