import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionList, type CompletionParams } from 'vscode-languageserver';
import type { IdKind } from '../model/modelIds';
import type { ServerContext } from './context';
import { isValidPosition, isValidUri } from './convert';
import { MODEL_SCHEMAS, cursorPlace, describes, enumValues, isListSchema, isMapSchema, propertiesOf, schemaAt, type ModelFormat, type PathStep } from './modelSchema';
import { modelScopeAt, occurrencesIn, type ModelScope } from './modelScope';

/**
 * Completion in architecture models of both formats, from their schemas and from the model itself:
 * the keys a map may still have, the values an enumeration allows, and the ids (zones,
 * components, data assets) where a field refers to one, across the model's files.
 */
export function completion(context: ServerContext, params: CompletionParams): CompletionList | null {
  const uri = params?.textDocument?.uri;
  if (!isValidUri(uri) || !isValidPosition(params.position)) return null;
  const analysis = context.analysis(uri);
  if (!analysis) return null;
  const offset = analysis.lines.offsetAt(params.position);
  const segment = analysis.segments.find((item) => item.segment.start <= offset && offset <= item.segment.start + item.segment.text.length);
  if (!segment) return null;
  const kind = segment.documents.find((document) => document.kind === 'architecture' || document.kind === 'threagile')?.kind;
  const format: ModelFormat | undefined = kind === 'architecture' || kind === 'threagile' ? kind : looksLikeModel(segment.segment.text);
  if (!format) return null;
  const local = offset - segment.segment.start;
  const place = cursorPlace(segment.segment.text, local);
  if (!place) return null;
  const range = { start: analysis.lines.positionAt(place.start + segment.segment.start), end: params.position };
  const items: CompletionItem[] = [];
  const schema = schemaAt(MODEL_SCHEMAS[format], place.path);
  if (place.role === 'key') {
    for (const { key, schema: child } of schema ? propertiesOf(schema) : []) {
      if (place.siblings.includes(key)) continue;
      const block = isMapSchema(child) && !isListSchema(child);
      items.push({
        label: key,
        kind: CompletionItemKind.Property,
        detail: enumValues(child).length > 0 ? enumValues(child).slice(0, 6).join(' | ') : undefined,
        documentation: describes(child) ? { kind: MarkupKind.Markdown, value: describes(child)! } : undefined,
        textEdit: { range, newText: block ? `${key}:\n${' '.repeat(range.start.character + 2)}` : `${key}: ` },
        insertTextFormat: InsertTextFormat.PlainText,
      });
    }
    return { isIncomplete: false, items };
  }
  for (const value of schema ? enumValues(schema) : []) {
    items.push({ label: value, kind: CompletionItemKind.EnumMember, textEdit: { range, newText: value }, documentation: describes(schema) });
  }
  const idKind = expectedIdKind(format, place.path);
  if (idKind) {
    const found = modelScopeAt(context, uri, offset);
    for (const [id, detail] of idsOf(found?.scope, idKind)) items.push({ label: id, kind: CompletionItemKind.Reference, detail, textEdit: { range, newText: id } });
  }
  return { isIncomplete: false, items };
}

/** A document being written from scratch has no kind yet; its first keys say which format it is. */
function looksLikeModel(text: string): ModelFormat | undefined {
  if (/^kind:\s*Architecture\b/m.test(text) || /^apiVersion:\s*securebydesign\//m.test(text)) return 'architecture';
  if (/^(threagile_version|technical_assets|data_assets|trust_boundaries):/m.test(text)) return 'threagile';
  return undefined;
}

const THREAGILE_IDS: Record<string, IdKind> = {
  target: 'component',
  technical_assets_inside: 'component',
  technical_assets_running: 'component',
  data_breach_technical_assets: 'component',
  most_relevant_technical_asset: 'component',
  trust_boundaries_nested: 'zone',
  most_relevant_trust_boundary: 'zone',
  data_assets_sent: 'data asset',
  data_assets_received: 'data asset',
  data_assets_processed: 'data asset',
  data_assets_stored: 'data asset',
  most_relevant_data_asset: 'data asset',
  most_relevant_shared_runtime: 'shared runtime',
};
const OUR_IDS: Record<string, IdKind> = { zone: 'zone', parent: 'zone', from: 'component', to: 'component', source: 'component', sink: 'component' };

/** What kind of id a field refers to, from the last key of its path. */
export function expectedIdKind(format: ModelFormat, path: readonly PathStep[]): IdKind | undefined {
  const keys = path.filter((step): step is { key: string } => 'key' in step);
  const last = keys[keys.length - 1]?.key;
  if (!last) return undefined;
  if (format === 'threagile') return THREAGILE_IDS[last];
  // In our format `zone`, `from` and `to` are fields of components, flows and pipelines only.
  const section = keys[0]?.key;
  return section === 'components' || section === 'flows' || section === 'pipelines' || section === 'zones' ? OUR_IDS[last] : undefined;
}

/** The ids of a kind the model defines, each with a one-line detail. */
function idsOf(scope: ModelScope | undefined, kind: IdKind): Map<string, string | undefined> {
  const ids = new Map<string, string | undefined>();
  if (!scope) return ids;
  for (const occurrence of occurrencesIn(scope)) {
    if (occurrence.kind !== kind || occurrence.role !== 'definition' || ids.has(occurrence.id)) continue;
    ids.set(occurrence.id, kind);
  }
  return ids;
}
