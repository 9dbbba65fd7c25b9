import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineIndex } from '../core/positions';
import type { Finding } from '../core/types';
import { trustBoundaryView, type TrustBoundaryView } from '../views/trustBoundaries';
import { analyzeInputs, CliError, errorCode, loadProject, readInputs, type CliIo, type Project } from './project';
import { escapeForTerminal } from './terminal';

/** What `sbd diagram` and `sbd export` draw from: the trust-boundary view of the named files, with their findings and lines. */
export interface PathsBoundaries {
  readonly project: Project;
  readonly view: TrustBoundaryView;
  /** Findings of each analysed file, as `sbd scan` reports them. */
  readonly findings: ReadonlyMap<string, readonly Finding[]>;
  readonly lines: ReadonlyMap<string, LineIndex>;
}

/**
 * Reads and analyses `paths` as `sbd scan` does and builds the trust-boundary view of the files
 * it reports on (files read only for context are facts, not drawn). Unreadable paths are printed
 * (`sbd: …`) and answered with status 2.
 */
export function boundariesOfPaths(paths: readonly string[], flags: { readonly config?: string; readonly profile?: string }, io: CliIo): PathsBoundaries | 2 {
  const project = loadProject(io, flags.config, flags.profile);
  const { inputs, errors } = readInputs(paths, project, io);
  for (const error of errors) io.err(`sbd: ${escapeForTerminal(error)}\n`);
  if (errors.length > 0) return 2;
  const results = analyzeInputs(inputs, project, io);
  const view = trustBoundaryView(
    results.flatMap((result) => result.analysis.documents),
    project.options,
  );
  return {
    project,
    view,
    findings: new Map(results.map((result) => [result.analysis.file, result.findings])),
    lines: new Map(inputs.map((input) => [input.file, new LineIndex(input.text)])),
  };
}

/** Writes `text` to `output` (relative to the working folder), or to stdout without one; `what` names it in the error. */
export function writeOutput(text: string, output: string | undefined, what: string, io: CliIo): 0 {
  if (output === undefined) {
    io.out(text);
    return 0;
  }
  try {
    fs.writeFileSync(path.resolve(io.cwd, output), text);
  } catch (error) {
    throw new CliError([`${output}: cannot write ${what} (${errorCode(error)})`]);
  }
  return 0;
}
