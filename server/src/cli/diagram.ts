import { buildDiagramGraph } from '../views/diagram/fromBoundaries';
import type { DiagramTextFormat } from '../views/diagram/graph';
import { inProcessLayoutEngine } from '../views/diagram/elkEngine';
import { layoutDiagram } from '../views/diagram/layout';
import { renderSvg } from '../views/diagram/svg';
import { renderDot, renderMermaid } from '../views/diagram/text';
import type { CliIo } from './project';
import { boundariesOfPaths, writeOutput } from './boundaries';
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
  const read = boundariesOfPaths(paths, flags, io);
  if (read === 2) return 2;
  const graph = buildDiagramGraph(read.view, read.sources);
  const write = (text: string) => writeOutput(text, flags.output, 'the diagram', io);
  if (flags.format === 'mermaid') return write(renderMermaid(graph));
  if (flags.format === 'dot') return write(renderDot(graph));
  return layoutDiagram(graph, inProcessLayoutEngine()).then((layout) => {
    for (const system of layout.systems) if (system.omitted) io.err(`sbd: ${escapeForTerminal(`${system.system.label}: ${system.omitted}`)}\n`);
    return write(renderSvg(layout));
  });
}
