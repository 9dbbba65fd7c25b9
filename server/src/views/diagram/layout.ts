import type { ElkExtendedEdge, ElkNode, LayoutOptions } from 'elkjs/lib/elk-api';
import { trustOrder, type DiagramEdge, type DiagramGraph, type DiagramNode, type DiagramSystem, type DiagramZone } from './graph';
import { CHAR_WIDTH, EMPTY_ZONE_HEIGHT, EMPTY_ZONE_WIDTH, MARGIN, NODE_HEIGHT, nodeWidth, SYSTEM_GAP, SYSTEM_HEADER, SYSTEM_HEADER_RESERVE, SYSTEM_LABEL_SIZE, SYSTEM_PADDING, ZONE_HEADER, ZONE_PADDING } from './style';

/**
 * Places the diagram with the Eclipse Layout Kernel's layered algorithm (elkjs): zones become
 * nested boxes, components the boxes inside them, and arrows orthogonal polylines routed around
 * boxes. Trust order is imposed on ELK, not hoped for: arrows that point from a more trusted zone
 * to a less trusted one are given to ELK reversed (and turned back afterwards), and sibling zones
 * of consecutive trust levels are chained by ordering edges that are never drawn. So the least
 * trusted zone is leftmost and zones without a level come last whatever the arrows say.
 *
 * Pure: the ELK instance is passed in (`LayoutEngine`), so hosts decide where it runs (the
 * language server in a worker thread, the CLI and tests in-process).
 */

/** What the layout needs of ELK: the `layout` method of an `ELK` instance from elkjs. */
export interface LayoutEngine {
  layout(graph: ElkNode): Promise<ElkNode>;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface SystemLayout {
  readonly system: DiagramSystem;
  /** In drawing coordinates, like every box and point below. */
  readonly box: Box;
  /** Parents before children. */
  readonly zones: ReadonlyArray<{ readonly zone: DiagramZone; readonly box: Box }>;
  readonly nodes: ReadonlyArray<{ readonly node: DiagramNode; readonly box: Box }>;
  /** Points run from the edge's `from` to its `to`. */
  readonly edges: ReadonlyArray<{ readonly edge: DiagramEdge; readonly points: readonly Point[] }>;
  /** A node's attachment to a further zone (`alsoIn`), from the node to the zone's box. */
  readonly links: ReadonlyArray<{ readonly node: string; readonly zone: string; readonly points: readonly Point[] }>;
  /** Set when the system is not laid out (too large, or the layout failed): it is drawn as a box with this sentence. */
  readonly omitted?: string;
}

export interface DiagramLayout {
  readonly graph: DiagramGraph;
  readonly width: number;
  readonly height: number;
  readonly systems: readonly SystemLayout[];
}

/** Beyond these, a system is not laid out: the layered algorithm's time grows quickly and the picture stops being readable. */
export const LAYOUT_LIMITS = { nodes: 300, edges: 800 } as const;

const OMITTED_HEIGHT = 64;

const ROOT_OPTIONS: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.randomSeed': '1',
  'elk.spacing.nodeNode': '18',
  'elk.layered.spacing.nodeNodeBetweenLayers': '44',
  'elk.spacing.edgeNode': '14',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.spacing.edgeEdge': '8',
  'elk.padding': `[top=${SYSTEM_HEADER},left=${SYSTEM_PADDING},bottom=${SYSTEM_PADDING},right=${SYSTEM_PADDING}]`,
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
};

/** ELK ids are prefixed by what they stand for: zone and node ids of the graph may coincide. */
const zoneKey = (id: string) => `z:${id}`;
const nodeKey = (id: string) => `n:${id}`;
const edgeKey = (id: string) => `e:${id}`;
const LINK_PREFIX = 'l:';
const ORDER_PREFIX = 'o:';

/**
 * The ELK input for one system. Deterministic: the same system gives the same JSON, which
 * `cachingEngine` uses as its key. Findings play no part, so typing that only changes findings
 * re-uses the layout.
 */
export function elkGraphOf(system: DiagramSystem): ElkNode {
  const zones = new Map(system.zones.map((zone) => [zone.id, zone]));
  const { rankOfZone, edgeBackwards, linkBackwards } = trustDirection(system);

  const elkZones = new Map<string, ElkNode>();
  const roots: ElkNode[] = [];
  for (const zone of system.zones) {
    const element: ElkNode = {
      id: zoneKey(zone.id),
      layoutOptions: {
        'elk.padding': `[top=${ZONE_HEADER},left=${ZONE_PADDING},bottom=${ZONE_PADDING},right=${ZONE_PADDING}]`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        'elk.nodeSize.minimum': `(${headerWidth(zone)},${ZONE_HEADER + EMPTY_ZONE_HEIGHT})`,
      },
      children: [],
    };
    elkZones.set(zone.id, element);
    const parent = zone.parent !== undefined ? elkZones.get(zone.parent) : undefined;
    (parent ? parent.children! : roots).push(element);
  }
  for (const node of system.nodes) {
    const parent = elkZones.get(node.zone);
    const element: ElkNode = { id: nodeKey(node.id), width: nodeWidth(node), height: NODE_HEIGHT };
    (parent ? parent.children! : roots).push(element);
  }
  // A zone with nothing inside is a plain box to ELK.
  for (const zone of system.zones) {
    const element = elkZones.get(zone.id)!;
    if (element.children!.length > 0) continue;
    delete element.children;
    element.width = Math.max(EMPTY_ZONE_WIDTH, headerWidth(zone));
    element.height = ZONE_HEADER + EMPTY_ZONE_HEIGHT;
  }

  const edges: ElkExtendedEdge[] = [];
  const known = new Set(system.nodes.map((node) => node.id));
  for (const edge of system.edges) {
    if (!known.has(edge.from) || !known.has(edge.to) || edge.from === edge.to) continue;
    const [source, target] = edgeBackwards(edge) ? [edge.to, edge.from] : [edge.from, edge.to];
    edges.push({ id: edgeKey(edge.id), sources: [nodeKey(source)], targets: [nodeKey(target)] });
  }
  for (const node of system.nodes) {
    for (const zone of node.alsoIn) {
      if (!zones.has(zone) || zone === node.zone) continue;
      const [source, target] = linkBackwards(node, zone) ? [zoneKey(zone), nodeKey(node.id)] : [nodeKey(node.id), zoneKey(zone)];
      edges.push({ id: `${LINK_PREFIX}${node.id}\u0000${zone}`, sources: [source], targets: [target] });
    }
  }
  edges.push(...orderingEdges(system.zones, rankOfZone));
  return { id: `system:${system.id}`, layoutOptions: ROOT_OPTIONS, children: roots, edges };
}

/** Which arrows ELK gets reversed: those that point to a less trusted zone than they start in. */
function trustDirection(system: DiagramSystem) {
  const zones = new Map(system.zones.map((zone) => [zone.id, zone]));
  const nodeZone = new Map(system.nodes.map((node) => [node.id, node.zone]));
  const rankOfZone = (id: string | undefined) => trustOrder(id === undefined ? undefined : zones.get(id)?.trust);
  const rankOfNode = (id: string) => rankOfZone(nodeZone.get(id));
  return {
    rankOfZone,
    edgeBackwards: (edge: DiagramEdge) => rankOfNode(edge.from) > rankOfNode(edge.to),
    linkBackwards: (node: DiagramNode, zone: string) => rankOfZone(zone) < rankOfNode(node.id),
  };
}

/** Chains sibling zones of consecutive trust levels, so ELK puts each level in a later layer. */
function orderingEdges(zones: readonly DiagramZone[], rankOf: (id: string) => number): ElkExtendedEdge[] {
  const siblings = new Map<string, DiagramZone[]>();
  for (const zone of zones) {
    const key = zone.parent ?? '';
    siblings.set(key, [...(siblings.get(key) ?? []), zone]);
  }
  const edges: ElkExtendedEdge[] = [];
  for (const group of siblings.values()) {
    const byRank = new Map<number, DiagramZone[]>();
    for (const zone of group) byRank.set(rankOf(zone.id), [...(byRank.get(rankOf(zone.id)) ?? []), zone]);
    const ranks = [...byRank.keys()].sort((a, b) => a - b);
    for (let index = 0; index + 1 < ranks.length; index++) {
      const lower = byRank.get(ranks[index])!;
      const higher = byRank.get(ranks[index + 1])!;
      // Every pair is exact; past 64 pairs a fan through the first and last zone keeps the edge count linear.
      const pairs = lower.length * higher.length <= 64 ? lower.flatMap((a) => higher.map((b) => [a, b] as const)) : [...lower.map((a) => [a, higher[0]] as const), ...higher.map((b) => [lower[lower.length - 1], b] as const)];
      for (const [a, b] of pairs) edges.push({ id: `${ORDER_PREFIX}${a.id}\u0000${b.id}`, sources: [zoneKey(a.id)], targets: [zoneKey(b.id)] });
    }
  }
  return edges;
}

function systemHeaderWidth(system: DiagramSystem): number {
  return Math.ceil(system.label.length * SYSTEM_LABEL_SIZE * CHAR_WIDTH) + SYSTEM_HEADER_RESERVE;
}

function headerWidth(zone: DiagramZone): number {
  return Math.ceil((zone.label.length + 16) * 11 * CHAR_WIDTH) + 2 * ZONE_PADDING;
}

/**
 * Lays out every system and stacks them top to bottom. Never rejects: a system that is too
 * large or that ELK fails on is drawn as a box saying so, and the others are still laid out.
 */
export async function layoutDiagram(graph: DiagramGraph, engine: LayoutEngine): Promise<DiagramLayout> {
  const systems: SystemLayout[] = [];
  let y = MARGIN;
  let width = 0;
  for (const system of graph.systems) {
    const placed = await layoutSystem(system, engine, MARGIN, y);
    systems.push(placed);
    y += placed.box.height + SYSTEM_GAP;
    width = Math.max(width, placed.box.width);
  }
  return { graph, width: Math.ceil(width + 2 * MARGIN), height: Math.ceil(graph.systems.length === 0 ? 2 * MARGIN : y - SYSTEM_GAP + MARGIN), systems };
}

async function layoutSystem(system: DiagramSystem, engine: LayoutEngine, dx: number, dy: number): Promise<SystemLayout> {
  const omitted = (reason: string): SystemLayout => ({ system, box: { x: dx, y: dy, width: Math.max(640, systemHeaderWidth(system)), height: OMITTED_HEIGHT }, zones: [], nodes: [], edges: [], links: [], omitted: reason });
  if (system.nodes.length > LAYOUT_LIMITS.nodes || system.edges.length > LAYOUT_LIMITS.edges) {
    return omitted(`${system.nodes.length} components and ${system.edges.length} arrows are more than one picture can show (at most ${LAYOUT_LIMITS.nodes} and ${LAYOUT_LIMITS.edges}); draw a single file or folder instead.`);
  }
  let result: ElkNode;
  try {
    result = await engine.layout(elkGraphOf(system));
  } catch (error) {
    return omitted(`the layout failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const shapes = new Map<string, Box>();
  const collect = (element: ElkNode) => {
    for (const child of element.children ?? []) {
      shapes.set(child.id, { x: dx + (child.x ?? 0), y: dy + (child.y ?? 0), width: child.width ?? 0, height: child.height ?? 0 });
      collect(child);
    }
  };
  collect(result);
  const routes = new Map<string, Point[]>();
  for (const edge of result.edges ?? []) {
    const section = edge.sections?.[0];
    if (!section) continue;
    routes.set(edge.id, [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((point) => ({ x: dx + point.x, y: dy + point.y })));
  }
  const zones = system.zones.flatMap((zone) => (shapes.has(zoneKey(zone.id)) ? [{ zone, box: shapes.get(zoneKey(zone.id))! }] : []));
  const nodes = system.nodes.flatMap((node) => (shapes.has(nodeKey(node.id)) ? [{ node, box: shapes.get(nodeKey(node.id))! }] : []));
  const { edgeBackwards, linkBackwards } = trustDirection(system);
  // Routes of arrows ELK got reversed start at our target: turn them back.
  const edges = system.edges.flatMap((edge) => {
    const route = routes.get(edgeKey(edge.id));
    return route ? [{ edge, points: edgeBackwards(edge) ? [...route].reverse() : route }] : [];
  });
  const links = system.nodes.flatMap((node) =>
    node.alsoIn.flatMap((zone) => {
      const route = routes.get(`${LINK_PREFIX}${node.id}\u0000${zone}`);
      return route ? [{ node: node.id, zone, points: linkBackwards(node, zone) ? [...route].reverse() : route }] : [];
    }),
  );
  // The header names the system's files: the box is at least as wide as that line.
  return { system, box: { x: dx, y: dy, width: Math.max(result.width ?? 0, systemHeaderWidth(system)), height: result.height ?? 0 }, zones, nodes, edges, links };
}

/**
 * Remembers the last `size` layouts by their ELK input, so a diagram redrawn because findings
 * changed (the usual case while typing) costs no layout at all.
 */
export function cachingEngine(engine: LayoutEngine, size = 16): LayoutEngine {
  const cache = new Map<string, Promise<ElkNode>>();
  return {
    layout(graph: ElkNode): Promise<ElkNode> {
      const key = JSON.stringify(graph);
      const hit = cache.get(key);
      if (hit) {
        cache.delete(key);
        cache.set(key, hit);
        return hit.then(clone);
      }
      const pending = engine.layout(clone(graph));
      cache.set(key, pending);
      pending.catch(() => cache.delete(key));
      while (cache.size > size) cache.delete(cache.keys().next().value!);
      return pending.then(clone);
    },
  };
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
