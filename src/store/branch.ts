/**
 * A hand-written variant registered as a version: parent `from`, on branch `name`, source `manual`,
 * with the text given (a file the user wrote) or a copy of the parent to edit later.
 */
import { PromptoptError, EXIT } from '../errors.js';
import { readVersion } from './read-version.js';
import { writeVersion, type WrittenVersion } from './write-version.js';

export interface BranchInput {
  from: number;
  name: string;
  /** The variant's text; a copy of `from` when absent. */
  text?: string;
  task: string;
  /** `provider:model`. */
  targetModel: string;
  ext: string;
  hypothesis?: string;
}

const BRANCH_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9._-]+)*$/;
const MAX_NAME = 100;

/** Throws BRANCH_NAME_INVALID unless `name` looks like a git branch name (letters, digits, `._-/`). */
export function checkBranchName(name: string): string {
  if (name.length <= MAX_NAME && BRANCH_NAME.test(name) && !name.includes('..')) return name;
  throw new PromptoptError('BRANCH_NAME_INVALID', `invalid branch name "${name}"`, {
    exitCode: EXIT.badInput,
    hint: `use letters, digits, ".", "_", "-" and "/" (at most ${MAX_NAME} characters), e.g. terse or exp/few-shot`,
  });
}

export async function branchVersion(dir: string, input: BranchInput): Promise<WrittenVersion> {
  const name = checkBranchName(input.name);
  const parent = await readVersion(dir, input.from);
  const text = input.text ?? parent.text;
  if (text.trim() === '') {
    throw new PromptoptError('PROMPT_EMPTY', 'the variant is empty; nothing was written', { exitCode: EXIT.badInput });
  }
  return writeVersion(dir, {
    text,
    parent: input.from,
    branch: name,
    runId: null,
    task: input.task,
    targetModel: input.targetModel,
    scores: {},
    costUsd: 0,
    hypothesis: input.hypothesis ?? (input.text === undefined ? `copy of v${input.from} to edit by hand` : `manual variant of v${input.from}`),
    ext: input.ext,
    source: 'manual',
  });
}
