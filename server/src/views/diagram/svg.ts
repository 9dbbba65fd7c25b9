import { countDiagram, sortFindings, worstSeverity, type DiagramEdge, type DiagramFinding, type DiagramNode, type DiagramSource, type DiagramSystem, type DiagramZone } from './graph';
import type { Box, DiagramLayout, Point, SystemLayout } from './layout';
import {
  BOLD_CHAR_WIDTH,
  CHAR_WIDTH,
  CROSSING_EDGE,
  FONT_FAMILY,
  MARGIN,
  MUTED_TEXT,
  NEUTRAL_EDGE,
  nodeSubtitle,
  SECRET_COLOUR,
  SEVERITY_COLOURS,
  SYSTEM_HEADER_RESERVE,
  SYSTEM_LABEL_SIZE,
  TCB_COLOUR,
  TEXT_COLOUR,
  TRUST_PALETTE,
} from './style';

/**
 * A laid-out diagram as one self-contained SVG document: no fonts, images, scripts or style
 * sheets from anywhere (colours are presentation attributes, so a strict Content-Security-Policy
 * allows it inline), a title and description for screen readers, a `<title>` on every zone,
 * component and arrow listing its findings (the browser shows it on hover), and `data-file`,
 * `data-line`, `data-character`, `data-end-line`, `data-end-character` (0-based, LSP positions)
 * on everything that came from a line of a file, for an editor to reveal it on click.
 * Deterministic: the same layout gives the same bytes.
 */
export function renderSvg(layout: DiagramLayout): string {
  const graph = layout.graph;
  const counts = countDiagram(graph);
  const legendTop = layout.height;
  const key = legend(MARGIN, legendTop);
  const width = Math.ceil(Math.max(layout.width, key.width + 2 * MARGIN));
  const height = legendTop + LEGEND_HEIGHT + MARGIN;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="sbd-diagram-title sbd-diagram-desc" font-family="${FONT_FAMILY}" font-size="12" fill="${TEXT_COLOUR}">`,
    `<title id="sbd-diagram-title">${text(graph.title)}</title>`,
    `<desc id="sbd-diagram-desc">${text(`${plural(counts.systems, 'system')}, ${plural(counts.zones, 'trust zone')}, ${plural(counts.components, 'component')}, ${plural(counts.arrows, 'arrow')}, ${plural(counts.findings, 'finding')}. Zones are ordered by trust, least trusted on the left; zones without a trust level come last.`)}</desc>`,
    defs(),
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
  );
  if (graph.systems.length === 0) {
    out.push(`<text x="${MARGIN}" y="${MARGIN + 14}" fill="${MUTED_TEXT}">${text('No trust zones: no compose file, Kubernetes manifest or architecture model to draw.')}</text>`);
  }
  for (const system of layout.systems) out.push(...renderSystem(system));
  out.push(...key.lines);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function renderSystem(placed: SystemLayout): string[] {
  const { system, box } = placed;
  const out: string[] = [];
  const zoneLabels = new Map(system.zones.map((zone) => [zone.id, zone.label]));
  const others = sortFindings(system.otherFindings);
  const header = `${system.label} (${SYSTEM_KIND_NAMES[system.kind]})`;
  out.push(
    `<g data-kind="system" data-id="${attr(system.id)}"${sourceAttributes(system.source)}>`,
    `<title>${text([header, ...findingLines(others, 'finding elsewhere in these files', 'findings elsewhere in these files')].join('\n'))}</title>`,
    `<rect x="${n(box.x)}" y="${n(box.y)}" width="${n(box.width)}" height="${n(box.height)}" rx="6" fill="#ffffff" stroke="#5f6368" stroke-width="1.2"/>`,
    `<text x="${n(box.x + 12)}" y="${n(box.y + 23)}" font-size="${SYSTEM_LABEL_SIZE}" font-weight="bold">${text(fit(system.label, box.width - SYSTEM_HEADER_RESERVE, SYSTEM_LABEL_SIZE))}<tspan fill="${MUTED_TEXT}" font-weight="normal" font-size="11">  ${text(SYSTEM_KIND_NAMES[system.kind])}</tspan></text>`,
  );
  if (others.length > 0) {
    out.push(`<text x="${n(box.x + box.width - 12)}" y="${n(box.y + 23)}" text-anchor="end" font-size="11" fill="${SEVERITY_COLOURS[worstSeverity(others)!]}">${text(plural(others.length, 'finding') + ' elsewhere')}</text>`);
  }
  out.push('</g>');
  if (placed.omitted) {
    out.push(`<text x="${n(box.x + 12)}" y="${n(box.y + 48)}" font-size="11.5" fill="${MUTED_TEXT}">${text(fit(placed.omitted, box.width - 24, 11.5))}<title>${text(placed.omitted)}</title></text>`);
    return out;
  }
  for (const { zone, box: zoneBox } of placed.zones) out.push(...renderZone(zone, zoneBox));
  for (const link of placed.links) {
    out.push(`<path d="${pathOf(link.points)}" fill="none" stroke="${NEUTRAL_EDGE}" stroke-width="1.2" stroke-dasharray="2 3"><title>${text(`also attached to ${zoneLabels.get(link.zone) ?? link.zone}`)}</title></path>`);
  }
  const nodeLabels = new Map(system.nodes.map((node) => [node.id, node.label]));
  for (const { edge, points } of placed.edges) out.push(...renderEdge(edge, points, nodeLabels));
  for (const { node, box: nodeBox } of placed.nodes) out.push(...renderNode(node, nodeBox, zoneLabels));
  return out;
}

const SYSTEM_KIND_NAMES: Record<DiagramSystem['kind'], string> = { compose: 'Docker Compose', kubernetes: 'Kubernetes', architecture: 'architecture model', threagile: 'Threagile model' };

function renderZone(zone: DiagramZone, box: Box): string[] {
  const palette = TRUST_PALETTE[zone.trust ?? 'unassigned'];
  const findings = sortFindings(zone.findings);
  const trustText = zone.kind === 'no-zone' ? 'no zone' : palette.name;
  const title = [`${zone.label}: ${ZONE_KIND_NAMES[zone.kind]}, ${trustText}${zone.detail ? ` (${zone.detail})` : ''}`, ...locationLine(zone.source), ...findingLines(findings)];
  const out = [
    `<g data-kind="zone" data-id="${attr(zone.id)}" data-trust="${zone.trust ?? 'none'}"${sourceAttributes(zone.source)}${interactive(zone.source, `zone ${zone.label}, ${trustText}`)}>`,
    `<title>${text(title.join('\n'))}</title>`,
    `<rect x="${n(box.x)}" y="${n(box.y)}" width="${n(box.width)}" height="${n(box.height)}" rx="5" fill="${palette.fill}" stroke="${palette.stroke}" stroke-width="1.3"${zone.trust === undefined ? ' stroke-dasharray="5 3"' : ''}/>`,
    `<text x="${n(box.x + 10)}" y="${n(box.y + 19)}" font-size="12" font-weight="bold">${text(fit(zone.label, box.width - 110, 12))}<tspan font-weight="normal" font-size="10.5" fill="${palette.stroke}">  ${text(trustText)}</tspan></text>`,
  ];
  if (findings.length > 0) out.push(badge(box.x + box.width - 14, box.y + 15, findings));
  out.push('</g>');
  return out;
}

const ZONE_KIND_NAMES: Record<DiagramZone['kind'], string> = {
  'compose-network': 'compose network',
  'kubernetes-namespace': 'Kubernetes namespace',
  'architecture-zone': 'trust zone of the model',
  outside: 'outside the deployment',
  'no-zone': 'components the model puts in no zone',
};

function renderNode(node: DiagramNode, box: Box, zoneLabels: ReadonlyMap<string, string>): string[] {
  const findings = sortFindings(node.findings);
  const subtitle = nodeSubtitle(node);
  const title = [
    `${node.label}: ${subtitle}`,
    `in ${[node.zone, ...node.alsoIn].map((zone) => zoneLabels.get(zone) ?? zone).join(', ')}`,
    ...locationLine(node.source),
    ...(node.tcb ? [`trusted computing base: ${node.tcb.reasons.join('; ')}`] : []),
    ...node.secrets.map((secret) => `holds ${secret.name} (held by ${plural(secret.holders, 'component')}${secret.overBudget ? ', over the budget' : ''})`),
    ...findingLines(findings),
  ];
  const worst = worstSeverity(findings);
  const stroke = worst ? SEVERITY_COLOURS[worst] : '#5f6368';
  const out = [
    `<g data-kind="node" data-id="${attr(node.id)}" data-node-kind="${node.kind}"${sourceAttributes(node.source)}${interactive(node.source, `${node.label}, ${subtitle}, ${plural(findings.length, 'finding')}`)}>`,
    `<title>${text(title.join('\n'))}</title>`,
    nodeShape(node, box, stroke, worst ? 1.8 : 1.2),
    `<text x="${n(box.x + 10)}" y="${n(box.y + 19)}" font-size="12.5" font-weight="bold">${text(fit(node.label, box.width - (findings.length > 0 ? 44 : 20), 12.5, BOLD_CHAR_WIDTH))}</text>`,
    `<text x="${n(box.x + 10)}" y="${n(box.y + 34)}" font-size="10.5" fill="${MUTED_TEXT}">${text(fit(subtitle, box.width - 20, 10.5))}</text>`,
  ];
  if (findings.length > 0) out.push(badge(box.x + box.width - 16, box.y + 15, findings));
  let tagX = box.x + 10;
  const tagY = box.y + box.height - 16;
  if (node.tcb) {
    out.push(tag(tagX, tagY, 'TCB', TCB_COLOUR));
    tagX += tagWidth('TCB') + 5;
  }
  if (node.secrets.length > 0) {
    const label = node.secrets.length === 1 ? 'holds 1 secret' : `holds ${node.secrets.length} secrets`;
    out.push(tag(tagX, tagY, label, node.secrets.some((secret) => secret.overBudget) ? SEVERITY_COLOURS.warning : SECRET_COLOUR));
  }
  out.push('</g>');
  return out;
}

function nodeShape(node: DiagramNode, box: Box, stroke: string, strokeWidth: number): string {
  const { x, y, width: w, height: h } = box;
  const common = `fill="#ffffff" stroke="${stroke}" stroke-width="${strokeWidth}"`;
  switch (node.kind) {
    case 'datastore': {
      // A cylinder: the classic datastore symbol of data-flow diagrams.
      const e = 5;
      return `<path d="M${n(x)},${n(y + e)} A${n(w / 2)},${e} 0 0,1 ${n(x + w)},${n(y + e)} V${n(y + h - e)} A${n(w / 2)},${e} 0 0,1 ${n(x)},${n(y + h - e)} Z M${n(x)},${n(y + e)} A${n(w / 2)},${e} 0 0,0 ${n(x + w)},${n(y + e)}" ${common}/>`;
    }
    case 'gateway': {
      const c = 8;
      return `<path d="M${n(x + c)},${n(y)} H${n(x + w - c)} L${n(x + w)},${n(y + c)} V${n(y + h - c)} L${n(x + w - c)},${n(y + h)} H${n(x + c)} L${n(x)},${n(y + h - c)} V${n(y + c)} Z" ${common}/>`;
    }
    case 'external':
      return `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="10" ${common} stroke-dasharray="5 3"/>`;
    case 'vault':
      return `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="4" ${common}/><rect x="${n(x + 3)}" y="${n(y + 3)}" width="${n(w - 6)}" height="${n(h - 6)}" rx="3" fill="none" stroke="${TCB_COLOUR}" stroke-width="0.8"/>`;
    default:
      return `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="4" ${common}/>`;
  }
}

function renderEdge(edge: DiagramEdge, points: readonly Point[], nodeLabels: ReadonlyMap<string, string>): string[] {
  const findings = sortFindings(edge.findings);
  const worst = worstSeverity(findings);
  const colour = worst ? SEVERITY_COLOURS[worst] : edge.crossesBoundary ? CROSSING_EDGE : NEUTRAL_EDGE;
  const marker = worst ?? (edge.crossesBoundary ? 'crossing' : 'neutral');
  const from = nodeLabels.get(edge.from) ?? edge.from;
  const to = nodeLabels.get(edge.to) ?? edge.to;
  const title = [
    `${from} → ${to}: ${edge.label}`,
    `${EDGE_KIND_NAMES[edge.kind]}${edge.crossesBoundary ? ', crosses a trust boundary' : ''}`,
    ...(edge.missingControls.length > 0 ? [`the crossing lacks: ${edge.missingControls.join(', ')}`] : []),
    ...locationLine(edge.source),
    ...findingLines(findings),
  ];
  const d = pathOf(points);
  const out = [
    `<g data-kind="edge" data-id="${attr(edge.id)}" data-edge-kind="${edge.kind}" data-crossing="${edge.crossesBoundary}"${sourceAttributes(edge.source)}${interactive(edge.source, `${from} to ${to}, ${edge.label}`)}>`,
    `<title>${text(title.join('\n'))}</title>`,
    `<path d="${d}" fill="none" stroke="${colour}" stroke-width="${worst || edge.crossesBoundary ? 2 : 1.3}"${edge.kind === 'reachability' ? ' stroke-dasharray="6 4"' : ''} marker-end="url(#sbd-arrow-${marker})"/>`,
    // A wide invisible twin makes a thin arrow easy to hover and click.
    `<path d="${d}" fill="none" stroke="#ffffff" stroke-opacity="0" stroke-width="10"/>`,
  ];
  if (findings.length > 0) {
    const middle = midpoint(points);
    out.push(badge(middle.x, middle.y, findings));
  }
  out.push('</g>');
  return out;
}

const EDGE_KIND_NAMES: Record<DiagramEdge['kind'], string> = { flow: 'declared flow', reachability: 'reachable over a shared network, no flow declared', exposure: 'exposed to outside' };

/** A count in a circle, coloured by the worst finding. */
function badge(cx: number, cy: number, findings: readonly DiagramFinding[]): string {
  const label = findings.length > 99 ? '99+' : String(findings.length);
  const r = label.length > 2 ? 11 : 9;
  return `<circle cx="${n(cx)}" cy="${n(cy)}" r="${r}" fill="${SEVERITY_COLOURS[worstSeverity(findings)!]}" stroke="#ffffff" stroke-width="1.5"/><text x="${n(cx)}" y="${n(cy + 3.5)}" text-anchor="middle" font-size="10" font-weight="bold" fill="#ffffff">${label}</text>`;
}

function tag(x: number, y: number, label: string, colour: string): string {
  return `<rect x="${n(x)}" y="${n(y)}" width="${n(tagWidth(label))}" height="12" rx="3" fill="#ffffff" stroke="${colour}" stroke-width="0.9"/><text x="${n(x + 4)}" y="${n(y + 9)}" font-size="8.5" fill="${colour}">${text(label)}</text>`;
}

function tagWidth(label: string): number {
  return Math.ceil(label.length * 8.5 * CHAR_WIDTH) + 8;
}

function defs(): string {
  const colours: Record<string, string> = { ...SEVERITY_COLOURS, crossing: CROSSING_EDGE, neutral: NEUTRAL_EDGE };
  const markers = Object.entries(colours).map(
    ([name, colour]) => `<marker id="sbd-arrow-${name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 Z" fill="${colour}"/></marker>`,
  );
  return `<defs>${markers.join('')}</defs>`;
}

const LEGEND_HEIGHT = 72;

/** The key to colours and marks, and how wide it is. */
function legend(x: number, y: number): { lines: string[]; width: number } {
  const out = [`<g data-kind="legend">`, `<text x="${n(x)}" y="${n(y + 12)}" font-size="11" font-weight="bold">Legend</text>`];
  const textWidth = (label: string) => Math.ceil(label.length * 10.5 * CHAR_WIDTH);
  let cx = x;
  const row1 = y + 22;
  for (const level of ['untrusted', 'semi-trusted', 'trusted', 'highly-trusted', 'unassigned'] as const) {
    const palette = TRUST_PALETTE[level];
    out.push(`<rect x="${n(cx)}" y="${n(row1)}" width="22" height="13" rx="2" fill="${palette.fill}" stroke="${palette.stroke}"${level === 'unassigned' ? ' stroke-dasharray="4 2"' : ''}/><text x="${n(cx + 27)}" y="${n(row1 + 10.5)}" font-size="10.5">${text(palette.name)}</text>`);
    cx += 34 + textWidth(palette.name);
  }
  const marks: Array<[string, string, string]> = [
    ['TCB', TCB_COLOUR, 'trusted computing base'],
    ['holds 1 secret', SECRET_COLOUR, 'secret holder'],
  ];
  for (const [label, colour, meaning] of marks) {
    out.push(tag(cx + 8, row1 + 0.5, label, colour), `<text x="${n(cx + 8 + tagWidth(label) + 5)}" y="${n(row1 + 10.5)}" font-size="10.5">${text(meaning)}</text>`);
    cx += 8 + tagWidth(label) + 5 + textWidth(meaning) + 12;
  }
  let width = cx - x;
  cx = x;
  const row2 = y + 50;
  const arrows: Array<[string, string, string, string]> = [
    ['error', SEVERITY_COLOURS.error, '', 'finding: error'],
    ['warning', SEVERITY_COLOURS.warning, '', 'warning'],
    ['info', SEVERITY_COLOURS.info, '', 'info'],
    ['crossing', CROSSING_EDGE, '', 'crosses a boundary'],
    ['neutral', NEUTRAL_EDGE, '', 'within a zone'],
    ['neutral', NEUTRAL_EDGE, ' stroke-dasharray="6 4"', 'reachable, no flow declared'],
  ];
  for (const [marker, colour, dash, label] of arrows) {
    out.push(`<path d="M${n(cx)},${n(row2)} H${n(cx + 34)}" stroke="${colour}" stroke-width="2"${dash} marker-end="url(#sbd-arrow-${marker})"/><text x="${n(cx + 40)}" y="${n(row2 + 4)}" font-size="10.5">${text(label)}</text>`);
    cx += 52 + textWidth(label);
  }
  const badgeLabel = 'findings (hover for the list)';
  out.push(`<circle cx="${n(cx + 9)}" cy="${n(row2)}" r="9" fill="${SEVERITY_COLOURS.error}"/><text x="${n(cx + 9)}" y="${n(row2 + 3.5)}" text-anchor="middle" font-size="10" font-weight="bold" fill="#ffffff">2</text><text x="${n(cx + 24)}" y="${n(row2 + 4)}" font-size="10.5">${text(badgeLabel)}</text>`);
  width = Math.max(width, cx + 24 + textWidth(badgeLabel) - x);
  out.push('</g>');
  return { lines: out, width };
}

/** At most this many findings are listed in a tooltip; the count covers the rest. */
const TOOLTIP_FINDINGS = 15;

function findingLines(findings: readonly DiagramFinding[], one = 'finding', many = 'findings'): string[] {
  if (findings.length === 0) return [];
  const lines = [`${findings.length} ${findings.length === 1 ? one : many}:`];
  for (const finding of findings.slice(0, TOOLTIP_FINDINGS)) {
    lines.push(`• ${finding.severity} ${finding.ruleId}${finding.source ? ` (line ${finding.source.range.start.line + 1})` : ''}: ${finding.message}`);
  }
  if (findings.length > TOOLTIP_FINDINGS) lines.push(`… and ${findings.length - TOOLTIP_FINDINGS} more`);
  return lines;
}

function locationLine(source: DiagramSource | undefined): string[] {
  return source ? [`line ${source.range.start.line + 1} of ${baseName(source.file)}`] : [];
}

function baseName(file: string): string {
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return decodeUriPart(file.slice(slash + 1));
}

function decodeUriPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function sourceAttributes(source: DiagramSource | undefined): string {
  if (!source) return '';
  const { start, end } = source.range;
  return ` data-file="${attr(source.file)}" data-line="${start.line}" data-character="${start.character}" data-end-line="${end.line}" data-end-character="${end.character}"`;
}

/** Elements with a source can be focused and activated from the keyboard in an editor's webview. */
function interactive(source: DiagramSource | undefined, label: string): string {
  return source ? ` tabindex="0" role="button" aria-label="${attr(label)}"` : '';
}

function pathOf(points: readonly Point[]): string {
  return points.map((point, index) => `${index === 0 ? 'M' : 'L'}${n(point.x)},${n(point.y)}`).join(' ');
}

/** The middle of the longest segment: where a badge sits clear of the arrow's ends. */
function midpoint(points: readonly Point[]): Point {
  let best = { x: points[0].x, y: points[0].y };
  let longest = -1;
  for (let index = 1; index < points.length; index++) {
    const a = points[index - 1];
    const b = points[index];
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    if (length > longest) {
      longest = length;
      best = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    }
  }
  return best;
}

/** Shortens `label` to what fits in `width` pixels at `fontSize`, with an ellipsis. */
function fit(label: string, width: number, fontSize: number, charWidth = CHAR_WIDTH): string {
  const max = Math.max(4, Math.floor(width / (fontSize * charWidth)));
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Coordinates with at most one decimal, never `-0`: stable bytes across runs. */
function n(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return String(rounded === 0 ? 0 : rounded);
}

/** Characters XML 1.0 does not allow (control characters, lone surrogates) become U+FFFD. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function text(value: string): string {
  return value.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}
