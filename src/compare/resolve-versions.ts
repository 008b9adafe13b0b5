/**
 * `--versions v3,7,current,prompts/b.md` -> the prompt texts to compare. `vN` or `N` is version N
 * of the versions folder, `current` the spec's own prompt, anything else a prompt file (relative to
 * the working folder, like `eval --prompt`). Every prompt must use only variables the cases provide.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { didYouMean } from '../spec/did-you-mean.js';
import type { Spec } from '../spec/types.js';
import { readVersion } from '../store/read-version.js';
import type { PromptVersion } from './types.js';

export type VersionRef = { kind: 'version'; version: number } | { kind: 'current' } | { kind: 'file'; path: string };

const VERSION_REF = /^v?([1-9]\d*)$/i;

/** One `--versions` entry, without touching the disk. */
export function parseVersionRef(entry: string): VersionRef {
  const match = VERSION_REF.exec(entry);
  if (match) return { kind: 'version', version: Number(match[1]) };
  if (entry.toLowerCase() === 'current') return { kind: 'current' };
  return { kind: 'file', path: entry };
}

/** The label a ref is shown with, and matched by in `--baseline`. */
export function versionLabel(ref: VersionRef): string {
  return ref.kind === 'version' ? `v${ref.version}` : ref.kind === 'current' ? 'current' : ref.path;
}

export function splitList(flag: string, value: string): string[] {
  const entries = value.split(',').map((s) => s.trim());
  if (entries.some((e) => e === '')) throw new UsageError(`${flag}: empty entry in "${value}"`, 'give a comma-separated list without empty items');
  return entries;
}

export async function resolveVersions(value: string, spec: Spec, checkVariables: (text: string, file: string) => void): Promise<PromptVersion[]> {
  const refs = splitList('--versions', value).map(parseVersionRef);
  const labels = refs.map(versionLabel);
  const duplicate = labels.find((label, i) => labels.indexOf(label) !== i);
  if (duplicate !== undefined) throw new UsageError(`--versions lists ${duplicate} twice`);
  const versions = await Promise.all(refs.map((ref) => loadVersion(ref, spec)));
  for (const v of versions) checkVariables(v.text, v.file ?? spec.file);
  return versions;
}

async function loadVersion(ref: VersionRef, spec: Spec): Promise<PromptVersion> {
  if (ref.kind === 'version') {
    const { meta, text } = await readVersion(spec.versionsDir, ref.version);
    return { label: `v${ref.version}`, kind: 'version', text, version: ref.version, file: resolve(spec.versionsDir, meta.promptFile) };
  }
  if (ref.kind === 'current') {
    return { label: 'current', kind: 'current', text: spec.prompt.text, ...(spec.prompt.file ? { file: spec.prompt.file } : {}) };
  }
  const file = resolve(ref.path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    const suggestion = didYouMean(ref.path, ['current']);
    throw new UsageError(
      `--versions: "${ref.path}" is not a version (vN), "current", or a readable prompt file`,
      suggestion ? `did you mean "${suggestion}"?` : `versions come from ${spec.versionsDir}; a file path is read relative to the working folder`,
    );
  }
  return { label: ref.path, kind: 'file', text, file };
}
