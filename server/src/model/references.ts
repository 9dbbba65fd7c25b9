import { scalarText, valueTextRange } from '../core/tree';
import type { OffsetRange } from '../core/types';
import type { AnalyzedDocument } from './documents';
import { declaredContainers, namespaceOf, type KubernetesObject } from './kubernetes';
import { podIdentity } from './serviceAccounts';

/** Kinds whose objects a pod spec names: what a reference must find in its namespace. */
export type ReferencedKind = 'Secret' | 'ConfigMap' | 'ServiceAccount';

/** A pod spec's reference by name to an object of its namespace that it cannot start without. */
export interface ObjectReference {
  readonly kind: ReferencedKind;
  readonly name: string;
  readonly range: OffsetRange;
  /** How the pod uses it: `secretKeyRef`, `envFrom.configMapRef`, `volume "certs"`, `serviceAccountName`. */
  readonly via: string;
}

const TEMPLATED = /\{\{|\$\{|\$\(/;

/**
 * The Secrets, ConfigMaps and ServiceAccount a pod spec needs to start: references marked
 * `optional: true` are left out (the kubelet starts the pod without them), and so are names an
 * interpolation decides.
 */
export function requiredReferences(object: KubernetesObject): ObjectReference[] {
  const spec = object.podSpec;
  if (!spec) return [];
  const tree = object.tree;
  const found: ObjectReference[] = [];
  const add = (kind: ReferencedKind, holder: unknown, key: string, via: string) => {
    if (!holder || tree.boolean(holder, 'optional') === true) return;
    const node = tree.get(holder, key);
    const name = scalarText(node)?.trim();
    const range = valueTextRange(tree.text, node);
    if (!name || !range || TEMPLATED.test(name)) return;
    found.push({ kind, name, range, via });
  };
  for (const container of declaredContainers(object)) {
    for (const item of tree.items(tree.get(container.node, 'env'))) {
      const valueFrom = tree.get(item, 'valueFrom');
      add('Secret', tree.get(valueFrom, 'secretKeyRef'), 'name', 'secretKeyRef');
      add('ConfigMap', tree.get(valueFrom, 'configMapKeyRef'), 'name', 'configMapKeyRef');
    }
    for (const item of tree.items(tree.get(container.node, 'envFrom'))) {
      add('Secret', tree.get(item, 'secretRef'), 'name', 'envFrom.secretRef');
      add('ConfigMap', tree.get(item, 'configMapRef'), 'name', 'envFrom.configMapRef');
    }
  }
  for (const volume of tree.items(tree.get(spec.node, 'volumes'))) {
    const volumeName = tree.string(volume, 'name') ?? '?';
    add('Secret', tree.get(volume, 'secret'), 'secretName', `volume "${volumeName}"`);
    add('ConfigMap', tree.get(volume, 'configMap'), 'name', `volume "${volumeName}"`);
    for (const source of tree.items(tree.get(tree.get(volume, 'projected'), 'sources'))) {
      add('Secret', tree.get(source, 'secret'), 'name', `projected volume "${volumeName}"`);
      add('ConfigMap', tree.get(source, 'configMap'), 'name', `projected volume "${volumeName}"`);
    }
  }
  const identity = podIdentity(object);
  if (identity?.range && identity.name !== 'default' && !TEMPLATED.test(identity.name)) found.push({ kind: 'ServiceAccount', name: identity.name, range: identity.range, via: 'serviceAccountName' });
  return found;
}

/**
 * Objects of each kind the analysed documents define per namespace, by name, counting what
 * operators create from a custom resource of the same files: a SealedSecret or ExternalSecret
 * (its target name) makes a Secret, a cert-manager Certificate its `secretName`. `undefined` for a
 * kind no analysed document defines in that namespace: absence is then not evidence.
 */
export class DefinedObjects {
  private readonly names = new Map<string, Set<string>>();
  /** `kind/name` of every object defined anywhere, whatever its namespace (an object without one goes where it is applied). */
  private readonly anywhere = new Set<string>();
  /** Namespaces holding a Kustomization, HelmRelease or similar: generators make objects out of sight. */
  private readonly generated = new Set<string>();
  /** Custom resources per namespace: operators may create pods from them. */
  readonly customResources = new Map<string, KubernetesObject[]>();

  constructor(documents: readonly AnalyzedDocument[]) {
    for (const document of documents) {
      for (const object of document.kubernetes) {
        const namespace = namespaceOf(object);
        const name = object.name;
        if (/^(Kustomization|HelmRelease|HelmChart|Application|ApplicationSet)$/.test(object.kind)) this.generated.add(namespace);
        if (name === undefined) continue;
        const file = document.file;
        if (['Secret', 'ConfigMap', 'ServiceAccount'].includes(object.kind) && object.apiVersion === 'v1') this.add(object.kind, namespace, name, file);
        else if (object.kind === 'SealedSecret') this.add('Secret', namespace, name, file);
        else if (object.kind === 'ExternalSecret') this.add('Secret', namespace, object.tree.string(object.tree.map(object.tree.map(object.root, 'spec'), 'target'), 'name') ?? name, file);
        else if (object.kind === 'Certificate' && object.apiVersion.startsWith('cert-manager.io/')) {
          const secretName = object.tree.string(object.tree.map(object.root, 'spec'), 'secretName');
          if (secretName) this.add('Secret', namespace, secretName, file);
        }
        if (object.apiVersion.includes('.') && !/\.k8s\.io\/|^apps\/|^batch\//.test(object.apiVersion) && !object.podSpec) {
          this.customResources.set(namespace, [...(this.customResources.get(namespace) ?? []), object]);
        }
      }
    }
  }

  private add(kind: string, namespace: string, name: string, file: string): void {
    for (const key of [`${kind}/${namespace}`, `${kind}/${namespace}/${file}`]) {
      const set = this.names.get(key) ?? new Set<string>();
      set.add(name);
      this.names.set(key, set);
    }
    this.anywhere.add(`${kind}/${name}`);
  }

  /**
   * Names of `kind` defined in `namespace` (by `file` alone, when given), or undefined when none
   * is, or when generators may add some.
   */
  defined(kind: ReferencedKind, namespace: string, file?: string): ReadonlySet<string> | undefined {
    if (this.generated.has(namespace)) return undefined;
    return this.names.get(file === undefined ? `${kind}/${namespace}` : `${kind}/${namespace}/${file}`);
  }

  /** Whether any analysed file defines an object of `kind` named `name`, in any namespace. */
  definedAnywhere(kind: ReferencedKind, name: string): boolean {
    return this.anywhere.has(`${kind}/${name}`);
  }
}

/** Names every namespace has without a manifest: the kube-root-ca.crt ConfigMap and the default ServiceAccount. */
export function builtIn(kind: ReferencedKind, name: string): boolean {
  return (kind === 'ConfigMap' && name === 'kube-root-ca.crt') || (kind === 'ServiceAccount' && name === 'default');
}

/** Levenshtein distance, capped: `undefined` beyond `limit` (names are short; the cap keeps it cheap). */
export function nameDistance(a: string, b: string, limit = 2): number | undefined {
  if (Math.abs(a.length - b.length) > limit) return undefined;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (Math.min(...current) > limit) return undefined;
    previous = current;
  }
  return previous[b.length] <= limit ? previous[b.length] : undefined;
}
