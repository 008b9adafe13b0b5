/**
 * A mapped config, one of its prompts and one of its providers -> a native spec document (the raw
 * YAML shape `loadSpec` reads): `template: nunjucks` always (promptfoo renders with Nunjucks), the
 * prompt inline or as a file reference, cases inline or as a file reference. `eval` of a config
 * loads this document in memory; `import promptfoo` writes it. Same function, same results.
 */
import { stringify } from 'yaml';
import type { MappedConfig, MappedPrompt, MappedProvider } from './types.js';

export interface SpecLayout {
  /** `file://prompts/x.txt` when the prompt is written to a file; inline otherwise. */
  prompt?: string;
  /** `file://task.cases.yaml` when the cases are written to a file; inline otherwise. */
  cases?: string;
}

export function buildSpec(config: MappedConfig, prompt: MappedPrompt, provider: MappedProvider, layout: SpecLayout = {}): Record<string, unknown> {
  const responseFormat = prompt.responseFormat ?? provider.responseFormat;
  const defaults = {
    ...(config.defaultAssert.length > 0 ? { assert: config.defaultAssert } : {}),
    ...(config.defaultThreshold !== undefined ? { threshold: config.defaultThreshold } : {}),
  };
  return {
    name: config.name,
    description: config.description,
    template: 'nunjucks',
    prompt: layout.prompt ?? prompt.messages ?? prompt.text,
    ...(responseFormat ? { response_format: responseFormat } : {}),
    ...(config.transform !== undefined ? { transform: config.transform } : {}),
    target: { ...provider.target, ...prompt.modelConfig },
    cases: layout.cases ?? config.cases,
    ...(Object.keys(defaults).length > 0 ? { defaults } : {}),
    threshold: config.threshold,
    ...(config.concurrency !== undefined ? { concurrency: config.concurrency } : {}),
    ...(config.repeat !== undefined ? { repeat: config.repeat } : {}),
  };
}

/** The document as YAML text (long texts as literal blocks). */
export function specYaml(spec: Record<string, unknown>, header?: string): string {
  const body = stringify(spec, { lineWidth: 0, blockQuote: 'literal', aliasDuplicateObjects: false });
  return header ? `${header.replace(/^/gm, '# ')}\n${body}` : body;
}

/** `openai:gpt-4o-mini` for headers and `compare --models`. */
export function targetName(provider: MappedProvider): string {
  return `${String(provider.target.provider)}:${String(provider.target.model)}`;
}
