import type { ChatModel, ChatRequest, ChatResponse } from '../providers/types.js';

/**
 * One call's abort signal, tied to the run's: it aborts when the run's does (Ctrl-C, SIGTERM), and
 * `release` unhooks it once the call is over. The SDKs add an `abort` listener to the signal of every
 * request and never remove it; on the run's own signal those listeners (each holding its request)
 * would pile up, one per call: 100k calls meant 100k listeners, hundreds of MB and a slowdown that
 * grew with every call. On a per-call signal they go away with the call.
 */
export function callSignal(run: AbortSignal): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const abort = () => controller.abort(run.reason);
  if (run.aborted) abort();
  else run.addEventListener('abort', abort, { once: true });
  return { signal: controller.signal, release: () => run.removeEventListener('abort', abort) };
}

/** `model.complete(request)`, with a per-call signal tied to `run` when there is one. */
export async function completeWithin(model: ChatModel, request: ChatRequest, run: AbortSignal | undefined): Promise<ChatResponse> {
  if (!run) return model.complete(request);
  const call = callSignal(run);
  try {
    return await model.complete({ ...request, signal: call.signal });
  } finally {
    call.release();
  }
}
