/**
 * Asks the optimizer model for one candidate per proposal, all in parallel. Each reply is parsed
 * (tags or JSON); a malformed reply is asked for once more, then skipped. A candidate that drops or
 * invents a template variable, or repeats a prompt already on the table, is rejected here, before it
 * costs an evaluation.
 */
import { ProviderError } from '../errors.js';
import type { ChatModel } from '../providers/types.js';
import type { ModelCaller } from '../runner/model-caller.js';
import { checkCandidateVariables } from './check-candidate-variables.js';
import { buildMetaPrompt, type TaskContext } from './meta-prompt.js';
import { parseCandidate } from './parse-candidate.js';
import type { Proposal } from './strategies/types.js';
import type { Candidate, CandidateRecord, OptimizerEvent, Phase } from './types.js';

export interface GenerateInput {
  proposals: Proposal[];
  task: TaskContext;
  optimizer: ChatModel;
  caller: ModelCaller;
  phase: Phase;
  iteration: number;
  budgetTokens: number;
  maxTokens: number;
  /** The prompt whose variables every candidate must keep. */
  reference: string;
  /** Prompts already scored or current: a candidate equal to one of them is not re-evaluated. */
  known: Set<string>;
  /**
   * Told of each usable candidate prompt as soon as its reply is in, while its siblings may still be
   * written (so its scoring can start); `index` is its proposal's. Duplicates are sorted out after.
   */
  onCandidate?: (prompt: string, index: number) => void;
}

export interface GenerateOutput {
  candidates: Candidate[];
  invalid: CandidateRecord[];
  providerFailures: ProviderError[];
}

const RETRY_SAMPLE_OFFSET = 100;

export async function generateCandidates(input: GenerateInput): Promise<GenerateOutput> {
  const prefix = `${input.phase === 'validation' ? 'v' : 'i'}${input.iteration}c`;
  const providerFailures: ProviderError[] = [];
  const replies = await Promise.all(
    input.proposals.map(async (proposal, index) => {
      const request = buildMetaPrompt(input.task, proposal.request, input.budgetTokens, input.maxTokens);
      const meta = { iteration: input.iteration, candidate: index + 1, phase: input.phase };
      for (const sample of [index, index + RETRY_SAMPLE_OFFSET]) {
        try {
          const reply = await input.caller.call(input.optimizer, request, 'optimizer', sample, meta);
          const parsed = parseCandidate(reply.text, input.task.layout);
          if (parsed) {
            const prompt = `${parsed.prompt}\n`;
            if (input.onCandidate && !input.known.has(prompt) && !checkCandidateVariables(input.reference, prompt, input.task.layout)) input.onCandidate(prompt, index);
            return { parsed };
          }
        } catch (error) {
          if (!(error instanceof ProviderError)) throw error;
          providerFailures.push(error);
          return { failure: `optimizer call failed: ${error.message}` };
        }
      }
      return { failure: 'optimizer reply had no <prompt> (or JSON "prompt") twice; skipped' };
    }),
  );

  const candidates: Candidate[] = [];
  const invalid: CandidateRecord[] = [];
  const seen = new Set(input.known);
  replies.forEach((reply, index) => {
    const proposal = input.proposals[index]!;
    const id = `${prefix}${index + 1}`;
    const candidate: Candidate = {
      id,
      // A prompt is a text file's text: one final newline, as a prompt file has, so version files and
      // their diffs end cleanly; the model is sent exactly this text.
      // (A chat prompt's rewritten YAML or JSON ends with one already.)
      prompt: reply.parsed ? withFinalNewline(reply.parsed.prompt) : '',
      hypothesis: reply.parsed?.hypothesis ?? '',
      origin: proposal.origin,
      direction: proposal.direction,
      parents: proposal.parents,
    };
    const reason =
      reply.failure ??
      checkCandidateVariables(input.reference, candidate.prompt, input.task.layout) ??
      (seen.has(candidate.prompt) ? 'identical to a prompt already evaluated' : undefined);
    if (reason) {
      invalid.push({ candidate, status: 'invalid', reason, fixed: [], broken: [] });
      return;
    }
    seen.add(candidate.prompt);
    candidates.push(candidate);
  });
  return { candidates, invalid, providerFailures };
}

/** The event that announces an iteration's candidates, with why any were rejected before evaluation. */
export function proposedEvent(iteration: number, generated: GenerateOutput): OptimizerEvent {
  return {
    type: 'candidates_proposed',
    iteration,
    count: generated.candidates.length,
    invalid: generated.invalid.length,
    invalidReasons: [...new Set(generated.invalid.map((r) => r.reason))],
  };
}

function withFinalNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
