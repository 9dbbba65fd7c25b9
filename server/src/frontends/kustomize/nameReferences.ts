import { applyFieldSpec, NAME_REFERENCES, type FieldSpec } from './fieldSpecs';
import { entryOf, kScalar, scalarString, type KMap, type KNode } from './nodes';
import { BuildError } from './problems';
import {
  currentId,
  effectiveNamespace,
  gvkIsClusterScoped,
  gvkSelected,
  idString,
  kindOf,
  nameOf,
  namespaceOf,
  originalId,
  previousIds,
  type Gvk,
  type ResId,
  type Resource,
} from './resource';

/**
 * Fixes references after renames (Kustomize's name-reference transformer, run once at the end of
 * a build): wherever an object names another — a pod's ConfigMap, Secret, ServiceAccount or claim,
 * a RoleBinding's role and subjects, an Ingress's Service, an HPA's target — and the named object
 * was renamed by a prefix, a suffix or a content hash, the reference takes the new name. Objects
 * match on a previous name, kind, namespace reach and prefix/suffix history, as in Kustomize.
 * Throws `BuildError` when a reference could mean two different objects.
 */
export function fixNameReferences(resources: readonly Resource[]): void {
  // Ids do not change while references are fixed: compute each once.
  const facts = new Map<Resource, Facts>(resources.map((resource) => [resource, factsOf(resource)]));
  const work = new Map<Resource, Array<{ spec: FieldSpec; target: Partial<Gvk> }>>();
  for (const reference of NAME_REFERENCES) {
    for (const spec of reference.referrers) {
      for (const resource of resources) {
        if (!gvkSelected(facts.get(resource)!.original.gvk, spec)) continue;
        const list = work.get(resource) ?? [];
        list.push({ spec, target: reference.target });
        work.set(resource, list);
      }
    }
  }
  for (const [referrer, filters] of work) {
    const context: Context = { referrer, facts, candidates: reachableFrom(referrer, resources, facts) };
    for (const { spec, target } of filters) {
      // The referrer was chosen by its original kind; the path applies whatever its kind is now.
      applyFieldSpec(referrer.object, { path: spec.path }, (node, replace) => fixNode(node, replace, context, spec, target), undefined);
    }
  }
}

interface Facts {
  readonly current: ResId;
  readonly namespace: string;
  readonly original: ResId;
  readonly previous: readonly ResId[];
  readonly clusterScoped: boolean;
}

interface Context {
  readonly referrer: Resource;
  readonly facts: ReadonlyMap<Resource, Facts>;
  readonly candidates: readonly Resource[];
}

function factsOf(resource: Resource): Facts {
  const current = currentId(resource);
  return { current, namespace: effectiveNamespace(current), original: originalId(resource), previous: previousIds(resource), clusterScoped: gvkIsClusterScoped(current.gvk) };
}

function fixNode(node: KNode, replace: (next: KNode) => void, context: Context, spec: FieldSpec, target: Partial<Gvk>): void {
  if (node.kind === 'scalar') {
    if (node.data === null) return;
    fixScalar(node, replace, context, spec, target);
  } else if (node.kind === 'map') fixMapping(node, context, spec, target);
  else {
    node.items.forEach((item, index) => {
      if (item.kind === 'scalar') fixScalar(item, (next) => (node.items[index] = next), context, spec, target);
      else if (item.kind === 'map') fixMapping(item, context, spec, target);
      else throw new BuildError(`${spec.path} is expected to hold names or maps with a name`);
    });
  }
}

function fixScalar(node: KNode & { kind: 'scalar' }, replace: (next: KNode) => void, context: Context, spec: FieldSpec, target: Partial<Gvk>): void {
  const oldName = scalarString(node) ?? '';
  const referral = selectReferral(oldName, context.candidates, context, spec, target, false);
  if (!referral || nameOf(referral) === oldName) return;
  replace(kScalar(nameOf(referral), node.origin, node.value));
}

/** A reference that is a map with `name` and maybe `namespace` (RoleBinding subjects, webhook services). */
function fixMapping(node: KMap, context: Context, spec: FieldSpec, target: Partial<Gvk>): void {
  const nameEntry = entryOf(node, 'name');
  if (!nameEntry) throw new BuildError(`${spec.path} of ${idString(context.facts.get(context.referrer)!.current)} has no 'name' field`);
  const namespaceEntry = entryOf(node, 'namespace');
  let pool = context.candidates;
  if (namespaceEntry) {
    const namespace = scalarString(namespaceEntry.value) ?? '';
    const facts = (candidate: Resource) => context.facts.get(candidate)!;
    const byOriginal = pool.filter((candidate) => !gvkIsClusterScoped(facts(candidate).original.gvk) && effectiveNamespace(facts(candidate).original) === namespace);
    pool = byOriginal.length > 0 ? byOriginal : pool.filter((candidate) => !facts(candidate).clusterScoped && facts(candidate).namespace === namespace);
  }
  const oldName = scalarString(nameEntry.value) ?? '';
  const referral = selectReferral(oldName, pool, context, spec, target, true);
  if (!referral) return;
  const newNamespace = namespaceOf(referral);
  if (nameOf(referral) === oldName && newNamespace === '') return;
  nameEntry.value = kScalar(nameOf(referral), nameEntry.value.origin, nameEntry.value.value);
  if (newNamespace === '') return;
  if (namespaceEntry) namespaceEntry.value = kScalar(newNamespace, namespaceEntry.value.origin, namespaceEntry.value.value);
  else node.entries.push({ key: 'namespace', keyOrigin: node.origin, value: kScalar(newNamespace, node.origin) });
}

function selectReferral(oldName: string, candidates: readonly Resource[], context: Context, spec: FieldSpec, target: Partial<Gvk>, compareNamespaces: boolean): Resource | undefined {
  const referrer = context.referrer;
  const previous = (candidate: Resource) => context.facts.get(candidate)!.previous;
  let pool = candidates.filter((candidate) => previous(candidate).some((id) => id.name === oldName));
  pool = pool.filter((candidate) => previous(candidate).some((id) => gvkSelected(id.gvk, target)));
  if (spec.path.endsWith('roleRef/name')) {
    const roleRef = entryOf(referrer.object, 'roleRef')?.value;
    const group = scalarString(roleRef?.kind === 'map' ? entryOf(roleRef, 'apiGroup')?.value : undefined);
    const kind = scalarString(roleRef?.kind === 'map' ? entryOf(roleRef, 'kind')?.value : undefined);
    if (group !== undefined && kind !== undefined) pool = pool.filter((candidate) => previous(candidate).some((id) => gvkSelected(id.gvk, { group, kind })));
  }
  const referrerFacts = context.facts.get(referrer)!;
  const referrerId = referrerFacts.current;
  if (!referrerFacts.clusterScoped) {
    pool = pool.filter((candidate) => {
      const facts = context.facts.get(candidate)!;
      return facts.clusterScoped || facts.current.gvk.kind === 'ServiceAccount' || facts.namespace === referrerFacts.namespace;
    });
  }
  if (pool.length === 1) return pool[0];
  pool = pool.filter((candidate) => sameAffixes(candidate, referrer, true));
  if (pool.length > 1) pool = pool.filter((candidate) => sameAffixes(candidate, referrer, false));
  if (pool.length === 1) return pool[0];
  if (pool.length === 0) return undefined;
  const first = pool[0];
  const identical = pool.every((candidate) => nameOf(candidate) === nameOf(first) && (!compareNamespaces || namespaceOf(candidate) === namespaceOf(first)));
  if (identical) return first;
  throw new BuildError(`the reference to "${oldName}" in ${idString(referrerId)} could mean any of: ${pool.map((candidate) => idString(currentId(candidate))).join(', ')}`, 'conflict');
}

/** Two objects were renamed in the same layers when their prefix and suffix histories end alike. */
function sameAffixes(a: Resource, b: Resource, allowEmpty: boolean): boolean {
  if (allowEmpty) {
    const prefixes = a.prefixes.length === 0 || b.prefixes.length === 0 || sameEnding(a.prefixes, b.prefixes);
    const suffixes = a.suffixes.length === 0 || b.suffixes.length === 0 || sameEnding(a.suffixes, b.suffixes);
    return prefixes && suffixes;
  }
  return sameEnding(a.prefixes, b.prefixes) && sameEnding(a.suffixes, b.suffixes);
}

function sameEnding(a: readonly string[], b: readonly string[]): boolean {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (shorter.length === 0) return longer.length === 0;
  const offset = longer.length - shorter.length;
  return shorter.every((value, i) => longer[i + offset] === value);
}

/** Objects a referrer can name: its namespace, cluster-scoped ones, and namespaces its RoleBinding subjects name. */
function reachableFrom(referrer: Resource, resources: readonly Resource[], facts: ReadonlyMap<Resource, Facts>): Resource[] {
  const referrerId = facts.get(referrer)!.current;
  const referrerNamespace = facts.get(referrer)!.namespace;
  if (facts.get(referrer)!.clusterScoped) return [...resources];
  const subjectNamespaces = new Set<string>();
  if (kindOf(referrer) === 'RoleBinding') {
    const subjects = entryOf(referrer.object, 'subjects')?.value;
    if (subjects?.kind === 'seq') {
      for (const subject of subjects.items) {
        if (subject.kind !== 'map') continue;
        const namespace = entryOf(subject, 'namespace')?.value;
        if (namespace && scalarString(entryOf(subject, 'kind')?.value) === 'ServiceAccount') {
          if (namespace.kind !== 'scalar' || typeof namespace.data !== 'string') throw new BuildError(`a subject of ${idString(referrerId)} has a namespace that is not a string`);
          subjectNamespaces.add(namespace.data);
        }
      }
    }
  }
  return resources.filter((candidate) => {
    const candidateFacts = facts.get(candidate)!;
    return candidateFacts.clusterScoped || candidateFacts.namespace === referrerNamespace || subjectNamespaces.has(candidateFacts.current.namespace);
  });
}
