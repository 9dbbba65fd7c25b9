import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams } from 'vscode-languageserver';
import type { FileAnalysis } from '../analysis/analyze';
import type { OffsetRange } from '../core/types';
import { rangeOf } from '../core/tree';
import { shiftRange } from '../core/positions';
import type { ComposeModel, ComposeNamedRef, ComposeService } from '../model/compose';
import { declaredContainers, type KubernetesObject } from '../model/kubernetes';
import type { ArchitectureModel } from '../model/architecture';
import type { ServerContext } from './context';
import { isValidUri, toRange } from './convert';

/** An outline that reads well: compose services with their ports/networks/…, Kubernetes objects with containers. */
export function documentSymbols(context: ServerContext, params: DocumentSymbolParams): DocumentSymbol[] {
  const uri = params?.textDocument?.uri;
  if (!isValidUri(uri)) return [];
  const analysis = context.analysis(uri);
  if (!analysis) return [];
  const symbols: DocumentSymbol[] = [];
  for (const segment of analysis.segments) {
    const offset = segment.segment.start;
    for (const document of segment.documents) {
      if (document.compose) symbols.push(...composeSymbols(analysis, document.compose, offset));
      for (const object of document.kubernetes) symbols.push(kubernetesSymbol(analysis, object, offset));
      if (document.architecture) symbols.push(...architectureSymbols(analysis, document.architecture, offset));
    }
  }
  return symbols;
}

function symbol(analysis: FileAnalysis, offset: number, name: string, detail: string | undefined, kind: SymbolKind, full: OffsetRange, selection: OffsetRange, children: DocumentSymbol[] = []): DocumentSymbol {
  const range = toRange(analysis.lines, { start: full.start + offset, end: Math.max(full.end, selection.end) + offset });
  const selectionRange = toRange(analysis.lines, shiftRange(selection, offset));
  return { name: name || '?', detail, kind, range, selectionRange, children };
}

function composeSymbols(analysis: FileAnalysis, model: ComposeModel, offset: number): DocumentSymbol[] {
  const services = model.services.map((service) => serviceSymbol(analysis, service, offset));
  const top: DocumentSymbol[] = [];
  const servicesRange = rangeOf(model.servicesKey)!;
  const lastService = model.services[model.services.length - 1];
  const servicesEnd = lastService ? rangeOf(lastService.node)?.end ?? lastService.keyRange.end : servicesRange.end;
  top.push(symbol(analysis, offset, 'services', `${model.services.length} ${model.services.length === 1 ? 'service' : 'services'}`, SymbolKind.Namespace, { start: servicesRange.start, end: servicesEnd }, servicesRange, services));
  const group = (name: string, refs: readonly ComposeNamedRef[], kind: SymbolKind) => {
    if (refs.length === 0) return;
    const children = refs.map((ref) => symbol(analysis, offset, ref.name, undefined, kind, { start: ref.range.start, end: rangeOf(ref.node)?.end ?? ref.range.end }, ref.range));
    const first = refs[0].range;
    const last = children.length > 0 ? refs[refs.length - 1] : refs[0];
    top.push(symbol(analysis, offset, name, undefined, SymbolKind.Namespace, { start: first.start, end: rangeOf(last.node)?.end ?? last.range.end }, first, children));
  };
  group('networks', model.networks, SymbolKind.Interface);
  group('secrets', model.secrets, SymbolKind.Key);
  return top;
}

function serviceSymbol(analysis: FileAnalysis, service: ComposeService, offset: number): DocumentSymbol {
  const children: DocumentSymbol[] = [];
  if (service.image) children.push(symbol(analysis, offset, `image: ${service.image.value}`, undefined, SymbolKind.Package, service.image.range, service.image.range));
  for (const port of service.ports) {
    const label = port.published ? `${port.hostIp ? `${port.hostIp}:` : ''}${port.published} → ${port.target ?? '?'}` : `${port.target ?? '?'}`;
    children.push(symbol(analysis, offset, `port ${label}`, port.protocol, SymbolKind.Number, port.range, port.range));
  }
  for (const network of service.networks) children.push(symbol(analysis, offset, `network ${network.name}`, undefined, SymbolKind.Interface, network.range, network.range));
  for (const secret of service.secrets) children.push(symbol(analysis, offset, `secret ${secret.name}`, undefined, SymbolKind.Key, secret.range, secret.range));
  for (const volume of service.volumes) {
    const label = `${volume.source ? `${volume.source} → ` : ''}${volume.target ?? '?'}${volume.readOnly ? ' (ro)' : ''}`;
    children.push(symbol(analysis, offset, `volume ${label}`, volume.type, SymbolKind.File, volume.range, volume.range));
  }
  const full = { start: service.keyRange.start, end: rangeOf(service.node)?.end ?? service.keyRange.end };
  return symbol(analysis, offset, service.name, service.image?.value, SymbolKind.Class, full, service.keyRange, children);
}

function kubernetesSymbol(analysis: FileAnalysis, object: KubernetesObject, offset: number): DocumentSymbol {
  const name = `${object.kind} ${object.name ?? '(unnamed)'}${object.namespace ? ` (${object.namespace})` : ''}`;
  const children = declaredContainers(object).map((container) => {
    const label = `${container.kind === 'container' ? 'container' : container.kind === 'initContainer' ? 'init container' : 'ephemeral container'} ${container.name ?? '(unnamed)'}`;
    const full = rangeOf(container.node) ?? container.subjectRange;
    return symbol(analysis, offset, label, container.image?.value, SymbolKind.Object, full, container.subjectRange);
  });
  const full = rangeOf(object.root) ?? object.subjectRange;
  return symbol(analysis, offset, name, object.apiVersion, object.podSpec ? SymbolKind.Class : SymbolKind.Struct, full, object.subjectRange, children);
}

/** Zones (with their trust), components (type, zone), flows (from → to) and pipelines of an architecture model. */
function architectureSymbols(analysis: FileAnalysis, model: ArchitectureModel, offset: number): DocumentSymbol[] {
  if (model.threagile) return threagileSymbols(analysis, model, offset);
  const extent = (range: OffsetRange, node: unknown) => ({ start: range.start, end: Math.max(range.end, rangeOf(node)?.end ?? range.end) });
  const groups: DocumentSymbol[] = [];
  const group = (name: string, children: DocumentSymbol[]) => {
    if (children.length === 0) return;
    const key = model.sectionKeys[name];
    const first = children[0];
    const range = { start: first.range.start, end: children[children.length - 1].range.end };
    groups.push({ name, kind: SymbolKind.Namespace, range: key ? { start: toRange(analysis.lines, shiftRange(key, offset)).start, end: range.end } : range, selectionRange: key ? toRange(analysis.lines, shiftRange(key, offset)) : first.selectionRange, children });
  };
  group(
    'zones',
    model.zones.filter((zone) => !zone.synthetic).map((zone) => symbol(analysis, offset, zone.label ?? zone.id, zone.trust?.value ?? zone.derivedTrust?.level, SymbolKind.Namespace, extent(zone.range, zone.node), zone.range)),
  );
  group(
    'components',
    model.components.map((component) => {
      const detail = [component.componentType, component.zone ? `in ${component.zone.value}` : undefined, component.inTcb ? 'TCB' : undefined].filter(Boolean).join(' · ');
      return symbol(analysis, offset, component.label ?? component.id, detail, SymbolKind.Class, extent(component.range, component.node), component.range);
    }),
  );
  group(
    'flows',
    model.flows.map((flow) => symbol(analysis, offset, `${flow.from?.value ?? '?'} → ${flow.to?.value ?? '?'}`, flow.authentication.map((a) => a.value).join(', ') || 'no authentication', SymbolKind.Event, extent(flow.range, flow.node), flow.range)),
  );
  group('pipelines', model.pipelines.map((pipeline) => symbol(analysis, offset, pipeline.id, `${pipeline.source?.value ?? '?'} → ${pipeline.sink?.value ?? '?'}`, SymbolKind.Function, extent(pipeline.range, pipeline.node), pipeline.range)));
  return groups;
}

/** A Threagile document in Threagile's terms: data assets, technical assets with their links, trust boundaries, shared runtimes, tracked risks. */
function threagileSymbols(analysis: FileAnalysis, model: ArchitectureModel, offset: number): DocumentSymbol[] {
  const document = model.threagile!.documents[0];
  const extent = (range: OffsetRange, node: unknown) => ({ start: range.start, end: Math.max(range.end, rangeOf(node)?.end ?? range.end) });
  const groups: DocumentSymbol[] = [];
  const group = (section: string, label: string, children: DocumentSymbol[]) => {
    const key = document.sectionKeys[section];
    if (!key || children.length === 0) return;
    const last = children[children.length - 1].range.end;
    const selection = toRange(analysis.lines, { start: key.start + offset, end: key.end + offset });
    groups.push({ name: label, kind: SymbolKind.Namespace, range: { start: selection.start, end: last }, selectionRange: selection, children });
  };
  const trust = new Map(model.zones.map((zone) => [zone.id, zone.derivedTrust?.level]));
  group('data_assets', 'data assets', document.dataAssets.map((data) => symbol(analysis, offset, data.title, [data.confidentiality?.value, data.integrity?.value].filter(Boolean).join(' · ') || undefined, SymbolKind.Constant, extent(data.titleRange, data.node), data.titleRange)));
  group(
    'technical_assets',
    'technical assets',
    document.technicalAssets.map((asset) => {
      const links = asset.links.map((link) => symbol(analysis, offset, `${link.title} → ${link.target?.value ?? '?'}`, [link.protocol?.value, link.authentication?.value].filter(Boolean).join(' · ') || undefined, SymbolKind.Event, extent(link.titleRange, link.node), link.titleRange));
      const detail = [asset.type?.value, asset.technologies[0]?.value, asset.outOfScope?.value ? 'out of scope' : undefined].filter(Boolean).join(' · ');
      return symbol(analysis, offset, asset.title, detail || undefined, SymbolKind.Class, extent(asset.titleRange, asset.node), asset.titleRange, links);
    }),
  );
  group('trust_boundaries', 'trust boundaries', document.trustBoundaries.map((boundary) => symbol(analysis, offset, boundary.title, [boundary.type?.value, trust.get(boundary.id)].filter(Boolean).join(' · ') || undefined, SymbolKind.Namespace, extent(boundary.titleRange, boundary.node), boundary.titleRange)));
  group('shared_runtimes', 'shared runtimes', document.sharedRuntimes.map((runtime) => symbol(analysis, offset, runtime.title, `${runtime.assetsRunning.length} assets`, SymbolKind.Module, extent(runtime.titleRange, runtime.node), runtime.titleRange)));
  group('risk_tracking', 'risk tracking', document.riskTracking.map((entry) => symbol(analysis, offset, entry.pattern, entry.status?.value, SymbolKind.Key, extent(entry.range, entry.node), entry.range)));
  return groups;
}
