/**
 * Every version × model pair, and which one is the baseline: the first version on the first model,
 * or `--baseline <version>[@<provider:model>]` (`v3`, `3@openai:gpt-4o-mini`, `current@sim:x`).
 */
import { UsageError } from '../errors.js';
import { didYouMean } from '../spec/did-you-mean.js';
import { parseVersionRef, versionLabel } from './resolve-versions.js';
import type { CompareModel, ComparePlan, PairPlan, PromptVersion } from './types.js';

export function pairId(version: string, model: string): string {
  return `${version}@${model}`;
}

export function planPairs(versions: PromptVersion[], models: CompareModel[], baseline?: string): ComparePlan {
  const pairs: PairPlan[] = versions.flatMap((version) => models.map((model) => ({ id: pairId(version.label, model.label), version, model })));
  if (pairs.length < 2) {
    throw new UsageError('compare needs at least two pairs to compare', 'give two or more --versions, or two or more --models');
  }
  return { versions, models, pairs, baseline: baseline === undefined ? pairs[0]! : findBaseline(baseline, pairs, versions, models) };
}

function findBaseline(value: string, pairs: PairPlan[], versions: PromptVersion[], models: CompareModel[]): PairPlan {
  const exact = pairs.find((p) => p.id === value);
  if (exact) return exact;
  const at = value.indexOf('@');
  const versionPart = at < 0 ? value : value.slice(0, at);
  const modelPart = at < 0 ? undefined : value.slice(at + 1);
  const versionLabels = versions.map((v) => v.label);
  const wanted = versionLabel(parseVersionRef(versionPart));
  const version = versions.find((v) => v.label === wanted || v.label === versionPart);
  if (!version) {
    const suggestion = didYouMean(versionPart, versionLabels);
    throw new UsageError(
      `--baseline: version "${versionPart}" is not one of --versions (${versionLabels.join(', ')})${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      'the baseline is <version>[@<provider:model>], e.g. v3@openai:gpt-4o-mini',
    );
  }
  const modelLabels = models.map((m) => m.label);
  const model = modelPart === undefined ? models[0]! : models.find((m) => m.label === modelPart);
  if (!model) {
    const suggestion = didYouMean(modelPart!, modelLabels);
    throw new UsageError(
      `--baseline: model "${modelPart}" is not one of --models (${modelLabels.join(', ')})${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      'the baseline is <version>[@<provider:model>], e.g. v3@openai:gpt-4o-mini',
    );
  }
  return pairs.find((p) => p.version === version && p.model === model)!;
}
