import type { TrustBoundariesParams, TrustBoundariesResult, TrustComponentInfo, TrustFlowInfo, ProtocolLocation } from '../protocol';
import type { Finding } from '../core/types';
import { trustBoundaryView, type Place, type ViewedComponent, type ViewedFlow } from '../views/trustBoundaries';
import type { ServerContext } from './context';
import { isValidUri, toRange } from './convert';

/**
 * `sbd/trustBoundaries`: zones → components → flows and secret holders, computed from the cached
 * models of every known file (open buffers win over disk) and turned into locations here.
 */
export function trustBoundaries(context: ServerContext, params: TrustBoundariesParams | undefined): TrustBoundariesResult {
  const onlyUri = params?.uri;
  if (onlyUri !== undefined && !isValidUri(onlyUri)) return { zones: [], secrets: [] };
  if (onlyUri) context.analysis(onlyUri);
  // Rendered charts and built overlays count like files; their places are moved to their sources below.
  const documents = context.workspace.documents((uri) => context.isAnalysed(uri));
  const boundaries = trustBoundaryView(documents, context.workspace.options);
  const findingsByFile = new Map<string, Finding[]>();
  const findingsIn = (generated: Place) => {
    const place = context.workspace.mapPlace(generated);
    if (!place) return 0;
    let findings = findingsByFile.get(place.file);
    if (!findings) {
      findings = context.findings(place.file);
      findingsByFile.set(place.file, findings);
    }
    return findings.filter((finding) => finding.range.start >= place.range.start && finding.range.start <= place.range.end && finding.pattern !== undefined).length;
  };
  const location = (generated: Place | undefined): ProtocolLocation | undefined => {
    const place = generated && context.workspace.mapPlace(generated);
    if (!place) return undefined;
    const lines = context.linesOf(place.file);
    return lines ? { uri: place.file, range: toRange(lines, place.range) } : undefined;
  };
  const flow = (item: ViewedFlow): TrustFlowInfo => ({ from: item.from, to: item.to, label: item.label, crossesBoundary: item.crossesBoundary, missingControls: item.missingControls, location: location(item.place) });
  const component = (item: ViewedComponent): TrustComponentInfo => ({
    id: item.id,
    label: item.label,
    type: item.type,
    location: location(item.place),
    inbound: item.inbound.map(flow),
    outbound: item.outbound.map(flow),
    secrets: item.secrets,
    findings: findingsIn(item.extent),
  });
  const inScope = (item: ViewedComponent) => !onlyUri || context.workspace.mapPlace(item.place)?.file === onlyUri;
  const zones = boundaries.zones
    .map((zone) => {
      const components = zone.components.filter(inScope).map(component);
      return {
        id: zone.id,
        label: zone.label,
        source: zone.source,
        trust: zone.trust,
        location: location(zone.place),
        components,
        findings: components.reduce((sum, item) => sum + item.findings, 0),
      };
    })
    .filter((zone) => zone.components.length > 0 || (!onlyUri && zone.location));
  const secrets = boundaries.secrets
    .filter((entry) => !onlyUri || entry.holders.some((holder) => holder.place && context.workspace.mapPlace(holder.place)?.file === onlyUri))
    .map((entry) => ({ secret: entry.secret, overBudget: entry.overBudget, holders: entry.holders.map((holder) => ({ component: holder.component, location: location(holder.place) })) }));
  return { zones, secrets };
}
