/** What `promptopt prune` prints: a text summary, or one JSON document. Pure. */
import { relative } from 'node:path';
import chalk from 'chalk';
import type { PruneResult, PrunedFolder } from '../../retention/prune.js';
import { JSON_SCHEMA_VERSION } from '../output/json-schema-version.js';

export function pruneText(result: PruneResult, age: string): string {
  const verb = result.dryRun ? 'would delete' : 'deleted';
  const lines = [
    `${result.dryRun ? chalk.bold('dry run: nothing deleted. ') : ''}prune: what is older than ${age} (last active before ${utc(result.cutoff)})`,
    `runs folder ${display(result.runsDir)}`,
  ];
  for (const folder of result.pruned) lines.push(`  ${verb} ${describeFolder(folder)}`);
  for (const name of result.versionReportsKept) lines.push(chalk.dim(`  kept the reports of run ${name} (it made a version; --version-reports deletes them)`));
  lines.push(`  ${result.recent} recent folder(s) kept${result.pruned.length === 0 && result.versionReportsKept.length === 0 ? '; nothing older' : ''}`);

  const { cache } = result;
  lines.push(`response cache ${display(cache.dir)}`);
  if (!cache.present) lines.push('  no cache');
  else {
    lines.push(`  ${verb} ${cache.deleted} of ${cache.entries} entries (${size(cache.deletedBytes)} of responses)`);
    if (cache.undated > 0) lines.push(`  ${cache.undated} entries record no write time (written before promptopt recorded it) and are kept; \`promptopt cache clear\` deletes everything`);
    const before = cache.before!;
    if (cache.compaction?.compacted) {
      lines.push(`  compacted: the cache file went from ${size(cache.compaction.bytesBefore)} to ${size(cache.compaction.bytesAfter)}`);
    } else if (cache.after) {
      const file = cache.after.fileBytes === before.fileBytes ? `stays ${size(before.fileBytes)}` : `is ${size(cache.after.fileBytes)} (was ${size(before.fileBytes)})`;
      lines.push(
        `  the cache file ${file}: LMDB does not shrink its file on delete; it reuses the freed pages for new entries ` +
          `(${size(cache.after.freeBytes)} free inside it now, ${size(before.freeBytes)} before)`,
      );
      if (cache.compaction) lines.push(chalk.yellow(`  not compacted: ${cache.compaction.reason}`));
      else if (cache.deleted > 0) lines.push(chalk.dim(`  \`promptopt prune --compact\` rewrites it to its live entries (about ${size(cache.after.usedBytes)})`));
    } else if (result.dryRun && cache.deleted > 0) {
      lines.push(chalk.dim(`  the cache file (${size(before.fileBytes)}) would keep its size: LMDB reuses the freed pages; --compact shrinks it`));
    }
  }
  for (const copy of result.damagedCopies) lines.push(`  ${verb} damaged copy ${display(copy.path)} (${size(copy.bytes)})`);

  const inFile = cache.compaction?.compacted ? '' : cache.deletedBytes > 0 ? ` (plus ${size(cache.deletedBytes)} of cache entries freed inside the cache file)` : '';
  lines.push(`${result.dryRun ? 'would free' : 'freed'} on disk: ${size(result.bytesFreed)}${inFile}`);
  lines.push(chalk.dim('kept: prompt versions and cases files (imported cases included); the reports of runs that made a version unless --version-reports'));
  return lines.join('\n');
}

export function pruneJson(result: PruneResult, age: string): Record<string, unknown> {
  const { cache } = result;
  const space = (s: typeof cache.before) => (s ? { file_bytes: s.fileBytes, used_bytes: s.usedBytes, free_bytes: s.freeBytes } : null);
  return {
    schema_version: JSON_SCHEMA_VERSION,
    dry_run: result.dryRun,
    older_than: age,
    cutoff: new Date(result.cutoff).toISOString(),
    runs_dir: result.runsDir,
    deleted: result.pruned.map((f) => ({
      name: f.name,
      kind: f.kind,
      scope: f.scope,
      ...(f.files ? { files: f.files } : {}),
      bytes: f.bytes,
      last_activity: new Date(f.lastActivity).toISOString(),
      made_version: f.madeVersion ?? null,
    })),
    recent: result.recent,
    version_reports_kept: result.versionReportsKept,
    cache: {
      dir: cache.dir,
      present: cache.present,
      entries: cache.entries,
      deleted: cache.deleted,
      deleted_bytes: cache.deletedBytes,
      undated: cache.undated,
      before: space(cache.before),
      after: space(cache.after),
      compaction: cache.compaction
        ? cache.compaction.compacted
          ? { compacted: true, bytes_before: cache.compaction.bytesBefore, bytes_after: cache.compaction.bytesAfter }
          : { compacted: false, reason: cache.compaction.reason }
        : null,
    },
    damaged_copies: result.damagedCopies,
    bytes_freed: result.bytesFreed,
  };
}

function describeFolder(folder: PrunedFolder): string {
  const when = `last active ${utc(folder.lastActivity)}, ${size(folder.bytes)}`;
  if (folder.kind === 'compare') return `compare folder ${folder.name} (${when})`;
  if (folder.scope === 'data') {
    const why = folder.madeVersion === 'unknown' ? 'its task\'s versions could not be read: its reports are kept' : 'it made a version: its reports and checkpoint are kept';
    return `${folder.files!.join(', ')} of run ${folder.name} (${when}; ${why})`;
  }
  return `run ${folder.name} (${when})`;
}

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}
