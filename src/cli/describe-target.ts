import { describeModel } from '../session/create-model.js';
import type { ChatModel, ModelConfig } from '../providers/types.js';

/** `openai:gpt-4o-mini`, or `sim:sim-classifier (SIMULATED, not a real model)` for the simulator. */
export function describeTarget(model: ChatModel): string {
  return `${model.provider}:${model.modelId}${model.simulated ? ' (SIMULATED, not a real model)' : ''}`;
}

/**
 * The optimizer or judge of a run header: `optimizer anthropic:claude-opus-5-5 (default)` when the spec
 * names none, `judge = the target's model`, `judge openai:gpt-4o`: the models a run bills, named before it starts.
 */
export function describeRole(role: 'optimizer' | 'judge', model: ChatModel, config: Pick<ModelConfig, 'defaulted'>): string {
  if (config.defaulted === 'target') return `${role} = the target's model`;
  return `${role} ${describeModel(model)}${config.defaulted === 'provider-default' ? ' (default)' : ''}`;
}
