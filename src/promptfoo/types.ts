/**
 * A promptfoo config as promptopt understands it: what `mapPromptfooConfig` returns, before it
 * becomes native specs (one per prompt × provider, see build-spec.ts).
 */
import type { ChatPromptMessage } from '../template/chat-prompt.js';

/** Where something is: a file and, when known, its line (1-based). */
export interface Where {
  file: string;
  line?: number;
}

/** One prompt of `prompts:`: a text template or a chat message list, with its own model config. */
export interface MappedPrompt {
  /** `label`, `id`, or the file (with the part number of a `---` file, or the start of the text). */
  label: string;
  /** A short name for files and headers (letters, digits, - and _). */
  slug: string;
  text?: string;
  messages?: ChatPromptMessage[];
  /** `config.response_format` of a prompt object. */
  responseFormat?: Record<string, unknown>;
  /** `config.temperature` / `config.max_tokens` of a prompt object: merged into the target. */
  modelConfig: Record<string, unknown>;
  where: Where;
}

/** One provider of `providers:` as a native `target:`. */
export interface MappedProvider {
  /** `label`, else the id as written. */
  label: string;
  /** True when the config gave a `label`. */
  named: boolean;
  slug: string;
  /** Native target fields (snake_case, as a spec writes them). */
  target: Record<string, unknown>;
  /** `config.response_format` of the provider (a prompt's own wins). */
  responseFormat?: Record<string, unknown>;
  where: Where;
}

/** A native raw case (as a spec's `cases:` item holds it). */
export interface MappedCase {
  /** Where the test is: `promptfooconfig.yaml:12`, `tests.csv:4` (`#2`: the second value of a list var). */
  id: string;
  vars: Record<string, unknown>;
  assert?: Record<string, unknown>[];
  threshold?: number;
  /** The test's `metadata` and `description`. */
  metadata?: Record<string, unknown>;
}

export interface MappedConfig {
  /** Absolute path of the promptfoo config. */
  file: string;
  dir: string;
  name: string;
  description: string;
  prompts: MappedPrompt[];
  providers: MappedProvider[];
  cases: MappedCase[];
  defaultAssert: Record<string, unknown>[];
  defaultThreshold?: number;
  /** `defaultTest.options.transform`. */
  transform?: string;
  /** Top-level `threshold` (the eval gate); promptfoo's own gate is "every test passes". */
  threshold: number;
  concurrency?: number;
  repeat?: number;
  /** The one warning naming every feature that was not mapped, or undefined. */
  warning?: string;
}
