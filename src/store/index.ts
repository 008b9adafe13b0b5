/** The store stage: versioned prompt files, their diffs and history, meant to be committed. */
export { listVersions } from './list-versions.js';
export { readVersion } from './read-version.js';
export { findVersionByText } from './find-version-by-text.js';
export { writeVersion, type WriteVersionInput, type WrittenVersion } from './write-version.js';
export { findOrWriteVersion, type FoundOrWritten } from './find-or-write-version.js';
export { updateVersionScores } from './update-version-scores.js';
export { appendHistory, readHistory, HISTORY_FILE, type HistoryAppend, type HistoryEvent } from './history.js';
export { VersionNotFoundError } from './version-error.js';
export { normalizeExt, type VersionMeta, type VersionScores, type VersionSource } from './version-meta.js';
