import { defineRule } from '../rule';
import { deletePair, fix } from '../../core/edits';
import { isMap } from '../../core/yaml';
import { scalarText, valueTextRange } from '../../core/tree';
import { runningContainers } from '../../model/kubernetes';

export const hostPort = defineRule({
  id: 'BND006',
  pattern: 'BND',
  severity: 'warning',
  title: 'Container binds a port on the node (hostPort)',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: ['Checkov CKV_K8S_26', 'Polaris hostPortSet', 'Trivy KSV024'],
  guidance: {
    why: 'A hostPort opens the container on the node\'s own IP address: the port bypasses the Service and often the NetworkPolicy, and is reachable by anything that reaches the node. It adds an unplanned entry to the zone, next to the one you drew. Pods on the host network (where the port is the host\'s anyway) are left to the host-network rule.',
    fix: 'Remove `hostPort` and reach the pod through a Service (a LoadBalancer or Ingress when it must be public).',
    bad: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: example/web:1.2.0\n      ports:\n        - containerPort: 8080\n          hostPort: 8080',
    good: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: example/web:1.2.0\n      ports:\n        - containerPort: 8080',
  },
  checkKubernetes(object, context) {
    const spec = object.podSpec?.node;
    const tree = object.tree;
    if (!spec || tree.boolean(spec, 'hostNetwork') === true) return;
    for (const container of runningContainers(object)) {
      for (const port of tree.items(tree.get(container.node, 'ports'))) {
        if (!isMap(port)) continue;
        const valueNode = tree.get(port, 'hostPort');
        const value = scalarText(valueNode);
        if (value === undefined || value.trim() === '0') continue;
        context.report({
          range: valueTextRange(tree.text, valueNode)!,
          message: `Container "${container.name ?? '?'}" in ${object.kind} "${object.name ?? '?'}" binds hostPort ${value} on the node's IP: it is reachable past the Service by anything that reaches the node.`,
          fixes: fix('Remove hostPort', [deletePair(tree, port, 'hostPort')], false),
        });
      }
    }
  },
});
