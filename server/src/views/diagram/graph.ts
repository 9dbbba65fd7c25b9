/**
 * The trust-boundary diagram as data: systems (one deployment unit or model each) holding zones
 * ordered by trust, components inside the zones, and arrows for flows and network reachability,
 * each with the findings that sit on it and the source text it came from. Pure: no Node, no
 * editor; the SVG, Mermaid and DOT renderers and the layout read only this.
 */

/** Trust levels, least trusted first (the order zones are drawn in, left to right). */
export const DIAGRAM_TRUST_LEVELS = ['untrusted', 'semi-trusted', 'trusted', 'highly-trusted'] as const;
export type DiagramTrustLevel = (typeof DIAGRAM_TRUST_LEVELS)[number];

export type DiagramSeverity = 'error' | 'warning' | 'info';

/** A place in a source file: `file` is whatever the host names files by (a URI in the language server, a path in the CLI); 0-based LSP positions. */
export interface DiagramSource {
  readonly file: string;
  readonly range: {
    readonly start: { readonly line: number; readonly character: number };
    readonly end: { readonly line: number; readonly character: number };
  };
}

export interface DiagramFinding {
  readonly ruleId: string;
  readonly severity: DiagramSeverity;
  readonly message: string;
  readonly source?: DiagramSource;
}

export type DiagramSystemKind = 'compose' | 'kubernetes' | 'architecture' | 'threagile';

/**
 * Where a zone comes from. `outside` is drawn for what a deployment exposes (published ports,
 * LoadBalancer/NodePort Services, Ingresses); `no-zone` holds model components without a zone.
 */
export type DiagramZoneKind = 'compose-network' | 'kubernetes-namespace' | 'architecture-zone' | 'outside' | 'no-zone';

export interface DiagramZone {
  /** Unique in the whole graph. */
  readonly id: string;
  readonly label: string;
  readonly kind: DiagramZoneKind;
  /** Undefined: nobody assigned a level yet (drawn last, in grey). */
  readonly trust?: DiagramTrustLevel;
  /** More about the zone, for its tooltip: how a trust level the file does not state was derived. */
  readonly detail?: string;
  /** Id of the enclosing zone (nested trust boundaries); undefined for a zone directly in its system. */
  readonly parent?: string;
  readonly source?: DiagramSource;
  /** Findings on the zone's own definition. */
  readonly findings: readonly DiagramFinding[];
}

/** service and workload: deployed; component: a model component of no more specific type. */
export type DiagramNodeKind = 'service' | 'workload' | 'component' | 'datastore' | 'gateway' | 'vault' | 'queue' | 'external';

export interface DiagramSecret {
  readonly name: string;
  /** How many components of the workspace hold it. */
  readonly holders: number;
  /** More holders than the configured budget (TCB Minimization). */
  readonly overBudget: boolean;
}

export interface DiagramNode {
  /** Unique in the whole graph. */
  readonly id: string;
  readonly label: string;
  readonly kind: DiagramNodeKind;
  /** The kind as the file states it: `Deployment`, `auth-service`, `postgres:16`… */
  readonly detail?: string;
  /** The zone the node is drawn in. */
  readonly zone: string;
  /** Further zones it is attached to (a compose service on several networks): drawn as dashed links. */
  readonly alsoIn: readonly string[];
  readonly source?: DiagramSource;
  readonly secrets: readonly DiagramSecret[];
  /** Set when the component is part of the trusted computing base, with why. */
  readonly tcb?: { readonly reasons: readonly string[] };
  readonly findings: readonly DiagramFinding[];
}

/**
 * flow: declared (model flow, depends_on, Service → pods, Ingress → Service, NetworkPolicy);
 * reachability: possible without being declared (a shared network); exposure: from outside.
 */
export type DiagramEdgeKind = 'flow' | 'reachability' | 'exposure';

export interface DiagramEdge {
  /** Unique in the whole graph. */
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly kind: DiagramEdgeKind;
  readonly label: string;
  /** The arrow leaves the zone its source sits in. */
  readonly crossesBoundary: boolean;
  /** Controls the crossing lacks (authenticate, authorize, validate, log). */
  readonly missingControls: readonly string[];
  readonly source?: DiagramSource;
  readonly findings: readonly DiagramFinding[];
}

/** One deployment unit or model: laid out on its own, systems are stacked top to bottom. */
export interface DiagramSystem {
  readonly id: string;
  /** The file (or files) it comes from, relative to the workspace. */
  readonly label: string;
  readonly kind: DiagramSystemKind;
  readonly source?: DiagramSource;
  /** Least trusted first, unassigned last; a parent always comes before its children. */
  readonly zones: readonly DiagramZone[];
  readonly nodes: readonly DiagramNode[];
  /** Both ends are nodes of this system. */
  readonly edges: readonly DiagramEdge[];
  /** Findings in the system's files that sit on no zone, component or arrow (RBAC objects, model-wide settings…). */
  readonly otherFindings: readonly DiagramFinding[];
}

export interface DiagramGraph {
  readonly title: string;
  readonly systems: readonly DiagramSystem[];
}

/** Position of a trust level in the drawing order: untrusted 0 … highly-trusted 3, unassigned 4. */
export function trustOrder(trust: DiagramTrustLevel | undefined): number {
  return trust === undefined ? DIAGRAM_TRUST_LEVELS.length : DIAGRAM_TRUST_LEVELS.indexOf(trust);
}

const SEVERITY_ORDER: Record<DiagramSeverity, number> = { error: 0, warning: 1, info: 2 };

/** The most severe of `findings`, or undefined for none. */
export function worstSeverity(findings: readonly DiagramFinding[]): DiagramSeverity | undefined {
  let worst: DiagramSeverity | undefined;
  for (const finding of findings) if (worst === undefined || SEVERITY_ORDER[finding.severity] < SEVERITY_ORDER[worst]) worst = finding.severity;
  return worst;
}

/** Findings most severe first, then by rule id and position: the order every renderer lists them in. */
export function sortFindings(findings: readonly DiagramFinding[]): DiagramFinding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      compareText(a.ruleId, b.ruleId) ||
      (a.source?.range.start.line ?? 0) - (b.source?.range.start.line ?? 0) ||
      (a.source?.range.start.character ?? 0) - (b.source?.range.start.character ?? 0) ||
      compareText(a.message, b.message),
  );
}

/** Locale-independent comparison, so output is byte-identical on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface DiagramCounts {
  readonly systems: number;
  readonly zones: number;
  readonly components: number;
  readonly arrows: number;
  readonly findings: number;
}

/** What the graph shows; `findings` counts every finding once, wherever it sits. */
export function countDiagram(graph: DiagramGraph): DiagramCounts {
  let zones = 0;
  let components = 0;
  let arrows = 0;
  let findings = 0;
  for (const system of graph.systems) {
    zones += system.zones.length;
    components += system.nodes.length;
    arrows += system.edges.length;
    findings += system.otherFindings.length;
    for (const zone of system.zones) findings += zone.findings.length;
    for (const node of system.nodes) findings += node.findings.length;
    for (const edge of system.edges) findings += edge.findings.length;
  }
  return { systems: graph.systems.length, zones, components, arrows, findings };
}

/** The text formats a diagram is written in: SVG (laid out), Mermaid and Graphviz DOT (laid out by their readers). */
export const DIAGRAM_FORMATS = ['svg', 'mermaid', 'dot'] as const;
export type DiagramTextFormat = (typeof DIAGRAM_FORMATS)[number];
