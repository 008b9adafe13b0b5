/**
 * `promptopt import promptfoo`: a mapped config written as files the user owns: the spec (first
 * prompt, first provider), one prompt file per prompt (`<spec>-prompts/<name>.txt`, or `.yaml` for a chat
 * prompt: versions need a file to write), and the cases (`<spec>.cases.yaml`). `file://` references
 * of assertions and transforms are rewritten relative to the spec's folder. An existing file is
 * never overwritten without `force`; nothing is written when something is refused.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { UsageError } from '../errors.js';
import { formatChatPrompt } from '../template/chat-prompt.js';
import { displayPath } from '../spec/issues.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { buildSpec, specYaml, targetName } from './build-spec.js';
import { FILE_PREFIX } from './read-file.js';
import type { MappedConfig, MappedPrompt } from './types.js';

export interface ImportPlan {
  /** Absolute path of the spec to write. */
  specFile: string;
  force?: boolean;
}

export interface WrittenImport {
  specFile: string;
  casesFile: string;
  /** Every prompt file, the spec's first. */
  promptFiles: string[];
  /** `openai:gpt-4o-mini` of every provider, the spec's first. */
  targets: string[];
  cases: number;
}

export async function writeImport(config: MappedConfig, plan: ImportPlan): Promise<WrittenImport> {
  const specFile = resolve(plan.specFile);
  const dir = dirname(specFile);
  const stem = basename(specFile, extname(specFile));
  // A folder of their own: the config's prompt files (often prompts/) stay as they are.
  const promptFiles = config.prompts.map((prompt) => join(dir, `${stem}-prompts`, `${prompt.slug}${prompt.messages ? '.yaml' : '.txt'}`));
  const casesFile = join(dir, `${stem}.cases.yaml`);
  const files = [specFile, casesFile, ...promptFiles];
  const existing = files.filter((file) => existsSync(file));
  if (existing.length > 0 && !plan.force) {
    throw new UsageError(`import promptfoo would overwrite ${existing.map(displayPath).join(', ')}`, 'pass --force to overwrite them, or -o another spec path');
  }
  const rebase = (value: Record<string, unknown>) => rebaseFileRefs(value, config.dir, dir) as Record<string, unknown>;
  const cases = config.cases.map((c) => ({ ...c, ...(c.assert ? { assert: c.assert.map(rebase) } : {}) }));
  const mapped: MappedConfig = {
    ...config,
    cases,
    defaultAssert: config.defaultAssert.map(rebase),
    ...(config.transform !== undefined ? { transform: rebaseFileRefs(config.transform, config.dir, dir) as string } : {}),
  };
  const [first] = config.prompts;
  const [provider] = config.providers;
  const ref = (file: string) => `${FILE_PREFIX}${relative(dir, file).split('\\').join('/')}`;
  const spec = buildSpec(mapped, first!, provider!, { prompt: ref(promptFiles[0]!), cases: ref(casesFile) });
  const header = importHeader(config, promptFiles.slice(1).map((f) => relative(dir, f)), config.providers.slice(1).map(targetName));

  for (const [index, prompt] of config.prompts.entries()) await writeFileAtomic(promptFiles[index]!, promptText(prompt));
  await writeFileAtomic(casesFile, stringify(cases, { lineWidth: 0, blockQuote: 'literal', aliasDuplicateObjects: false }));
  await writeFileAtomic(specFile, specYaml(spec, header));
  return { specFile, casesFile, promptFiles, targets: config.providers.map(targetName), cases: cases.length };
}

function promptText(prompt: MappedPrompt): string {
  return prompt.messages ? formatChatPrompt(prompt.messages, 'yaml') : `${prompt.text!}\n`;
}

function importHeader(config: MappedConfig, otherPrompts: string[], otherTargets: string[]): string {
  const lines = [`Converted from ${basename(config.file)} by \`promptopt import promptfoo\` (template: nunjucks, as promptfoo renders).`];
  if (otherPrompts.length > 0) lines.push(`Its other prompts: ${otherPrompts.join(', ')} (compare --versions current,${otherPrompts.join(',')}).`);
  if (otherTargets.length > 0) lines.push(`Its other providers: ${otherTargets.join(', ')} (compare --models).`);
  return lines.join('\n');
}

/** Every `file://x` string in a value (an assertion, a transform) re-pointed from `fromDir` to `toDir`. */
export function rebaseFileRefs(value: unknown, fromDir: string, toDir: string): unknown {
  if (fromDir === toDir) return value;
  if (typeof value === 'string') {
    const ref = fileRef(value, fromDir);
    if (!ref) return value;
    return `${FILE_PREFIX}${relative(toDir, ref.path).split('\\').join('/')}${ref.fn}`;
  }
  if (Array.isArray(value)) return value.map((v) => rebaseFileRefs(v, fromDir, toDir));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rebaseFileRefs(v, fromDir, toDir)]));
  return value;
}

/** The files a mapped config's checks and transform read (`file://` references, resolved from its folder). */
export function referencedFiles(config: MappedConfig): string[] {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      const ref = fileRef(value, config.dir);
      if (ref) found.add(ref.path);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(config.defaultAssert);
  walk(config.cases.map((c) => c.assert ?? []));
  walk(config.transform);
  return [...found];
}

/** A `file://path[:function]` value: its absolute path (resolved from `dir`) and the `:function` suffix, if any. */
function fileRef(value: string, dir: string): { path: string; fn: string } | undefined {
  if (!value.startsWith(FILE_PREFIX)) return undefined;
  const rest = value.slice(FILE_PREFIX.length);
  const fn = /(:[A-Za-z_$][\w$]*)$/.exec(rest)?.[1] ?? '';
  return { path: resolve(dir, rest.slice(0, rest.length - fn.length)), fn };
}
