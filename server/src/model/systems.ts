import type { AnalyzedDocument } from './documents';
import type { ArchitectureComponent, ArchitectureModel } from './architecture';
import type { ComposeModel, ComposeService } from './compose';
import type { KubernetesObject } from './kubernetes';

/**
 * How models and deployments find each other in a workspace: a model may be split over several
 * files of one folder, and a compose file or manifest belongs to the nearest folder at or above
 * it that holds a model (so `examples/shop/` and `examples/shop/fixed/` are separate systems).
 */

export interface ModelPart {
  readonly document: AnalyzedDocument;
  readonly model: ArchitectureModel;
}

export interface SystemScope {
  readonly folder: string;
  readonly models: readonly ModelPart[];
  readonly compose: ReadonlyArray<{ readonly document: AnalyzedDocument; readonly model: ComposeModel }>;
  readonly kubernetes: ReadonlyArray<{ readonly document: AnalyzedDocument; readonly object: KubernetesObject }>;
}

export function folderOf(file: string): string {
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return slash === -1 ? '.' : file.slice(0, slash);
}

/** Model documents grouped by folder, one dialect at a time (Threagile ids are not ours). */
export function modelsByFolder(documents: readonly AnalyzedDocument[], dialect: ArchitectureModel['dialect']): Map<string, ModelPart[]> {
  const byFolder = new Map<string, ModelPart[]>();
  for (const document of documents) {
    const model = document.architecture;
    if (!model || model.dialect !== dialect) continue;
    const folder = folderOf(document.file);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), { document, model }]);
  }
  return byFolder;
}

/** Systems: each model folder of our format with the deployment documents that belong to it. */
export function systemScopes(documents: readonly AnalyzedDocument[]): SystemScope[] {
  const models = modelsByFolder(documents, 'securebydesign');
  if (models.size === 0) return [];
  const folders = [...models.keys()].sort((a, b) => b.length - a.length);
  const scopes = new Map<string, { folder: string; models: ModelPart[]; compose: SystemScope['compose'][number][]; kubernetes: SystemScope['kubernetes'][number][] }>();
  for (const [folder, parts] of models) scopes.set(folder, { folder, models: parts, compose: [], kubernetes: [] });
  for (const document of documents) {
    if (!document.compose && document.kubernetes.length === 0) continue;
    const folder = folderOf(document.file);
    const owner = folders.find((candidate) => folder === candidate || folder.startsWith(`${candidate}/`));
    if (!owner) continue;
    const scope = scopes.get(owner)!;
    if (document.compose) scope.compose.push({ document, model: document.compose });
    for (const object of document.kubernetes) scope.kubernetes.push({ document, object });
  }
  return [...scopes.values()];
}

export interface LocatedComponent {
  readonly component: ArchitectureComponent;
  readonly part: ModelPart;
}

export function componentsOf(scope: SystemScope): LocatedComponent[] {
  return scope.models.flatMap((part) => part.model.components.map((component) => ({ component, part })));
}

function hasMapping(component: ArchitectureComponent): boolean {
  return component.implementedBy.compose.length > 0 || component.implementedBy.kubernetes.length > 0;
}

/** Components a compose service implements: named in `implementedBy.compose`, or (unmapped components) the same name. */
export function componentsOfService(scope: SystemScope, service: ComposeService): LocatedComponent[] {
  return componentsOf(scope).filter(({ component }) => component.implementedBy.compose.some((ref) => ref.value === service.name) || (!hasMapping(component) && component.id === service.name));
}

/** Components a Kubernetes workload implements: `name`, `Kind/name` or `namespace/Kind/name`, or the same name. */
export function componentsOfWorkload(scope: SystemScope, object: KubernetesObject): LocatedComponent[] {
  const name = object.name;
  if (!name) return [];
  const namespace = object.namespace ?? 'default';
  const spellings = new Set([name, `${object.kind}/${name}`, `${namespace}/${object.kind}/${name}`, `${namespace}/${name}`]);
  return componentsOf(scope).filter(({ component }) => component.implementedBy.kubernetes.some((ref) => spellings.has(ref.value)) || (!hasMapping(component) && component.id === name));
}

/** Networks a compose service joins; `default` when it names none (host networking: none). */
export function serviceNetworks(model: ComposeModel, service: ComposeService): string[] {
  if (service.node && model.tree.string(service.node, 'network_mode') !== undefined) return [];
  return service.networks.length > 0 ? service.networks.map((network) => network.name) : ['default'];
}
