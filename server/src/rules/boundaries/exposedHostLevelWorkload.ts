import { defineRule } from '../rule';
import { appendTo } from '../../core/collections';
import { valueTextRange } from '../../core/tree';
import { namespaceOf, type KubernetesObject } from '../../model/kubernetes';
import type { AnalyzedDocument } from '../../model/documents';
import { matches, podLabels } from '../../model/labels';
import { hostLevelAccess } from '../../model/podSecurity';
import { composeHostAccess, hostIpWhenUnset, publishedOnLoopback } from '../../model/compose';
import { ingressBackends, isExternallyReachable, readService, type KubernetesService } from '../../model/services';

interface Located<T> {
  readonly value: T;
  readonly document: AnalyzedDocument;
}

export const exposedHostLevelWorkload = defineRule({
  id: 'BND009',
  pattern: 'BND',
  alsoPattern: 'TCB',
  severity: 'error',
  title: 'Host-level workload reachable from outside',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: false,
  peers: ['Threagile container-platform-escape', 'Threagile unguarded-access-from-internet'],
  guidance: {
    why: 'A privileged container, or one sharing the host\'s network, PID or IPC namespace, is part of the node\'s trusted base. Exposing it (a published port, a LoadBalancer/NodePort Service, an Ingress) puts the outermost zone one request away from the innermost: a single bug in that service is a compromised host. Looks across files: a Service or Ingress is matched to the pods its selector picks.',
    fix: 'Split the privileged part (node agent, CNI, device plugin) from the part that serves requests, and expose only the unprivileged one; or keep the privileged workload cluster-internal behind a NetworkPolicy.',
    bad: 'services:\n  agent:\n    image: example/agent:1.4.2\n    privileged: true\n    ports:\n      - "9100:9100"',
    good: 'services:\n  agent:\n    image: example/agent:1.4.2\n    privileged: true\n    ports:\n      - "127.0.0.1:9100:9100"',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    for (const service of model.services) {
      const access = composeHostAccess(tree, service);
      if (access.length === 0) continue;
      const published = service.ports.find((port) => hostIpWhenUnset(port) !== undefined && !publishedOnLoopback(port));
      if (!published) continue;
      context.report({
        range: valueTextRange(tree.text, published.node) ?? published.range,
        message: `Service "${service.name}" runs with host-level access (${access.map((a) => a.reason).join(', ')}) and publishes a port to the network: one bug in it hands the host to whoever can connect.`,
        related: access.map((a) => ({ message: `host-level access: ${a.reason}`, range: a.range })),
      });
    }
  },
  checkWorkspace(documents, context) {
    const workloads: Array<Located<KubernetesObject>> = [];
    const services: Array<Located<KubernetesService>> = [];
    const ingresses: Array<Located<KubernetesObject>> = [];
    for (const document of documents) {
      for (const object of document.kubernetes) {
        if (object.podSpec && hostLevelAccess(object).length > 0) workloads.push({ value: object, document });
        const service = readService(object);
        if (service) services.push({ value: service, document });
        if (object.kind === 'Ingress') ingresses.push({ value: object, document });
      }
    }
    if (workloads.length === 0) return;
    // Indexed by namespace and pod label: a selector's first label names the only workloads it can
    // select, so thousands of Services do not each scan every workload.
    const byLabel = new Map<string, Array<Located<KubernetesObject>>>();
    for (const workload of workloads) {
      for (const [key, value] of Object.entries(podLabels(workload.value))) appendTo(byLabel, JSON.stringify([namespaceOf(workload.value), key, value]), workload);
    }
    const ingressesByNamespace = new Map<string, Array<Located<KubernetesObject>>>();
    for (const ingress of ingresses) appendTo(ingressesByNamespace, namespaceOf(ingress.value), ingress);
    for (const service of services) {
      const object = service.value.object;
      const selector = service.value.selector;
      if (!selector || Object.keys(selector.matchLabels).length === 0) continue;
      const [firstKey, firstValue] = Object.entries(selector.matchLabels)[0];
      const candidates = byLabel.get(JSON.stringify([namespaceOf(object), firstKey, firstValue])) ?? [];
      const targets = candidates.filter((workload) => matches(selector, podLabels(workload.value)));
      if (targets.length === 0) continue;
      const routes = (ingressesByNamespace.get(namespaceOf(object)) ?? []).filter((ingress) => ingressBackends(ingress.value).includes(object.name ?? ''));
      if (!isExternallyReachable(service.value) && routes.length === 0) continue;
      const tree = object.tree;
      const how = isExternallyReachable(service.value) ? `is of type ${service.value.type}` : `is routed from Ingress ${routes.map((r) => `"${r.value.name ?? '?'}"`).join(', ')}`;
      const target = targets[0].value;
      context.report({
        document: service.document,
        range: (isExternallyReachable(service.value) ? valueTextRange(tree.text, service.value.typeNode) : undefined) ?? object.subjectRange,
        message: `Service "${object.name ?? '?'}" ${how} and selects ${target.kind} "${target.name ?? '?'}", which runs with host-level access (${hostLevelAccess(target).map((a) => a.reason).join(', ')}): one bug in it hands the node to whoever can connect.`,
        relatedElsewhere: [
          ...targets.flatMap((workload) => hostLevelAccess(workload.value).map((access) => ({ message: `${workload.value.kind} "${workload.value.name ?? '?'}": ${access.reason}`, document: workload.document, range: access.range }))),
          ...routes.map((route) => ({ message: `Ingress "${route.value.name ?? '?'}" routes to this Service`, document: route.document, range: route.value.subjectRange })),
        ],
      });
    }
  },
});
