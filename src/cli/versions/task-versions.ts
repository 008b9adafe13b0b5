/** What the version commands need from a task spec: its versions folder and where its prompt lives. */
import { promptVersionExt } from '../../template/chat-prompt.js';
import { loadSpec } from '../../session/load-spec.js';
import type { Spec } from '../../spec/types.js';
import type { PromptLocation } from '../../store/promote.js';
import type { CommandEnv } from '../program/command-env.js';

export interface TaskVersions {
  spec: Spec;
  dir: string;
  location: PromptLocation;
  /** Extension for new versions: the prompt file's, `.txt` for an inline prompt, `.yaml` for an inline chat prompt (as optimize does). */
  ext: string;
  /** `provider:model` of the spec's target. */
  targetModel: string;
}

export async function openTaskVersions(file: string, ctx: Pick<CommandEnv, 'env' | 'trustSpec'>): Promise<TaskVersions> {
  const spec = await loadSpec(file, { env: ctx.env, trustSpec: ctx.trustSpec, checkAssertions: false });
  const promptFile = spec.prompt.file;
  return {
    spec,
    dir: spec.versionsDir,
    location: promptFile ? { file: promptFile, inline: false } : { file: spec.file, inline: true },
    ext: promptVersionExt(spec.prompt),
    targetModel: `${spec.target.provider}:${spec.target.model}`,
  };
}
