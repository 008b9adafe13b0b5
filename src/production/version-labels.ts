/**
 * A logged `prompt_version` -> the task's version it names: `v3` or `3` is version 3 when the
 * versions folder has it; a hex digest of at least 7 characters is the version whose prompt has that
 * SHA-256 (a prefix is enough). Anything else is kept as written, and matches no version.
 */
import type { VersionMeta } from '../store/version-meta.js';

export interface VersionLabel {
  /** `v3` for a known version, else the logged value. */
  label: string;
  version: number | null;
}

export const NO_VERSION = '(none)';

export function versionLabeler(versions: readonly Pick<VersionMeta, 'version' | 'promptSha256'>[]): (logged: string | undefined) => VersionLabel {
  const numbers = new Set(versions.map((v) => v.version));
  return (logged) => {
    if (logged === undefined) return { label: NO_VERSION, version: null };
    const trimmed = logged.trim();
    const numbered = /^v?(\d+)$/i.exec(trimmed);
    if (numbered && numbers.has(Number(numbered[1]))) return { label: `v${Number(numbered[1])}`, version: Number(numbered[1]) };
    if (/^[0-9a-f]{7,64}$/i.test(trimmed)) {
      const digest = trimmed.toLowerCase();
      const match = versions.filter((v) => v.promptSha256.startsWith(digest));
      if (match.length === 1) return { label: `v${match[0]!.version}`, version: match[0]!.version };
    }
    return { label: trimmed, version: null };
  };
}
