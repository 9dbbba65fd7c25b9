import { defineRule } from '../rule';
import { readLabels, readSelector, matches } from '../../model/labels';
import { rangeOf } from '../../core/tree';
import type { OffsetRange } from '../../core/types';
import type { KubernetesObject } from '../../model/kubernetes';
import { MODEL_HEADER, quoteList } from '../shared/architecture';
import { componentsOfService, componentsOfWorkload, serviceNetworks, systemScopes, type LocatedComponent, type SystemScope } from '../../model/systems';

export const archDriftDatastoreReach = defineRule({
  id: 'BND107',
  pattern: 'BND',
  alsoPattern: 'ZT',
  severity: 'error',
  title: 'Deployment lets more services reach a datastore than the model allows',
  kinds: ['architecture'],
  hasFix: false,
  guidance: {
    why: 'The model says which components may reach the datastore; the deployment decides who can. A service on the datastore\'s compose network, or any pod when no NetworkPolicy isolates it, can connect whether or not the model gives it a flow.',
    fix: 'Put the datastore on a network shared only with the services that have a flow to it (compose), or select it with a NetworkPolicy that admits only those workloads (Kubernetes).',
    bad: `${MODEL_HEADER}components:\n  orders: {}\n  web: {}\n  orders-db:\n    type: datastore\nflows:\n  store: { from: orders, to: orders-db, authentication: mtls }\n---\nservices:\n  web:\n    image: shop/web:2.1.0\n  orders:\n    image: shop/orders:1.4.2\n  orders-db:\n    image: postgres:16.4`,
    good: `${MODEL_HEADER}components:\n  orders: {}\n  web: {}\n  orders-db:\n    type: datastore\nflows:\n  store: { from: orders, to: orders-db, authentication: mtls }\n---\nservices:\n  web:\n    image: shop/web:2.1.0\n    networks: [front]\n  orders:\n    image: shop/orders:1.4.2\n    networks: [front, data]\n  orders-db:\n    image: postgres:16.4\n    networks: [data]\nnetworks:\n  front: {}\n  data: {}`,
  },
  checkWorkspace(documents, context) {
    for (const scope of systemScopes(documents)) {
      const flows = scope.models.flatMap((part) => part.model.flows);
      const allowed = (datastore: string, callers: readonly LocatedComponent[]) =>
        callers.some(({ component }) => component.id === datastore || flows.some((flow) => (flow.from?.value === component.id && flow.to?.value === datastore) || (flow.to?.value === component.id && flow.from?.value === datastore)));
      const allowedNames = (datastore: string) => [...new Set(flows.filter((flow) => flow.to?.value === datastore && flow.from).map((flow) => flow.from!.value))];

      for (const { document, model } of scope.compose) {
        for (const service of model.services) {
          for (const { component, part } of componentsOfService(scope, service)) {
            if (component.componentType !== 'datastore') continue;
            const networks = serviceNetworks(model, service);
            for (const other of model.services) {
              if (other === service) continue;
              const shared = serviceNetworks(model, other).find((network) => networks.includes(network));
              if (!shared) continue;
              const callers = componentsOfService(scope, other);
              if (callers.length === 0 || allowed(component.id, callers)) continue; // unmodelled services are BND106's
              const explicit = other.networks.find((network) => network.name === shared);
              context.report({
                document,
                range: explicit?.range ?? other.keyRange,
                message: `Service "${other.name}" shares network "${shared}" with datastore service "${service.name}" (component "${component.id}"), but the model gives ${quoteList(callers.map((c) => c.component.id))} no flow to it: the deployment lets it connect anyway.`,
                relatedElsewhere: [{ message: `datastore "${component.id}" in the model`, document: part.document, range: component.range }],
              });
            }
          }
        }
      }

      for (const { document, object } of scope.kubernetes) {
        for (const { component, part } of componentsOfWorkload(scope, object)) {
          if (component.componentType !== 'datastore') continue;
          const callers = allowedNames(component.id);
          if (isolatedByNetworkPolicy(scope, object)) {
            // Isolated: check that each admitted workload is one the model gives a flow.
            for (const admitted of admittedWorkloads(scope, object)) {
              const admittedComponents = componentsOfWorkload(scope, admitted.workload);
              if (admittedComponents.length === 0 || allowed(component.id, admittedComponents)) continue;
              context.report({
                document: admitted.document,
                range: admitted.range,
                message: `NetworkPolicy "${admitted.policy}" lets ${admitted.workload.kind} "${admitted.workload.name}" reach datastore "${component.id}", but the model gives ${quoteList(admittedComponents.map((c) => c.component.id))} no flow to it.`,
                relatedElsewhere: [{ message: `datastore "${component.id}" in the model`, document: part.document, range: component.range }],
              });
            }
            continue;
          }
          context.report({
            document,
            range: object.subjectRange,
            message: `${object.kind} "${object.name}" implements datastore "${component.id}" but no NetworkPolicy restricts ingress to it: every pod can connect, while the model allows ${callers.length > 0 ? `only ${quoteList(callers)}` : 'no caller'}.`,
            relatedElsewhere: [{ message: `datastore "${component.id}" in the model`, document: part.document, range: component.range }],
          });
        }
      }
    }
  },
});

/** A NetworkPolicy in the workload's namespace selects its pods and restricts ingress. */
function isolatedByNetworkPolicy(scope: SystemScope, workload: KubernetesObject): boolean {
  const namespace = workload.namespace ?? 'default';
  const tree = workload.tree;
  const labels = readLabels(tree, workload.podSpec?.metadata ? tree.get(workload.podSpec.metadata, 'labels') : undefined);
  return scope.kubernetes.some(({ object }) => {
    if (object.kind !== 'NetworkPolicy' || (object.namespace ?? 'default') !== namespace) return false;
    const spec = object.tree.map(object.root, 'spec');
    if (!spec) return false;
    const selector = readSelector(object.tree, object.tree.get(spec, 'podSelector')) ?? { matchLabels: {}, expressions: [] };
    if (!matches(selector, labels)) return false;
    const types = object.tree.items(object.tree.get(spec, 'policyTypes')).map((node) => String((node as { value?: unknown }).value));
    return types.includes('Ingress') || object.tree.pair(spec, 'ingress') !== undefined || types.length === 0;
  });
}

/** Workloads of the namespace that a NetworkPolicy selecting the datastore admits by podSelector. */
function admittedWorkloads(scope: SystemScope, datastore: KubernetesObject): Array<{ workload: KubernetesObject; policy: string; document: SystemScope['kubernetes'][number]['document']; range: OffsetRange }> {
  const namespace = datastore.namespace ?? 'default';
  const labelsOf = (object: KubernetesObject) => readLabels(object.tree, object.podSpec?.metadata ? object.tree.get(object.podSpec.metadata, 'labels') : undefined);
  const target = labelsOf(datastore);
  const out: Array<{ workload: KubernetesObject; policy: string; document: SystemScope['kubernetes'][number]['document']; range: OffsetRange }> = [];
  for (const { document, object } of scope.kubernetes) {
    if (object.kind !== 'NetworkPolicy' || (object.namespace ?? 'default') !== namespace) continue;
    const tree = object.tree;
    const spec = tree.map(object.root, 'spec');
    const selector = readSelector(tree, tree.get(spec, 'podSelector')) ?? { matchLabels: {}, expressions: [] };
    if (!matches(selector, target)) continue;
    for (const rule of tree.items(tree.get(spec, 'ingress'))) {
      for (const peer of tree.items(tree.get(rule, 'from'))) {
        const podSelectorNode = tree.get(peer, 'podSelector');
        const pods = readSelector(tree, podSelectorNode);
        if (!pods || tree.get(peer, 'namespaceSelector')) continue;
        const range = rangeOf(podSelectorNode);
        if (!range) continue;
        for (const { object: workload } of scope.kubernetes) {
          if (workload === datastore || !workload.podSpec || (workload.namespace ?? 'default') !== namespace || !matches(pods, labelsOf(workload))) continue;
          out.push({ workload, policy: object.name ?? '?', document, range });
        }
      }
    }
  }
  return out;
}
