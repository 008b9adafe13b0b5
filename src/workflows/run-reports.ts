/**
 * Writing a run's reports (markdown, json, html) from its state: the one path shared by
 * `promptopt optimize` at the end of a run and `promptopt report <run>` re-rendering from disk, so
 * both produce the same content.
 */
import { join } from 'node:path';
import type { RunState } from '../optimizer/types.js';
import type { ModelConfig } from '../providers/types.js';
import { buildReportData, writeReports, type ReportPaths } from '../report/index.js';
import type { CaseRecord, ModelRef, ReportData } from '../report/types.js';
import type { Spec } from '../spec/types.js';
import { readVersion } from '../store/index.js';

export interface RunReportInput {
  state: RunState;
  spec: Spec;
  target: ModelRef;
  optimizerModel: ModelRef;
  runDir: string;
  cases?: CaseRecord[];
  /** Known secret values to redact (see command-secrets.ts); key shapes are redacted anyway. */
  secrets?: readonly string[];
}

export async function writeRunReports(input: RunReportInput): Promise<{ data: ReportData; paths: ReportPaths }> {
  const { state, spec, runDir } = input;
  const callsMade = state.spend.reduce((n, line) => n + line.calls, 0);
  const cacheHits = state.spend.reduce((n, line) => n + line.cacheHits, 0);
  const versionFile = join(spec.versionsDir, (await readVersion(spec.versionsDir, state.current.version)).meta.promptFile);
  const data = buildReportData({
    state,
    task: { name: spec.name, description: spec.description, specFile: spec.file },
    target: input.target,
    optimizerModel: input.optimizerModel,
    startPrompt: state.start.prompt,
    finalPrompt: state.current.prompt,
    finalVersion: { version: state.current.version, file: versionFile },
    startVersion: state.start.version,
    versionsDir: spec.versionsDir,
    runDir,
    callsMade,
    cacheHits,
    ...(input.cases ? { cases: input.cases } : {}),
  });
  const paths = await writeReports(runDir, data, input.secrets);
  return { data, paths };
}

/** A model as the report names it: what the spec configures (the simulator is provider `sim`). */
export function modelRefOf(config: Pick<ModelConfig, 'provider' | 'model'>): ModelRef {
  return { provider: config.provider, model: config.model, simulated: config.provider === 'sim' };
}
