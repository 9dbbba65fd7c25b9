import type { TrustBoundariesParams, TrustBoundariesResult, TrustComponentInfo, TrustFlowInfo, ProtocolLocation } from '../protocol';
import type { Finding } from '../core/types';
import { trustBoundaryView, type Place, type TrustBoundaryView, type ViewedComponent, type ViewedFlow } from '../views/trustBoundaries';
import type { DiagramSources } from '../views/diagram/fromBoundaries';
import type { ServerContext } from './context';
import { isValidUri, toRange } from './convert';

/**
 * The trust-boundary view of every known file (open buffers win over disk), from the cached
 * models: the one computation the tree (`sbd/trustBoundaries`) and the diagram (`sbd/diagram`) read.
 */
export function workspaceBoundaries(context: ServerContext): TrustBoundaryView {
  // Rendered charts and built overlays count like files; their places are in generated text (see `mapPlace`).
  const documents = context.workspace.documents((uri) => context.isAnalysed(uri));
  return trustBoundaryView(documents, context.workspace.options);
}

/**
 * Findings and lines for the diagram: a rendered chart's or built overlay's objects carry their
 * findings in generated offsets, and every place a click reveals is moved to its source line.
 */
export function diagramSources(context: ServerContext): DiagramSources {
  return {
    findings: (file) => context.workspace.generatedFindings(file) ?? context.findings(file),
    lines: (file) => context.linesOf(file),
    mapPlace: (place) => context.workspace.mapPlace(place),
  };
}

/** What the tree and the diagram show, as one string: when it changes, they must refresh. */
export function boundariesFingerprint(context: ServerContext): string {
  const result = trustBoundaries(context, undefined);
  const findings = context.workspace.fileIds().map((uri) => `${uri}:${context.findings(uri).map((finding) => `${finding.ruleId}@${finding.range.start}`).join(',')}`);
  return JSON.stringify([result, findings]);
}

/**
 * Quiet time after the last analysis round before the trust-boundary view is compared with what the
 * client was last told (ms). Longer than the gap between keystrokes of steady typing, so a burst
 * costs no comparison; the VS Code client waits another 400 ms before it asks again.
 */
export const BOUNDARIES_QUIET_MS = 300;

/**
 * Decides when to send `sbd/boundariesChanged`. Knowing whether the view changed means building it
 * for the whole workspace (`boundariesFingerprint`: tens of milliseconds on a 50,000-line manifest),
 * so that is done off the edit path: only for a client that has asked for the view (`sbd/trustBoundaries`
 * or `sbd/diagram`; one that never asked shows neither the tree nor the diagram), and once no
 * analysis round has finished and no edit has come in for `quietMs`. The last round of a burst is
 * always compared, so the view is never left stale after a pause. Timers only: the caller says what
 * happened, `send` gets the revision (counting up from 1).
 */
export class BoundariesNotifier {
  private wanted = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last = '';
  private revision = 0;

  constructor(
    private readonly fingerprint: () => string,
    private readonly send: (revision: number) => void,
    private readonly log: (message: string) => void,
    private readonly quietMs = BOUNDARIES_QUIET_MS,
  ) {}

  /** A client asked for the tree or the diagram: from now on it hears when they change. */
  asked(): void {
    this.wanted = true;
  }

  /** An analysis round was published: compare once things are quiet (nothing to do while no client asked). */
  analysed(): void {
    if (this.wanted) this.restart();
  }

  /** An edit came in: a pending comparison waits until its analysis has been published and typing paused. */
  edited(): void {
    if (this.timer) this.restart();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private restart(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.compare();
    }, this.quietMs);
  }

  private compare(): void {
    try {
      const key = this.fingerprint();
      if (key === this.last) return;
      this.last = key;
      this.send(++this.revision);
    } catch (error) {
      this.log(`trust boundaries: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/**
 * `sbd/trustBoundaries`: zones → components → flows and secret holders, from `workspaceBoundaries`,
 * turned into locations here. Zones carry the system (file or folder) they come from, so an
 * editor can tell two same-named zones of two files apart.
 */
export function trustBoundaries(context: ServerContext, params: TrustBoundariesParams | undefined): TrustBoundariesResult {
  const onlyUri = params?.uri;
  if (onlyUri !== undefined && !isValidUri(onlyUri)) return { zones: [], secrets: [] };
  if (onlyUri) context.analysis(onlyUri);
  const boundaries = workspaceBoundaries(context);
  const systems = new Map(boundaries.systems.map((system) => [system.id, system]));
  const findingsByFile = new Map<string, Finding[]>();
  // A rendered chart's or built overlay's objects count their findings in the generated text, as the diagram does.
  const sources = diagramSources(context);
  const findingsIn = (place: Place) => {
    let findings = findingsByFile.get(place.file);
    if (!findings) {
      findings = [...sources.findings(place.file)];
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
  const flow = (item: ViewedFlow): TrustFlowInfo => ({ from: item.from, to: item.to, label: item.label, crossesBoundary: item.crossesBoundary, missingControls: item.missingControls, ...('deploymentDrift' in item && item.deploymentDrift.length > 0 ? { deploymentDrift: item.deploymentDrift } : {}), location: location(item.place) });
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
        system: { id: zone.system, uri: systems.get(zone.system)?.files[0] ?? '', folder: zone.system.endsWith('/') },
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
