import * as path from 'node:path';
import { ErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import { DIAGRAM_FORMATS, type DiagramFormat, type DiagramParams, type DiagramResult } from '../protocol';
import { buildDiagramGraph } from '../views/diagram/fromBoundaries';
import { countDiagram } from '../views/diagram/graph';
import { cachingEngine, layoutDiagram, type LayoutEngine } from '../views/diagram/layout';
import { renderSvg } from '../views/diagram/svg';
import { renderDot, renderMermaid } from '../views/diagram/text';
import type { ServerContext } from './context';
import { isValidUri } from './convert';
import { diagramSources, workspaceBoundaries } from './trustBoundaries';
import { WorkerLayoutEngine } from './workerLayoutEngine';

/** The layout worker is bundled beside the server (dist/layoutWorker.js). */
const LAYOUT_WORKER = path.join(__dirname, 'layoutWorker.js');

/**
 * `sbd/diagram`: builds the diagram from the same cached models and findings as the tree view,
 * lays it out in a worker thread (cached by structure, so edits that only change findings cost
 * no layout) and renders it. Invalid parameters are an InvalidParams error; a bug is logged and
 * answered with an empty drawing, never a crash.
 */
export function diagramHandler(context: ServerContext, engine: LayoutEngine & { dispose?(): void } = new WorkerLayoutEngine(LAYOUT_WORKER)) {
  const layouts = cachingEngine(engine, 32);
  const handler = async (params: DiagramParams | undefined, token?: CancellationToken): Promise<DiagramResult | ResponseError<void>> => {
    const format: DiagramFormat = params?.format ?? 'svg';
    if (!DIAGRAM_FORMATS.includes(format)) return new ResponseError(ErrorCodes.InvalidParams, `unknown diagram format "${String(params?.format)}" (expected ${DIAGRAM_FORMATS.join(', ')})`);
    const onlyUri = params?.uri;
    if (onlyUri !== undefined && !isValidUri(onlyUri)) return new ResponseError(ErrorCodes.InvalidParams, `"uri" must be a document URI (got ${JSON.stringify(onlyUri)?.slice(0, 80)})`);
    try {
      if (onlyUri) context.analysis(onlyUri);
      const graph = buildDiagramGraph(workspaceBoundaries(context), diagramSources(context), { file: onlyUri });
      const counts = countDiagram(graph);
      if (format === 'mermaid') return { format, text: renderMermaid(graph), counts, notes: [] };
      if (format === 'dot') return { format, text: renderDot(graph), counts, notes: [] };
      if (token?.isCancellationRequested) return { format, text: '', counts, notes: ['cancelled'] };
      const layout = await layoutDiagram(graph, layouts);
      const notes = layout.systems.filter((system) => system.omitted).map((system) => `${system.system.label}: ${system.omitted}`);
      for (const note of notes) context.log(`diagram: ${note}`);
      return { format, text: renderSvg(layout), counts, notes };
    } catch (error) {
      context.log(`sbd/diagram failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return { format, text: '', counts: { systems: 0, zones: 0, components: 0, arrows: 0, findings: 0 }, notes: [`the diagram could not be drawn: ${error instanceof Error ? error.message : String(error)}`] };
    }
  };
  return Object.assign(handler, { dispose: () => engine.dispose?.() });
}
