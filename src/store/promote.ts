/**
 * Makes a version the current prompt: writes its text into the prompt file the task uses (or the
 * inline `prompt:` of the spec), atomically, and records a `promote` or `rollback` event with
 * `from` and `to`. Refuses (exit 2, nothing written) when the prompt on disk matches no version,
 * so hand edits are never lost, unless forced. Versions themselves are never touched.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { PromptoptError, EXIT } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { readCurrentChain, rollbackTarget, versionOnDisk, type PointerEventName } from './current-version.js';
import { appendHistory } from './history.js';
import { readInlinePrompt, rewriteInlinePrompt } from './inline-prompt.js';
import { readVersion } from './read-version.js';

/** Where the task's prompt lives: a prompt file, or the `prompt:` node of the spec file. */
export interface PromptLocation {
  /** Absolute path of the prompt file, or of the spec for an inline prompt. */
  file: string;
  inline: boolean;
}

export interface PromoteInput {
  dir: string;
  location: PromptLocation;
  event: PointerEventName;
  /** The version to make current; for a rollback, defaults to the previous current version. */
  version?: number;
  /** Overwrite a prompt that matches no version. */
  force?: boolean;
}

export interface PromoteResult {
  /** The version the prompt held before; null when it matched none (forced). */
  from: number | null;
  to: number;
  before: string;
  after: string;
  /** False when the prompt already was this version and the pointer said so: nothing written or recorded. */
  changed: boolean;
  /** Where the hand edits a forced promote replaced were kept (absolute path). */
  kept?: string;
}

export async function promoteVersion(input: PromoteInput): Promise<PromoteResult> {
  const { dir, location } = input;
  const before = await readPrompt(location);
  const chain = await readCurrentChain(dir);
  const from = await versionOnDisk(dir, before, chain.at(-1));
  const to = input.version ?? rollbackTarget(chain, from);
  if (to === undefined) {
    throw new PromptoptError('NOTHING_TO_ROLL_BACK', 'there is no previous current version to roll back to', {
      exitCode: EXIT.badInput,
      hint: 'name the version to return to: promptopt rollback <task.yaml> <v> (promptopt history lists them)',
    });
  }
  const after = (await readVersion(dir, to)).text;
  if (from === null && !input.force) {
    throw new PromptoptError('PROMPT_HAND_EDITED', `${shown(location)} has edits that match no version; nothing was written`, {
      exitCode: EXIT.badInput,
      location: { file: location.file, ...(location.inline ? { path: 'prompt' } : {}) },
      hint: 'keep them as a version first (promptopt branch <task.yaml> <v> <name> --from-file <file>), or pass --force to overwrite them',
    });
  }
  if (from === to && chain.at(-1) === to) return { from, to, before, after, changed: false };
  // --force replaces edits that match no version: they are kept first, so forcing never loses them.
  const kept = from === null && before !== after ? await keepHandEdits(dir, location, before) : undefined;
  if (before !== after) await writePrompt(location, after);
  await appendHistory(dir, {
    event: input.event,
    version: to,
    extra: {
      from,
      to,
      prompt_file: relative(dir, location.file) || location.file,
      ...(location.inline ? { inline: true } : {}),
      ...(from === null ? { forced: true } : {}),
      ...(kept ? { kept: relative(dir, kept) } : {}),
    },
  });
  return { from, to, before, after, changed: true, ...(kept ? { kept } : {}) };
}

/** The edited prompt a forced promote replaces, saved as `<versions>/overwritten/<UTC time>-<prompt file name>`. */
async function keepHandEdits(dir: string, location: PromptLocation, text: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const name = location.inline ? 'inline-prompt.txt' : basename(location.file);
  const file = join(dir, 'overwritten', `${stamp}-${name}`);
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, text);
  return file;
}

/** The prompt text as it is on disk now. */
export async function readPrompt(location: PromptLocation): Promise<string> {
  const text = await readFile(location.file, 'utf8');
  return location.inline ? readInlinePrompt(text) : text;
}

async function writePrompt(location: PromptLocation, text: string): Promise<void> {
  if (!location.inline) return writeFileAtomic(location.file, text);
  // Re-read right before writing: the spec is rewritten from what is on disk now.
  const spec = await readFile(location.file, 'utf8');
  await writeFileAtomic(location.file, rewriteInlinePrompt(spec, text));
}

function shown(location: PromptLocation): string {
  const rel = relative(process.cwd(), location.file);
  const path = rel !== '' && !rel.startsWith('..') ? rel : location.file;
  return location.inline ? `the inline prompt of ${path}` : path;
}
