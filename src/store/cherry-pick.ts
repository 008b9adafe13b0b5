/**
 * Cherry-pick, pure: the change from `base` to `changed` (a version against its parent) applied to
 * `onto`. Each hunk is tried on its own first, so the ones that do not apply can be reported with
 * their text; the result exists only when every hunk applies.
 */
import { applyPatch, structuredPatch, type StructuredPatch, type StructuredPatchHunk } from 'diff';

/** Context lines around each change (git's default): enough to place a hunk, few enough to tolerate nearby edits. */
const CONTEXT = 3;

export interface CherryPickInput {
  base: string;
  changed: string;
  onto: string;
}

export interface FailedHunk {
  /** `@@ -3,4 +3,5 @@` */
  header: string;
  /** The hunk's lines with their ` `, `-`, `+` prefixes. */
  lines: string[];
}

export type CherryPickResult =
  | { ok: true; text: string; hunks: number }
  | { ok: false; failed: FailedHunk[]; hunks: number };

export function cherryPick(input: CherryPickInput): CherryPickResult {
  const patch = structuredPatch('base', 'changed', input.base, input.changed, undefined, undefined, { context: CONTEXT });
  const hunks = patch.hunks.length;
  const failed = patch.hunks.filter((hunk) => applyPatch(input.onto, only(patch, [hunk])) === false).map(describeHunk);
  if (failed.length > 0) return { ok: false, failed, hunks };
  const text = applyPatch(input.onto, patch);
  // Every hunk applies alone but not all together (they overlap once placed): report them all.
  if (text === false) return { ok: false, failed: patch.hunks.map(describeHunk), hunks };
  return { ok: true, text, hunks };
}

function only(patch: StructuredPatch, hunks: StructuredPatchHunk[]): StructuredPatch {
  return { ...patch, hunks };
}

function describeHunk(hunk: StructuredPatchHunk): FailedHunk {
  return { header: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, lines: [...hunk.lines] };
}
