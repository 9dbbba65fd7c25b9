import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultOptions } from '../../server/src/core/options';
import { LineIndex } from '../../server/src/core/positions';
import { ALL_RULES, KNOWN_RULE_IDS } from '../../server/src/rules';
import { buildDiagramGraph, type DiagramScope } from '../../server/src/views/diagram/fromBoundaries';
import { trustBoundaryView } from '../../server/src/views/trustBoundaries';
import type { DiagramGraph, DiagramNode, DiagramSystem } from '../../server/src/views/diagram/graph';
import { WorkspaceAnalysis } from '../../server/src/analysis/workspaceAnalysis';

export const REPO_ROOT = path.join(__dirname, '..', '..');
export const CORPUS = path.join(REPO_ROOT, '..', 'shared', 'corpus');

/** Skips the calling suite with a visible note when the shared corpus is missing; fails instead under CI. */
export function requireCorpus(context: Mocha.Context): void {
  if (fs.existsSync(CORPUS)) return;
  if (process.env.CI === 'true') throw new Error(`the shared corpus is missing (expected beside the repository at ${path.relative(REPO_ROOT, CORPUS)})`);
  console.log('      (skipped: the shared corpus is not beside the repository)');
  context.skip();
}

export interface LoadedWorkspace {
  readonly workspace: WorkspaceAnalysis;
  readonly files: readonly string[];
  graph(scope?: DiagramScope): DiagramGraph;
}

/**
 * The YAML files under `paths` (relative to `root`), analysed as the language server would, with
 * file ids relative to `root` so that drawings carry no machine paths.
 */
export function loadWorkspace(root: string, paths: readonly string[]): LoadedWorkspace {
  const files: string[] = [];
  const walk = (relative: string) => {
    const full = path.join(root, relative);
    if (fs.statSync(full).isDirectory()) for (const entry of fs.readdirSync(full).sort()) walk(path.posix.join(relative, entry));
    else if (/\.ya?ml$/i.test(relative)) files.push(relative);
  };
  for (const item of paths) walk(item);
  const workspace = new WorkspaceAnalysis(ALL_RULES, KNOWN_RULE_IDS, defaultOptions({ today: '2026-01-01' }));
  for (const file of files) workspace.setDiskText(file, fs.readFileSync(path.join(root, file), 'utf8'));
  return { workspace, files, graph: (scope) => graphOf(workspace, files, scope) };
}

/** A workspace of in-memory texts (file id → text). */
export function textWorkspace(texts: Record<string, string>): LoadedWorkspace {
  const workspace = new WorkspaceAnalysis(ALL_RULES, KNOWN_RULE_IDS, defaultOptions({ today: '2026-01-01' }));
  for (const [file, text] of Object.entries(texts)) workspace.setDiskText(file, text);
  const files = Object.keys(texts);
  return { workspace, files, graph: (scope) => graphOf(workspace, files, scope) };
}

function graphOf(workspace: WorkspaceAnalysis, files: readonly string[], scope?: DiagramScope): DiagramGraph {
  const documents = files.flatMap((file) => workspace.analysis(file)?.documents ?? []);
  return buildDiagramGraph(trustBoundaryView(documents, workspace.options), { findings: (file) => workspace.findings(file), lines: (file) => lineIndex(workspace, file) }, scope);
}

function lineIndex(workspace: WorkspaceAnalysis, file: string): LineIndex | undefined {
  const text = workspace.activeText(file);
  return text === undefined ? undefined : new LineIndex(text);
}

export function system(graph: DiagramGraph, label: string): DiagramSystem {
  const found = graph.systems.find((candidate) => candidate.label === label);
  if (!found) throw new Error(`no system "${label}" (have ${graph.systems.map((s) => s.label).join(', ')})`);
  return found;
}

export function node(of: DiagramSystem, label: string): DiagramNode {
  const found = of.nodes.find((candidate) => candidate.label === label);
  if (!found) throw new Error(`no component "${label}" in ${of.label} (have ${of.nodes.map((n) => n.label).join(', ')})`);
  return found;
}

export function zoneLabel(of: DiagramSystem, id: string): string {
  return of.zones.find((zone) => zone.id === id)?.label ?? `?${id}`;
}

/** `from → to (kind): rule ids`, one line per arrow, labels instead of ids: what the assertions compare. */
export function arrows(of: DiagramSystem): string[] {
  const label = (id: string) => of.nodes.find((candidate) => candidate.id === id)?.label ?? id;
  return of.edges.map((edge) => `${label(edge.from)} → ${label(edge.to)} (${edge.kind})${edge.findings.length > 0 ? `: ${edge.findings.map((f) => f.ruleId).sort().join(',')}` : ''}`).sort();
}

/** Every finding the system shows, wherever it sits. */
export function findingsShown(of: DiagramSystem): number {
  return of.otherFindings.length + [...of.zones, ...of.nodes, ...of.edges].reduce((sum, element) => sum + element.findings.length, 0);
}

/**
 * A small XML well-formedness check (tags nest and close, attributes are quoted, entities are
 * known): enough to catch a renderer that forgets to escape. Returns the problems found.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const token = /<!--[\s\S]*?-->|<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/g;
  for (const match of xml.matchAll(token)) {
    if (match[0].startsWith('<!--')) continue;
    if (match[0] === '<') {
      problems.push(`stray "<" at ${match.index}: ${xml.slice(match.index!, match.index! + 40)}`);
      continue;
    }
    if (match[0].startsWith('&')) {
      problems.push(`bare "&" at ${match.index}: ${xml.slice(match.index!, match.index! + 20)}`);
      continue;
    }
    const [, closing, name, , selfClosing] = match;
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open}>`);
    } else if (!selfClosing) stack.push(name);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  return problems;
}
