import type { ChatModel } from '../providers/types.js';

/** `openai:gpt-4o-mini`, or `sim:sim-classifier (SIMULATED, not a real model)` for the simulator. */
export function describeTarget(model: ChatModel): string {
  return `${model.provider}:${model.modelId}${model.simulated ? ' (SIMULATED, not a real model)' : ''}`;
}
