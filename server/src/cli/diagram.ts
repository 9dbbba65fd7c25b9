import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineIndex } from '../core/positions';
import { buildDiagramGraph } from '../views/diagram/fromBoundaries';
import type { DiagramTextFormat } from '../views/diagram/graph';
import { inProcessLayoutEngine } from '../views/diagram/elkEngine';
import { layoutDiagram } from '../views/diagram/layout';
import { renderSvg } from '../views/diagram/svg';
import { renderDot, renderMermaid } from '../views/diagram/text';
import { trustBoundaryView } from '../views/trustBoundaries';
import { analyzeInputs, CliError, errorCode, loadProject, readInputs, type CliIo } from './project';
import { escapeForTerminal } from './terminal';

export interface DiagramFlags {
  readonly format: DiagramTextFormat;
  readonly output?: string;
  readonly config?: string;
  readonly profile?: string;
}

/**
 * `sbd diagram [paths] --format svg|mermaid|dot --output FILE`: the picture the editor's diagram
 * panel shows, from the same trust-boundary view and findings as `sbd scan`, with files named as
 * given on the command line. SVG is laid out here with ELK in this process; Mermaid and DOT are
 * laid out by whoever reads them. Status 0 when drawn (a drawing is not a verdict; `sbd scan`
 * is), 2 for unreadable paths, bad configuration or an unwritable output.
 */
export function diagram(paths: readonly string[], flags: DiagramFlags, io: CliIo): number | Promise<number> {
  const project = loadProject(io, flags.config, flags.profile);
  const { inputs, errors } = readInputs(paths, project, io);
  for (const error of errors) io.err(`sbd: ${escapeForTerminal(error)}\n`);
  if (errors.length > 0) return 2;
  const results = analyzeInputs(inputs, project, io);
  const findings = new Map(results.map((result) => [result.analysis.file, result.findings]));
  const lines = new Map(inputs.map((input) => [input.file, new LineIndex(input.text)]));
  const view = trustBoundaryView(
    results.flatMap((result) => result.analysis.documents),
    project.options,
  );
  const graph = buildDiagramGraph(view, { findings: (file) => findings.get(file) ?? [], lines: (file) => lines.get(file) });
  const write = (text: string): number => {
    if (flags.output === undefined) {
      io.out(text);
      return 0;
    }
    try {
      fs.writeFileSync(path.resolve(io.cwd, flags.output), text);
    } catch (error) {
      throw new CliError([`${flags.output}: cannot write the diagram (${errorCode(error)})`]);
    }
    return 0;
  };
  if (flags.format === 'mermaid') return write(renderMermaid(graph));
  if (flags.format === 'dot') return write(renderDot(graph));
  return layoutDiagram(graph, inProcessLayoutEngine()).then((layout) => {
    for (const system of layout.systems) if (system.omitted) io.err(`sbd: ${escapeForTerminal(`${system.system.label}: ${system.omitted}`)}\n`);
    return write(renderSvg(layout));
  });
}
