import { sortFindings, trustOrder, worstSeverity, type DiagramEdge, type DiagramFinding, type DiagramGraph, type DiagramNode, type DiagramSystem, type DiagramZone } from './graph';
import { CROSSING_EDGE, NEUTRAL_EDGE, NODE_KIND_NAMES, SEVERITY_COLOURS, TRUST_PALETTE } from './style';

/**
 * The diagram as text for READMEs and design reviews: Mermaid (GitHub and GitLab render it in
 * Markdown) and Graphviz DOT. Both keep the picture's structure — systems and zones as nested
 * subgraphs in trust order, components inside, arrows coloured by their worst finding — and
 * leave the layout to the renderer. Deterministic, like the SVG.
 */

/** Mermaid `flowchart LR` source; needs Mermaid 9 or later (subgraph directions, `#quot;` escapes). */
export function renderMermaid(graph: DiagramGraph): string {
  const lines = ['flowchart LR', `  %% ${oneLine(graph.title)}`];
  const classes = new Map<string, string[]>();
  const linkStyles: string[] = [];
  let linkIndex = 0;
  graph.systems.forEach((system, s) => {
    const ids = idsOf(system, `s${s}`);
    lines.push(`  subgraph s${s}["${mermaidText(`${system.label} (${system.kind})${countSuffix(system.otherFindings, 'elsewhere')}`)}"]`, '    direction LR');
    const emit = (parent: string | undefined, indent: string) => {
      for (const zone of system.zones.filter((candidate) => candidate.parent === parent)) {
        const zoneId = ids.zone(zone.id);
        lines.push(`${indent}subgraph ${zoneId}["${mermaidText(`${zone.label} · ${trustName(zone)}${countSuffix(zone.findings)}`)}"]`);
        for (const node of system.nodes.filter((candidate) => candidate.zone === zone.id)) lines.push(`${indent}  ${ids.node(node.id)}${mermaidShape(node)}`);
        emit(zone.id, `${indent}  `);
        lines.push(`${indent}end`);
        const className = `trust_${(zone.trust ?? 'unassigned').replace('-', '_')}`;
        classes.set(className, [...(classes.get(className) ?? []), zoneId]);
      }
    };
    emit(undefined, '    ');
    lines.push('  end');
    for (const edge of system.edges) {
      const arrow = edge.kind === 'reachability' ? '-.->' : edge.kind === 'exposure' ? '==>' : '-->';
      lines.push(`  ${ids.node(edge.from)} ${arrow}|"${mermaidText(edgeText(edge))}"| ${ids.node(edge.to)}`);
      const colour = edgeColour(edge);
      if (colour !== NEUTRAL_EDGE) linkStyles.push(`  linkStyle ${linkIndex} stroke:${colour},stroke-width:2px`);
      linkIndex++;
    }
  });
  for (const [level, palette] of Object.entries(TRUST_PALETTE)) {
    const className = `trust_${level.replace('-', '_')}`;
    if (!classes.has(className)) continue;
    lines.push(`  classDef ${className} fill:${palette.fill},stroke:${palette.stroke}`, `  class ${classes.get(className)!.join(',')} ${className}`);
  }
  lines.push(...linkStyles);
  return `${lines.join('\n')}\n`;
}

function mermaidShape(node: DiagramNode): string {
  const label = `"${mermaidText(nodeText(node))}"`;
  switch (node.kind) {
    case 'datastore':
      return `[(${label})]`;
    case 'gateway':
      return `{{${label}}}`;
    case 'external':
      return `([${label}])`;
    case 'vault':
      return `[[${label}]]`;
    default:
      return `[${label}]`;
  }
}

/** Mermaid labels in double quotes take entity codes for `"`, `#`, `<` and `>`. */
function mermaidText(value: string): string {
  return oneLine(value).replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/** Graphviz DOT source: `dot -Tsvg` draws it left to right in trust order. */
export function renderDot(graph: DiagramGraph): string {
  const lines = [
    'digraph "trust boundaries" {',
    `  graph [rankdir=LR, compound=true, newrank=true, fontname="Helvetica", fontsize=12, labelloc=t, label=${dotText(graph.title)}];`,
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  graph.systems.forEach((system, s) => {
    const ids = idsOf(system, `s${s}`);
    lines.push(`  subgraph cluster_s${s} {`, `    label=${dotText(`${system.label} (${system.kind})${countSuffix(system.otherFindings, 'elsewhere')}`)}; style=rounded; color="#5f6368";`);
    const emit = (parent: string | undefined, indent: string) => {
      for (const zone of system.zones.filter((candidate) => candidate.parent === parent)) {
        const palette = TRUST_PALETTE[zone.trust ?? 'unassigned'];
        lines.push(
          `${indent}subgraph cluster_${ids.zone(zone.id)} {`,
          `${indent}  label=${dotText(`${zone.label} (${trustName(zone)})${countSuffix(zone.findings)}`)}; style="rounded,filled${zone.trust === undefined ? ',dashed' : ''}"; fillcolor="${palette.fill}"; color="${palette.stroke}";`,
        );
        for (const node of system.nodes.filter((candidate) => candidate.zone === zone.id)) lines.push(`${indent}  ${ids.node(node.id)} [${dotNodeAttributes(node)}];`);
        emit(zone.id, `${indent}  `);
        lines.push(`${indent}}`);
      }
    };
    emit(undefined, '    ');
    lines.push('  }');
    const rank = (node: string) => trustOrder(system.zones.find((zone) => zone.id === system.nodes.find((candidate) => candidate.id === node)?.zone)?.trust);
    for (const edge of system.edges) {
      // Written against the trust order, an arrow would pull its zone leftwards: dir=back keeps the order and the arrowhead.
      const backwards = rank(edge.from) > rank(edge.to);
      const [tail, head] = backwards ? [edge.to, edge.from] : [edge.from, edge.to];
      const colour = edgeColour(edge);
      const attributes = [`label=${dotText(edgeText(edge))}`, `color="${colour}"`, `fontcolor="${colour}"`, `tooltip=${dotText(findingsText(edge.findings, `${edge.label}`))}`];
      if (edge.kind === 'reachability') attributes.push('style=dashed');
      if (edge.kind === 'exposure' || edge.crossesBoundary || colour !== NEUTRAL_EDGE) attributes.push('penwidth=2');
      if (backwards) attributes.push('dir=back');
      lines.push(`  ${ids.node(tail)} -> ${ids.node(head)} [${attributes.join(', ')}];`);
    }
    for (const node of system.nodes) {
      for (const zone of node.alsoIn) {
        const member = system.nodes.find((candidate) => candidate.zone === zone);
        if (member) lines.push(`  ${ids.node(node.id)} -> ${ids.node(member.id)} [lhead=cluster_${ids.zone(zone)}, style=dotted, arrowhead=none, color="${NEUTRAL_EDGE}", tooltip="also attached to this zone"];`);
      }
    }
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function dotNodeAttributes(node: DiagramNode): string {
  const worst = worstSeverity(node.findings);
  const attributes = [`label=${dotText(nodeText(node))}`, `tooltip=${dotText(findingsText(node.findings, node.label))}`];
  if (node.kind === 'datastore') attributes.push('shape=cylinder', 'style=filled');
  else if (node.kind === 'gateway') attributes.push('shape=hexagon', 'style=filled');
  else if (node.kind === 'external') attributes.push('style="rounded,filled,dashed"');
  else if (node.kind === 'vault') attributes.push('peripheries=2');
  if (worst) attributes.push(`color="${SEVERITY_COLOURS[worst]}"`, 'penwidth=2');
  return attributes.join(', ');
}

/** A DOT double-quoted string. */
function dotText(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

// --- shared ------------------------------------------------------------------------------------

/** Short ids for Mermaid and DOT, numbered in drawing order. */
function idsOf(system: DiagramSystem, prefix: string) {
  const zones = new Map(system.zones.map((zone, index) => [zone.id, `${prefix}z${index}`]));
  const nodes = new Map(system.nodes.map((node, index) => [node.id, `${prefix}n${index}`]));
  return { zone: (id: string) => zones.get(id)!, node: (id: string) => nodes.get(id)! };
}

function trustName(zone: DiagramZone): string {
  return zone.kind === 'no-zone' ? 'no zone' : TRUST_PALETTE[zone.trust ?? 'unassigned'].name;
}

function nodeText(node: DiagramNode): string {
  const kind = NODE_KIND_NAMES[node.kind];
  const marks = [node.tcb ? 'TCB' : '', node.secrets.length > 0 ? `holds ${node.secrets.length} secret${node.secrets.length === 1 ? '' : 's'}` : ''].filter(Boolean);
  return `${node.label} · ${kind}${marks.length > 0 ? ` · ${marks.join(' · ')}` : ''}${countSuffix(node.findings)}`;
}

function edgeText(edge: DiagramEdge): string {
  const missing = edge.missingControls.length > 0 ? ` · lacks ${edge.missingControls.join(', ')}` : '';
  return `${edge.label}${missing}${countSuffix(edge.findings)}`;
}

function edgeColour(edge: DiagramEdge): string {
  const worst = worstSeverity(edge.findings);
  return worst ? SEVERITY_COLOURS[worst] : edge.crossesBoundary ? CROSSING_EDGE : NEUTRAL_EDGE;
}

function countSuffix(findings: readonly DiagramFinding[], where = ''): string {
  if (findings.length === 0) return '';
  return ` · ${findings.length} finding${findings.length === 1 ? '' : 's'}${where ? ` ${where}` : ''} (worst: ${worstSeverity(findings)})`;
}

function findingsText(findings: readonly DiagramFinding[], heading: string): string {
  return [heading, ...sortFindings(findings).map((finding) => `${finding.severity} ${finding.ruleId}: ${finding.message}`)].join('\n');
}

function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, ' ');
}
