/** Reading promptfoo configs: mapped in memory for `eval`, or written as a native spec by `import promptfoo`. */
export { mapPromptfooConfig, type MapOptions } from './map-config.js';
export { mappedRuns, type MappedRun } from './mapped-runs.js';
export { referencedFiles, writeImport, type ImportPlan, type WrittenImport } from './write-import.js';
export type { MappedConfig } from './types.js';
