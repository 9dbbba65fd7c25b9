import type { Location, Position, Range } from 'vscode-languageserver';
import type { LineIndex } from '../core/positions';
import type { YamlTree } from '../core/tree';
import type { OffsetRange } from '../core/types';
import type { ArchitectureModel } from '../model/architecture';
import { idAt, idOccurrences, type IdKind, type IdOccurrence } from '../model/modelIds';
import { folderOf, modelsByFolder } from '../model/systems';
import { threagileModelsOf } from '../rules/shared/threagileModels';
import type { AnalyzedDocument } from '../model/documents';
import type { ServerContext } from './context';
import { toRange } from './convert';

/**
 * The architecture model a document belongs to, across files: a Threagile model with the parts its
 * includes name, or the files of one of our models in one folder. Go-to-definition, references,
 * rename, completion of ids, hovers and code lenses all work on it.
 */
export interface ModelScope {
  readonly format: 'architecture' | 'threagile';
  /** One merged Threagile model, or the parts of our model (one per document). */
  readonly models: readonly ArchitectureModel[];
  /** The model a document's tree is read into. */
  readonly modelOf: (tree: YamlTree) => ArchitectureModel | undefined;
  /** Where a tree of the scope is: its document (URI and segment offset) and line index. */
  readonly locate: (tree: YamlTree) => { readonly uri: string; readonly offset: number; readonly lines: LineIndex } | undefined;
}

/** Every analysed document of the workspace (open buffers win over the disk). */
export function workspaceDocuments(context: ServerContext): AnalyzedDocument[] {
  return context.workspace.fileIds().flatMap((file) => (context.isAnalysed(file) ? (context.analysis(file)?.documents ?? []) : []));
}

/** The scope of the model document at an offset of a file, or undefined outside a model. */
export function modelScopeAt(context: ServerContext, uri: string, offset: number): { scope: ModelScope; document: AnalyzedDocument } | undefined {
  const documents = workspaceDocuments(context);
  const document = documents.find((candidate) => candidate.file === uri && candidate.architecture && candidate.offset <= offset && offset <= candidate.offset + candidate.architecture.tree.text.length);
  const model = document?.architecture;
  if (!document || !model) return undefined;
  const locateIn = (byTree: Map<YamlTree, AnalyzedDocument>) => (tree: YamlTree) => {
    const owner = byTree.get(tree);
    const lines = owner ? context.linesOf(owner.file) : undefined;
    return owner && lines ? { uri: owner.file, offset: owner.offset, lines } : undefined;
  };
  if (model.dialect === 'threagile') {
    const system = threagileModelsOf(documents, context.workspace.fileIds()).find((candidate) => candidate.documentOf.get(model.tree) === document);
    if (!system) return undefined;
    return { document, scope: { format: 'threagile', models: [system.architecture], modelOf: (tree) => (system.documentOf.has(tree) ? system.architecture : undefined), locate: locateIn(new Map(system.documentOf)) } };
  }
  const parts = modelsByFolder(documents, 'securebydesign').get(folderOf(uri)) ?? [{ document, model }];
  const byTree = new Map(parts.map((part) => [part.model.tree, part.document]));
  const modelByTree = new Map(parts.map((part) => [part.model.tree, part.model]));
  return { document, scope: { format: 'architecture', models: parts.map((part) => part.model), modelOf: (tree) => modelByTree.get(tree), locate: locateIn(byTree) } };
}

/** Every occurrence of every id in the scope. */
export function occurrencesIn(scope: ModelScope): IdOccurrence[] {
  return scope.models.flatMap(idOccurrences);
}

/** The id occurrence under the cursor, if the cursor is on one. */
export function idUnderCursor(context: ServerContext, uri: string, position: Position): { scope: ModelScope; occurrence: IdOccurrence } | undefined {
  const lines = context.linesOf(uri);
  if (!lines) return undefined;
  const offset = lines.offsetAt(position);
  const found = modelScopeAt(context, uri, offset);
  if (!found) return undefined;
  const { scope, document } = found;
  const tree = document.architecture!.tree;
  const model = scope.modelOf(tree);
  const occurrence = model ? idAt(model, tree, offset - document.offset) : undefined;
  return occurrence ? { scope, occurrence } : undefined;
}

/** All occurrences of one id of one kind in the scope (definitions first). */
export function occurrencesOf(scope: ModelScope, kind: IdKind, id: string): IdOccurrence[] {
  const matching = occurrencesIn(scope).filter((occurrence) => occurrence.kind === kind && occurrence.id === id);
  return [...matching.filter((o) => o.role === 'definition'), ...matching.filter((o) => o.role === 'reference')];
}

export function locationOf(scope: ModelScope, tree: YamlTree, range: OffsetRange): Location | undefined {
  const where = scope.locate(tree);
  return where ? { uri: where.uri, range: rangeIn(where, range) } : undefined;
}

export function rangeIn(where: { offset: number; lines: LineIndex }, range: OffsetRange): Range {
  return toRange(where.lines, { start: range.start + where.offset, end: range.end + where.offset });
}
