/**
 * Which prompt a traced target call was made with. The trace line does not name it, but it keeps
 * the request (`--trace full`) or a digest of it (`--trace calls`), and the checkpoint keeps every
 * prompt the run scored (the start, each candidate, the current one): rendering each of them for
 * the call's case, as the runner does, and digesting the result the way the trace writer does
 * tells which one it was. Exact, and independent of how the optimizer labels its calls; a call
 * stays unattributed when no prompt renders to its request: the task changed since the run, or the
 * trace was redacted for personal data (`redact: { traces: true }`) where the case held some.
 *
 * The label is the prompt's version (`v3`) when the versions folder has that text, else the first
 * 12 hex digits of its SHA-256.
 */
import type { RunState } from '../optimizer/types.js';
import type { TraceCall } from '../report/read-trace.js';
import { createRedactor, redactWith } from '../report/redact.js';
import { requestDigest } from '../report/trace-format.js';
import { renderRequest, type RequestShape } from '../runner/render-request.js';
import type { VersionMeta } from '../store/version-meta.js';
import { sha256 } from '../util/hash.js';

export interface PromptLabels {
  /** The label of the prompt a target call was made with; undefined when it cannot be told. */
  of(call: TraceCall): string | undefined;
}

export interface PromptLabelsInput {
  state: RunState;
  /** How a prompt becomes a request (the task's spec); without it no call is attributed. */
  shape: RequestShape | undefined;
  versions: readonly Pick<VersionMeta, 'version' | 'promptSha256'>[];
  /** The case's variables, by case id. */
  varsOf(caseId: string): Record<string, unknown> | undefined;
  /** The secrets the trace writer redacted (the digest is of the redacted request). */
  secrets: readonly string[];
}

/** Every prompt text the checkpoint names, each once. */
export function runPrompts(state: RunState): string[] {
  const texts = [state.start.prompt, state.current.prompt];
  for (const iteration of state.iterations) for (const record of iteration.candidates) texts.push(record.candidate.prompt);
  return [...new Set(texts)];
}

/** The label of a prompt text: `vN` when a version has it, else 12 hex digits of its SHA-256. */
export function promptLabel(text: string, versions: PromptLabelsInput['versions']): string {
  const digest = sha256(text);
  const version = versions.filter((v) => v.promptSha256 === digest).sort((a, b) => a.version - b.version)[0];
  return version ? `v${version.version}` : digest.slice(0, 12);
}

export function promptLabels(input: PromptLabelsInput): PromptLabels {
  const prompts = runPrompts(input.state).map((text) => ({ text, label: promptLabel(text, input.versions) }));
  const scrub = createRedactor(input.secrets);
  /** Per case: request digest -> prompt label, built the first time a call of the case is looked at. */
  const byCase = new Map<string, Map<string, string>>();
  const digestsOf = (caseId: string): Map<string, string> | undefined => {
    const known = byCase.get(caseId);
    if (known) return known;
    const vars = input.varsOf(caseId);
    if (!vars || !input.shape) return undefined;
    const digests = new Map<string, string>();
    for (const prompt of prompts) {
      let request;
      try {
        request = redactWith(renderRequest(input.shape, prompt.text, vars), scrub);
      } catch {
        continue; // a prompt that no longer renders with these variables made no call for them
      }
      const digest = requestDigest(request.system, request.messages);
      if (!digests.has(digest)) digests.set(digest, prompt.label);
    }
    byCase.set(caseId, digests);
    return digests;
  };
  return {
    of(call) {
      if (call.role !== 'target' || call.case_id === undefined) return undefined;
      const digest = 'hash' in call.request ? call.request.hash : requestDigest(call.request.system, call.request.messages);
      return digestsOf(call.case_id)?.get(digest);
    },
  };
}
