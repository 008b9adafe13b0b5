/**
 * Dispatches a request to the simulator's mode by the marker in its system prompt: a registered
 * mode (the built-in optimizer, registered by index.ts, or a test's), the built-in judge, or the
 * target: extraction (extract.ts) when the prompt asks for an intent and slots, else the classifier.
 * Registered modes are checked first, in registration order.
 */
import type { ChatRequest } from '../providers/types.js';
import { classify } from './classify.js';
import { extract, isExtractionPrompt } from './extract.js';
import { judge } from './judge.js';
import { readPrompt } from './read-prompt.js';

export const SIM_MARKERS = {
  judge: '[promptopt:judge]',
  optimizer: '[promptopt:optimizer]',
} as const;

export interface SimContext {
  /** The model id as configured, e.g. `sim-classifier`. */
  modelId: string;
}

export type SimModeHandler = (request: ChatRequest, context: SimContext) => string | Promise<string>;

const modes = new Map<string, SimModeHandler>();

/**
 * Registers the handler for requests whose system prompt contains `marker`. Replaces any handler
 * already registered for that marker. Returns a function that unregisters it, putting back the
 * handler it replaced (if any).
 */
export function registerSimMode(marker: string, handler: SimModeHandler): () => void {
  if (!marker) throw new Error('registerSimMode: marker must be a non-empty string');
  const previous = modes.get(marker);
  modes.set(marker, handler);
  return () => {
    if (modes.get(marker) !== handler) return;
    if (previous) modes.set(marker, previous);
    else modes.delete(marker);
  };
}

export async function respond(request: ChatRequest, context: SimContext): Promise<string> {
  const system = request.system ?? '';
  for (const [marker, handler] of modes) {
    if (system.includes(marker)) return handler(request, context);
  }
  if (system.includes(SIM_MARKERS.judge)) return judge(request);
  if (system.includes(SIM_MARKERS.optimizer)) {
    return (
      `[sim] error: no simulated optimizer is registered for ${SIM_MARKERS.optimizer}; ` +
      `call registerSimMode('${SIM_MARKERS.optimizer}', handler) or use a real optimizer model`
    );
  }
  const prompt = readPrompt(request);
  if (isExtractionPrompt(prompt.instructions)) return extract(prompt);
  return classify(request);
}
