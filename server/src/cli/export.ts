import { threagileSkeleton } from '../views/threagileExport';
import { boundariesOfPaths, writeOutput } from './boundaries';
import type { CliIo } from './project';
import { escapeForTerminal } from './terminal';

export interface ExportFlags {
  readonly output?: string;
  readonly config?: string;
}

/**
 * `sbd export threagile [paths] --output FILE`: a Threagile model skeleton of the compose files
 * and Kubernetes manifests under `paths` (see `threagileSkeleton`), written to FILE or stdout,
 * with a one-line summary on stderr. Status 0 when written, 2 for unreadable paths, bad
 * configuration, an unwritable output, or nothing to export.
 */
export function exportThreagile(paths: readonly string[], flags: ExportFlags, io: CliIo): number {
  const read = boundariesOfPaths(paths, flags, io);
  if (read === 2) return 2;
  const skeleton = threagileSkeleton(read.view, { date: read.project.options.today, display: (file) => file });
  for (const model of skeleton.skipped) io.err(`sbd: ${escapeForTerminal(model)}: a model already, not exported\n`);
  const { technicalAssets, trustBoundaries, communicationLinks, dataAssets } = skeleton.counts;
  if (technicalAssets === 0) {
    io.err('sbd: no compose service or Kubernetes workload to export\n');
    return 2;
  }
  writeOutput(skeleton.text, flags.output, 'the model', io);
  const where = flags.output === undefined ? '' : ` to ${escapeForTerminal(flags.output)}`;
  io.err(`sbd: exported ${technicalAssets} technical assets, ${trustBoundaries} trust boundaries, ${communicationLinks} communication links and ${dataAssets} data assets${where}; review the values marked "set:" before relying on the model.\n`);
  return 0;
}
