/**
 * A promptfoo config -> MappedConfig: prompts, providers, tests and defaults mapped, every feature
 * left out named in one warning, and every assertion, prompt or provider that cannot run as written
 * an error (SpecError, exit 2) before anything is called.
 */
import { basename, dirname, resolve } from 'node:path';
import { specFileScope } from '../spec/file-scope.js';
import { mapPrompts } from './map-prompts.js';
import { mapProviders } from './map-providers.js';
import { mapTests } from './map-tests.js';
import { MappingNotes } from './notes.js';
import { readSource, type YamlSource } from './read-config.js';
import type { MappedConfig } from './types.js';

const MAPPED_KEYS = ['description', 'prompts', 'providers', 'targets', 'tests', 'defaultTest', 'threshold', 'evaluateOptions', '$schema'];
const WHY_NOT: Record<string, string> = {
  derivedMetrics: 'derived metrics are not computed; the named metrics they read are reported',
  scenarios: 'their tests do not run',
  nunjucksFilters: 'a template using these filters is refused',
  env: 'set these variables in the environment',
  outputPath: 'promptopt writes its own outputs (--output, --junit)',
};

export interface MapOptions {
  env?: NodeJS.ProcessEnv;
  trustSpec?: boolean;
}

export async function mapPromptfooConfig(file: string, options: MapOptions = {}): Promise<MappedConfig> {
  const path = resolve(file);
  const dir = dirname(path);
  const source = await readSource(path);
  const notes = new MappingNotes();
  const scope = specFileScope(dir, { trusted: options.trustSpec, home: (options.env ?? process.env).HOME });
  const config = source.value as Record<string, unknown>;

  for (const key of Object.keys(config)) {
    if (!MAPPED_KEYS.includes(key)) notes.unknownKey(source.at([key], { key: true }), key, [...MAPPED_KEYS, ...Object.keys(WHY_NOT)], `\`${key}\`${WHY_NOT[key] ? `: ${WHY_NOT[key]}` : ''}`);
  }
  const prompts = await mapPrompts(source, dir, scope, notes);
  const providers = mapProviders(source, scope, notes);
  const tests = await mapTests(source, dir, scope, notes);
  const evaluate = mapEvaluateOptions(config.evaluateOptions, source, notes);
  let threshold = 1;
  if (config.threshold !== undefined) {
    if (typeof config.threshold === 'number' && config.threshold >= 0 && config.threshold <= 1) threshold = config.threshold;
    else notes.fail(source.at(['threshold']), 'threshold must be a number from 0 to 1');
  }
  notes.throwIfFailed();
  const described = typeof config.description === 'string' && config.description.trim() !== '' ? config.description.trim() : undefined;
  const description = described ?? `promptfoo config ${basename(path)}`;
  const warning = notes.warning();
  return {
    file: path,
    dir,
    name: nameOf(described ?? basename(dir)),
    description,
    prompts,
    providers,
    ...tests,
    threshold,
    ...evaluate,
    ...(warning ? { warning } : {}),
  };
}

function mapEvaluateOptions(raw: unknown, source: YamlSource, notes: MappingNotes): { concurrency?: number; repeat?: number } {
  const out: { concurrency?: number; repeat?: number } = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key === 'maxConcurrency' && typeof value === 'number') out.concurrency = value;
    else if (key === 'repeat' && typeof value === 'number') out.repeat = value;
    else notes.skip(source.at(['evaluateOptions', key], { key: true }), `evaluateOptions.${key}`);
  }
  return out;
}

/** The config's description (else its folder's name) as a task name. */
function nameOf(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48).replace(/-+$/, '') || 'promptfoo';
}
