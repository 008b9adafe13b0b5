/**
 * How a run persists itself: accepted prompts become versions (reused when the same text already is
 * one, found and written under the folder's lock, so neither a resumed run nor runs at the same time
 * duplicate a version), checkpoints after every iteration, and the
 * held-out test score added to the final version's metadata.
 */
import { promptVersionExt } from '../template/chat-prompt.js';
import { findOrWriteVersion, updateVersionScores } from '../store/index.js';
import { writeCheckpoint } from '../report/index.js';
import type { LoopHooks } from '../optimizer/loop-context.js';
import type { OptimizerEvent } from '../optimizer/types.js';
import type { ModelCaller } from '../runner/model-caller.js';
import type { Spec } from '../spec/types.js';

export function runHooks(input: {
  spec: Spec;
  runId: string;
  runDir: string;
  targetModel: string;
  caller: ModelCaller;
  emit: (event: OptimizerEvent) => void;
}): LoopHooks {
  const { spec, runId, runDir, caller, emit } = input;
  const dir = spec.versionsDir;
  const ext = promptVersionExt(spec.prompt);
  let spentAtLastVersion = 0;
  return {
    emit,
    checkpoint: (state) => writeCheckpoint(runDir, state),
    async writeVersion({ prompt, parent, hypothesis, train, validation }) {
      const spent = caller.ledger.totalCostUsd;
      const written = await findOrWriteVersion(dir, {
        text: prompt,
        ...(parent > 0 ? { parent } : {}),
        runId,
        task: spec.name,
        targetModel: input.targetModel,
        scores: { ...(train.total > 0 ? { train: train.score } : {}), ...(validation ? { validation: validation.score } : {}) },
        objective: spec.objective,
        costUsd: spent - spentAtLastVersion,
        hypothesis,
        ext,
        source: parent > 0 ? 'optimize' : 'start',
      });
      if (!written.reused) spentAtLastVersion = spent;
      emit({ type: 'version_written', version: written.version, file: written.file, reused: written.reused });
      return written.version;
    },
    async recordTestScore(version, test) {
      await updateVersionScores(dir, version, { test: test.score }, spec.objective);
    },
  };
}
