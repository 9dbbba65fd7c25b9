import type { CodeLens, CodeLensParams } from 'vscode-languageserver';
import { rangeOf } from '../core/tree';
import type { OffsetRange } from '../core/types';
import { ModelIndex, type ArchitectureComponent, type ArchitectureModel } from '../model/architecture';
import { secretsHeld, zonesReaching } from '../model/modelIds';
import { componentsOfService, componentsOfWorkload, systemScopes, type LocatedComponent } from '../model/systems';
import type { ServerContext } from './context';
import { isValidUri, toRange } from './convert';
import { modelScopeAt, workspaceDocuments } from './modelScope';

/**
 * Lenses that say what the model means for the thing under them: on a component, from how many
 * zones it can be reached, how many secrets it holds and how many findings it has; on a compose
 * service or a Kubernetes workload, which component of the model it implements and in which zone.
 * They are information, not commands.
 */
export function codeLenses(context: ServerContext, params: CodeLensParams): CodeLens[] {
  const uri = params?.textDocument?.uri;
  if (!isValidUri(uri)) return [];
  const analysis = context.analysis(uri);
  if (!analysis) return [];
  const lenses: CodeLens[] = [];
  const lens = (offset: number, range: OffsetRange, title: string) => lenses.push({ range: toRange(analysis.lines, { start: range.start + offset, end: range.end + offset }), command: { title, command: '' } });
  const findings = context.findings(uri);
  for (const document of analysis.documents) {
    const own = document.architecture;
    if (own) {
      const model = modelScopeAt(context, uri, document.offset)?.scope.modelOf(own.tree) ?? own;
      for (const component of model.components) {
        if ((component.tree ?? model.tree) !== own.tree) continue;
        const extent = { start: component.range.start, end: Math.max(component.range.end, rangeOf(component.node)?.end ?? component.range.end) };
        const count = findings.filter((finding) => finding.pattern && finding.range.start >= extent.start + document.offset && finding.range.start < extent.end + document.offset).length;
        lens(document.offset, component.range, componentSummary(model, component, count));
      }
    }
  }
  const implementing = deploymentLenses(context, uri);
  for (const item of implementing) lens(item.offset, item.range, item.title);
  return lenses;
}

/** "reachable from 3 zones · holds 2 secrets · 1 finding". */
export function componentSummary(model: ArchitectureModel, component: ArchitectureComponent, findings: number): string {
  const zones = zonesReaching(model, component.id).length;
  const secrets = secretsHeld(model, component.id).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [zones === 0 ? 'reachable from no other zone' : `reachable from ${plural(zones, 'zone')}`, `holds ${plural(secrets, 'secret')}`, plural(findings, 'finding')].join(' · ');
}

/** Compose services and workloads of this file that implement a component of a model. */
function deploymentLenses(context: ServerContext, uri: string): Array<{ offset: number; range: OffsetRange; title: string }> {
  const documents = workspaceDocuments(context);
  const here = documents.filter((document) => document.file === uri && (document.compose || document.kubernetes.length > 0));
  if (here.length === 0) return [];
  const out: Array<{ offset: number; range: OffsetRange; title: string }> = [];
  const describe = (located: readonly LocatedComponent[]) =>
    located
      .map(({ component, part }) => {
        const index = new ModelIndex(part.model);
        const zone = index.zoneOf(component);
        const trust = index.trustOf(zone);
        return `implements component "${component.id}"${zone ? ` · zone ${zone.id}${trust ? ` (${trust})` : ''}` : ' · in no zone'}`;
      })
      .join(' · ');
  for (const scope of systemScopes(documents)) {
    for (const { document, model } of scope.compose) {
      if (!here.includes(document)) continue;
      for (const service of model.services) {
        const located = componentsOfService(scope, service);
        if (located.length > 0) out.push({ offset: document.offset, range: service.keyRange, title: describe(located) });
      }
    }
    for (const { document, object } of scope.kubernetes) {
      if (!here.includes(document) || !object.podSpec) continue;
      const located = componentsOfWorkload(scope, object);
      if (located.length > 0) out.push({ offset: document.offset, range: object.subjectRange, title: describe(located) });
    }
  }
  return out;
}
