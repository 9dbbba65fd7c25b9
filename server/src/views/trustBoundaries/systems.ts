import { generatedUnitOf } from '../../analysis/frontEnds';
import type { AnalyzedDocument } from '../../model/documents';
import { folderOf } from '../../model/systems';

/**
 * The systems of a workspace: one per deployment unit or model file. The trust-boundary view
 * computes zones, components and flows within one system at a time, so nothing is merged by name
 * across files that do not belong together.
 *
 * - A compose file is one system, with `compose.override.yaml` (or `docker-compose.override.yml`)
 *   beside its base file, which Compose merges by default (compose-spec, "Merge and override").
 * - Kubernetes manifests of one folder are one system (`kubectl apply -f dir/`), unless two files
 *   define the same object: then they are alternatives, and each file is its own system.
 * - Each architecture model file (ours or Threagile's) is one system.
 * - A Kustomize build is one system; a chart's rendered templates are manifests of the chart's
 *   templates folder (`helm template` renders the chart as one release).
 */
export interface ViewedSystem {
  /** `compose:FILE`, `kubernetes:FILE`, `kubernetes:FOLDER/`, `architecture:FILE`, `threagile:FILE`. */
  readonly id: string;
  readonly kind: 'compose' | 'kubernetes' | 'architecture' | 'threagile';
  /** The first names the system (the base file of a compose project); the rest sorted. */
  readonly files: readonly string[];
  readonly documents: readonly AnalyzedDocument[];
}

export function viewedSystems(documents: readonly AnalyzedDocument[]): ViewedSystem[] {
  const systems: ViewedSystem[] = [];
  const composeFiles = new Set(documents.filter((document) => document.compose).map((document) => document.file));
  const composeByProject = groupBy(
    documents.filter((document) => document.compose),
    (document) => composeProjectFile(document.file, composeFiles),
  );
  for (const [file, group] of composeByProject) {
    systems.push({ id: `compose:${file}`, kind: 'compose', files: [file, ...unique(group.map((document) => document.file)).filter((other) => other !== file)], documents: group.map((document) => ({ ...document, kubernetes: [], architecture: undefined })) });
  }
  const manifests = documents.filter((document) => document.kubernetes.length > 0).map((document) => ({ ...document, compose: undefined, architecture: undefined }));
  // Each Kustomize build is a deployment of its own: two overlays of one base are alternatives.
  const builds = manifests.filter((document) => generatedUnitOf(document.file)?.kind === 'kustomize');
  for (const [file, group] of groupBy(builds, (document) => document.file)) systems.push({ id: `kubernetes:${file}`, kind: 'kubernetes', files: [file], documents: group });
  const plainOrRendered = manifests.filter((document) => generatedUnitOf(document.file)?.kind !== 'kustomize');
  for (const [folder, group] of groupBy(plainOrRendered, manifestFolder)) {
    if (definesAnObjectTwice(group) || new Set(group.map((document) => document.file)).size === 1) {
      for (const [file, fileGroup] of groupBy(group, (document) => document.file)) systems.push({ id: `kubernetes:${file}`, kind: 'kubernetes', files: [file], documents: fileGroup });
    } else {
      systems.push({ id: `kubernetes:${folder}/`, kind: 'kubernetes', files: unique(group.map((document) => document.file)), documents: group });
    }
  }
  const models = documents.filter((document) => document.architecture).map((document) => ({ ...document, compose: undefined, kubernetes: [] }));
  for (const [file, group] of groupBy(models, (document) => document.file)) {
    const kind = group[0].architecture!.dialect === 'threagile' ? 'threagile' : 'architecture';
    systems.push({ id: `${kind}:${file}`, kind, files: [file], documents: group });
  }
  return systems.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const OVERRIDE = /^(.*[/\\])?(compose|docker-compose)\.override\.(ya?ml)$/;

/** The file Compose merges `file` into by default: `compose.override.yaml` → `compose.yaml` beside it, when that is known. */
export function composeProjectFile(file: string, composeFiles: ReadonlySet<string>): string {
  const match = OVERRIDE.exec(file);
  if (!match) return file;
  const base = `${match[1] ?? ''}${match[2]}.${match[3]}`;
  return composeFiles.has(base) ? base : file;
}

function definesAnObjectTwice(documents: readonly AnalyzedDocument[]): boolean {
  const seen = new Map<string, string>();
  for (const document of documents) {
    for (const object of document.kubernetes) {
      if (!object.name) continue;
      const identity = `${object.namespace ?? 'default'}/${object.kind}/${object.name}`;
      const first = seen.get(identity);
      if (first !== undefined && first !== document.file) return true;
      seen.set(identity, document.file);
    }
  }
  return false;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A file of a system named for people: `display(file)`, or for a rendered chart template or an
 * overlay's build (a unit id, never a real file) its source so named, with ", rendered" or
 * ", Kustomize build".
 */
/** The folder a manifest is grouped by: its own, or for a rendered chart template its chart's templates folder (`chartTemplatesFolder`). */
function manifestFolder(document: AnalyzedDocument): string {
  const unit = generatedUnitOf(document.file);
  return unit?.kind === 'helm' ? chartTemplatesFolder(unit.source) : folderOf(document.file);
}

/**
 * `<chart>/templates` of a chart template's path (`argo-cd/templates/server/deployment.yaml` →
 * `argo-cd/templates`): the templates of one chart are one release, in subfolders or not. A
 * subchart (`<chart>/charts/<name>/templates/…`) stays a system of its own: the view cannot tell it
 * from a chart a repository keeps in a `charts/` folder, which is no release of the folder above.
 * The file's folder when the path has no `templates` folder.
 */
export function chartTemplatesFolder(template: string): string {
  const slashed = `/${template}`;
  const at = slashed.lastIndexOf('/templates/');
  if (at === -1) return folderOf(template);
  return at === 0 ? 'templates' : `${slashed.slice(1, at)}/templates`;
}

export function fileLabel(file: string, display: (file: string) => string): string {
  const unit = generatedUnitOf(file);
  return unit ? `${display(unit.source)}, ${unit.kind === 'kustomize' ? 'Kustomize build' : 'rendered'}` : display(file);
}

/**
 * A system named for people: a folder of manifests or a chart's rendered templates by the folder
 * (`k8s/`, `argo-cd/templates/, rendered Helm chart`), any other by its files joined with " + "
 * (`fileLabel`). `display` names a real file (relative to what the reader knows).
 */
export function systemLabel(system: ViewedSystem, display: (file: string) => string): string {
  if (!system.id.endsWith('/')) return system.files.map((file) => fileLabel(file, display)).join(' + ');
  const unit = generatedUnitOf(system.files[0]);
  if (unit?.kind === 'helm') return `${chartTemplatesFolder(display(unit.source))}/, rendered Helm chart`;
  const folder = folderOf(display(system.files[0]));
  return `${folder === '' ? '.' : folder}/`;
}
