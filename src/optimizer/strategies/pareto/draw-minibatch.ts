/**
 * Minibatches of train case ids, drawn with the strategy's seeded random (one draw sequence per
 * iteration, so a resumed iteration draws the same cases). Returned in the split's order.
 */

/**
 * `size` train cases for a reflection: one of the parent's shortfalls (a case it does not fully
 * pass) when it has any, so the reflection has a failure to work on, the rest uniformly from train.
 */
export function drawMinibatch(trainIds: readonly string[], shortfalls: ReadonlySet<string>, size: number, random: () => number): string[] {
  if (size >= trainIds.length) return [...trainIds];
  const picked = new Set<string>();
  const failing = trainIds.filter((id) => shortfalls.has(id));
  if (failing.length > 0) picked.add(failing[Math.floor(random() * failing.length)]!);
  for (const id of shuffled(trainIds.filter((id) => !picked.has(id)), random)) {
    if (picked.size >= size) break;
    picked.add(id);
  }
  return trainIds.filter((id) => picked.has(id));
}

/**
 * A merge's minibatch: cases only parent B is best on (parent A's failures the merge must fix) and
 * cases only parent A is best on (to keep), about half each, at least one of each.
 */
export function drawMergeMinibatch(
  trainIds: readonly string[],
  onlyA: readonly string[],
  onlyB: readonly string[],
  size: number,
  random: () => number,
): string[] {
  const fromA = Math.max(1, Math.floor(size / 2));
  const fromB = Math.max(1, size - fromA);
  const picked = new Set([...shuffled(onlyB, random).slice(0, fromB), ...shuffled(onlyA, random).slice(0, fromA)]);
  return trainIds.filter((id) => picked.has(id));
}

/** Fisher–Yates on a copy. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
