/**
 * `sim`: a deterministic, offline, simulated model. Every response says `simulated: true`; it costs
 * nothing and never calls a network. It behaves like a crude instruction follower whose quality
 * depends on the prompt, so optimizing a prompt against it is meaningful (see classify.ts).
 *
 * Modes, chosen by a marker in the SYSTEM prompt:
 *   - `[promptopt:judge]`      judge mode (judge.ts): replies `{"pass": bool, "score": n, "reason": "..."}`,
 *                              grading the text in `<output>…</output>` against `<rubric>…</rubric>`
 *                              (or `Rubric:` / `Output:` sections).
 *   - `[promptopt:optimizer]`  optimizer mode (optimizer/): edits the prompt in the request from the failures
 *                              the request shows; registered here with `registerSimMode`, so every sim
 *                              model answers optimizer requests (a test may register its own handler).
 *   - no marker, and the prompt mentions "intent" and "slots": extraction mode (extract.ts), answering
 *                              `{"intent": ..., "slots": {...}}` from intents, slot names and rules in the prompt.
 *   - no marker                classifier mode: finds the input (text after the last `Input:`, `Text:`,
 *                              `Query:`, `Question:`, `Verse:`, `Message:` or `Sentence:` line, else the
 *                              last paragraph of the last user message), the labels, rules
 *                              (`"phrase" -> label`, `phrase => label`) and few-shot examples
 *                              (`Input: ...` / `Output: ...`) in the rest, and answers
 *                              `The answer is: <Label>.`, the bare label ("only the label", "nothing else",
 *                              "single word", ...), or `{"label": "<label>"}` (prompt mentions JSON).
 * Both target modes add ~5% deterministic noise (a confusable answer, keyed by the input) that only
 * rules in the prompt override (noise.ts).
 *
 * Usage is ceil(chars / 4) for input (system + messages) and output. `simLatencyMs` adds a delay.
 * The temperature is ignored: the simulator is deterministic.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { ChatModel, ChatRequest, ChatResponse, ModelConfig } from '../providers/types.js';
import { simOptimizerMode } from './optimizer/index.js';
import { registerSimMode, respond, SIM_MARKERS } from './respond.js';
import { estimateTokens } from './text.js';

export { registerSimMode, SIM_MARKERS, type SimContext, type SimModeHandler } from './respond.js';

registerSimMode(SIM_MARKERS.optimizer, simOptimizerMode);

export function createSimModel(config: Pick<ModelConfig, 'model' | 'simLatencyMs'>): ChatModel {
  const modelId = config.model;
  return {
    provider: 'sim',
    modelId,
    simulated: true,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const started = performance.now();
      if (config.simLatencyMs && config.simLatencyMs > 0) {
        await delay(config.simLatencyMs, undefined, { signal: request.signal });
      }
      let text = await respond(request, { modelId });
      let finishReason = 'stop';
      const maxChars = request.maxTokens * 4;
      if (text.length > maxChars) {
        text = text.slice(0, maxChars);
        finishReason = 'length';
      }
      const prompt = [request.system ?? '', ...request.messages.map((m) => m.content)].join('');
      return {
        text,
        usage: { inputTokens: estimateTokens(prompt), outputTokens: estimateTokens(text) },
        latencyMs: Math.round(performance.now() - started),
        costUsd: null, // filled in by withCost (the simulator's price is a known 0)
        model: modelId,
        finishReason,
      };
    },
  };
}
