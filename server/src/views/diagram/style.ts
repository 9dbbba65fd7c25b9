import type { DiagramNode, DiagramNodeKind, DiagramSeverity, DiagramTrustLevel } from './graph';

/**
 * Sizes and colours of the drawing, shared by the layout (which needs sizes) and the renderers.
 * Node sizes never depend on findings, so a layout stays valid while only findings change.
 */

export const NODE_WIDTH = 188;
/** Long names widen a node up to this; past it they are shortened (the tooltip has them whole). */
export const MAX_NODE_WIDTH = 330;
/** How wide a node's second line may make it. */
const SUBTITLE_WIDTH = 240;
export const NODE_HEIGHT = 56;
/** Room for a zone's header line above its content, and around the content. */
export const ZONE_HEADER = 30;
export const ZONE_PADDING = 14;
export const SYSTEM_HEADER = 38;
export const SYSTEM_LABEL_SIZE = 13.5;
/** Room on a system's header line besides its label: the kind of system and the count of findings elsewhere. */
export const SYSTEM_HEADER_RESERVE = 300;
export const SYSTEM_PADDING = 16;
/** An empty zone still gets a box this size, so it can be seen and clicked. */
export const EMPTY_ZONE_WIDTH = 160;
export const EMPTY_ZONE_HEIGHT = 24;
/** Gap between stacked systems and around the whole drawing. */
export const SYSTEM_GAP = 24;
export const MARGIN = 16;

export const FONT_FAMILY = 'DejaVu Sans, Verdana, Arial, Helvetica, sans-serif';
/** Average advance of a character as a share of the font size (DejaVu Sans and Verdana are wide): used to shorten labels without measuring fonts. */
export const CHAR_WIDTH = 0.62;
/** The same for bold text (node names), which runs wider. */
export const BOLD_CHAR_WIDTH = 0.7;

export const SEVERITY_COLOURS: Record<DiagramSeverity, string> = { error: '#c62828', warning: '#b45f06', info: '#1565c0' };
/** Arrows with no finding; crossings with no finding are drawn a little darker and thicker. */
export const NEUTRAL_EDGE = '#7a7a7a';
export const CROSSING_EDGE = '#424242';
export const TCB_COLOUR = '#6a1b9a';
export const SECRET_COLOUR = '#00695c';
export const TEXT_COLOUR = '#1f1f1f';
export const MUTED_TEXT = '#555555';

export interface ZonePalette {
  readonly fill: string;
  readonly stroke: string;
  readonly name: string;
}

export const TRUST_PALETTE: Record<DiagramTrustLevel | 'unassigned', ZonePalette> = {
  untrusted: { fill: '#fdecea', stroke: '#c62828', name: 'untrusted' },
  'semi-trusted': { fill: '#fff4e0', stroke: '#b45f06', name: 'semi-trusted' },
  trusted: { fill: '#e8f5e9', stroke: '#2e7d32', name: 'trusted' },
  'highly-trusted': { fill: '#e3f2fd', stroke: '#1565c0', name: 'highly trusted' },
  unassigned: { fill: '#f3f3f3', stroke: '#8a8a8a', name: 'no trust level' },
};

export const NODE_KIND_NAMES: Record<DiagramNodeKind, string> = {
  service: 'service',
  workload: 'workload',
  component: 'component',
  datastore: 'datastore',
  gateway: 'gateway',
  vault: 'vault',
  queue: 'queue',
  external: 'external',
};

/** A node's second line: its kind and what it runs or is (`service · postgres:16`, `workload · Deployment`). */
export function nodeSubtitle(node: Pick<DiagramNode, 'kind' | 'detail'>): string {
  const kindName = NODE_KIND_NAMES[node.kind];
  return node.detail && node.detail !== kindName ? `${kindName} · ${node.detail}` : kindName;
}

/**
 * A node's width: wide enough for its name (bold, 12.5) beside the findings badge and for its
 * second line (10.5), between NODE_WIDTH and MAX_NODE_WIDTH. It depends on the text only, so a
 * layout stays valid while findings change.
 */
export function nodeWidth(node: Pick<DiagramNode, 'kind' | 'detail' | 'label'>): number {
  const name = node.label.length * 12.5 * BOLD_CHAR_WIDTH + 44;
  const subtitle = nodeSubtitle(node).length * 10.5 * CHAR_WIDTH + 20;
  // Image references with digests are long: the second line widens a node less than its name does.
  return Math.min(MAX_NODE_WIDTH, Math.max(NODE_WIDTH, Math.ceil(name), Math.min(SUBTITLE_WIDTH, Math.ceil(subtitle))));
}
