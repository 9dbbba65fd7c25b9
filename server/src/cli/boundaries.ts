import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineIndex } from '../core/positions';
import { trustBoundaryView, type TrustBoundaryView } from '../views/trustBoundaries';
import type { DiagramSources } from '../views/diagram/fromBoundaries';
import { analyzeInputsForView, CliError, errorCode, loadProject, readInputs, type CliIo, type Project } from './project';
import { escapeForTerminal } from './terminal';

/** What `sbd diagram` and `sbd export` draw from: the trust-boundary view of the named files, with their findings and lines. */
export interface PathsBoundaries {
  readonly project: Project;
  readonly view: TrustBoundaryView;
  /** The diagram's sources: findings as `sbd scan` reports them (a rendered chart's or built overlay's in its generated text), lines, and places of generated text moved to their sources. */
  readonly sources: DiagramSources;
}

/**
 * Reads and analyses `paths` as `sbd scan` does and builds the trust-boundary view of the files
 * it reports on and of the Helm charts and Kustomize overlays they belong to, rendered and built as
 * `sbd scan` does (files read only for context are facts, not drawn). Unreadable paths are printed
 * (`sbd: …`) and answered with status 2.
 */
export function boundariesOfPaths(paths: readonly string[], flags: { readonly config?: string; readonly profile?: string }, io: CliIo): PathsBoundaries | 2 {
  const project = loadProject(io, flags.config, flags.profile);
  const { inputs, errors } = readInputs(paths, project, io);
  for (const error of errors) io.err(`sbd: ${escapeForTerminal(error)}\n`);
  if (errors.length > 0) return 2;
  const analysed = analyzeInputsForView(inputs, project, io);
  const view = trustBoundaryView(analysed.documents, project.options);
  const lines = new Map<string, LineIndex | undefined>(inputs.map((input) => [input.file, new LineIndex(input.text)]));
  const linesOf = (file: string) => {
    if (!lines.has(file)) {
      const text = analysed.sourceText(file);
      lines.set(file, text === undefined ? undefined : new LineIndex(text));
    }
    return lines.get(file);
  };
  return { project, view, sources: { findings: (file) => analysed.findings(file), lines: linesOf, mapPlace: (place) => analysed.mapPlace(place) } };
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
