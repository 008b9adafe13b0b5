/**
 * The case results the engine holds on to: those of the current prompt and of the version the final
 * selection would choose so far (at most two prompts, on train, validation and test), so the final
 * prompt's results are at hand when the loop ends, without a re-evaluation (which would cost calls
 * under --no-cache). Everything else is dropped once its iteration is over.
 */
import type { EvalResult } from '../runner/types.js';
import type { SplitName } from '../spec/types.js';

export class HeldResults {
  private readonly held = new Map<string, Partial<Record<SplitName, EvalResult>>>();
  private wanted = new Set<string>();

  /** Keeps `result` when `prompt` is one of the prompts held on to. */
  offer(prompt: string, split: SplitName, result: EvalResult): void {
    if (this.wanted.has(prompt)) this.set(prompt, split, result);
  }

  set(prompt: string, split: SplitName, result: EvalResult): void {
    this.held.set(prompt, { ...this.held.get(prompt), [split]: result });
  }

  get(prompt: string, split: SplitName): EvalResult | undefined {
    return this.held.get(prompt)?.[split];
  }

  /** From now on only these prompts' results are held; the others are dropped. */
  keep(prompts: readonly string[]): void {
    this.wanted = new Set(prompts);
    for (const prompt of [...this.held.keys()]) if (!this.wanted.has(prompt)) this.held.delete(prompt);
  }
}
