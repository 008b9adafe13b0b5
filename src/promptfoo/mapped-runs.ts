/**
 * What `eval` of a promptfoo config runs: one native spec per prompt × provider (never prompts
 * concatenated), each as YAML text that `loadSpec` reads in place of the config's own text.
 */
import { displayPath } from '../spec/issues.js';
import { buildSpec, specYaml, targetName } from './build-spec.js';
import type { MappedConfig } from './types.js';

export interface MappedRun {
  prompt: string;
  provider: string;
  /** `openai:gpt-4o-mini` */
  target: string;
  source: { text: string; origin: string };
}

export function mappedRuns(config: MappedConfig): MappedRun[] {
  const runs: MappedRun[] = [];
  for (const prompt of config.prompts) {
    for (const provider of config.providers) {
      const origin = `${displayPath(config.file)} (prompt "${prompt.label}", provider ${provider.label}, as mapped to a promptopt spec)`;
      runs.push({ prompt: prompt.label, provider: provider.named ? provider.label : targetName(provider), target: targetName(provider), source: { text: specYaml(buildSpec(config, prompt, provider)), origin } });
    }
  }
  return runs;
}
