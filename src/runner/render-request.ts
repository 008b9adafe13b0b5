import { renderTemplate } from '../spec/template.js';
import type { ChatRequest } from '../providers/types.js';
import type { Spec } from '../spec/types.js';

/** The parts of a spec that decide how a prompt becomes a request. */
export interface RequestShape {
  promptRole: 'user' | 'system';
  system?: string;
  user?: string;
  maxTokens: number;
  temperature?: number;
}

/**
 * Renders one case: the optimized prompt goes where `promptRole` says; the fixed `system` or `user`
 * template (never optimized) fills the other side.
 */
export function renderRequest(shape: RequestShape, prompt: string, vars: Record<string, unknown>): ChatRequest {
  const rendered = renderTemplate(prompt, vars);
  const request: ChatRequest =
    shape.promptRole === 'system'
      ? { system: rendered, messages: [{ role: 'user', content: renderTemplate(shape.user ?? '', vars) }], maxTokens: shape.maxTokens }
      : {
          ...(shape.system ? { system: renderTemplate(shape.system, vars) } : {}),
          messages: [{ role: 'user', content: rendered }],
          maxTokens: shape.maxTokens,
        };
  if (shape.temperature !== undefined) request.temperature = shape.temperature;
  return request;
}

/** A spec's request shape: where its prompt goes, the fixed parts, and the target's sampling settings. */
export function requestShape(spec: Pick<Spec, 'promptRole' | 'system' | 'user' | 'target'>): RequestShape {
  return {
    promptRole: spec.promptRole,
    system: spec.system,
    user: spec.user,
    maxTokens: spec.target.maxTokens,
    temperature: spec.target.temperature,
  };
}
