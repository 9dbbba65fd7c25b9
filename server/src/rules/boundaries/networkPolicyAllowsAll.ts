import { defineRule } from '../rule';
import { isMap, type YAMLMap } from '../../core/yaml';
import { rangeOf, scalarText, valueTextRange } from '../../core/tree';
import type { OffsetRange } from '../../core/types';
import type { KubernetesObject } from '../../model/kubernetes';
import { isNetworkPolicy } from '../../model/networkPolicies';

const EVERY_ADDRESS = new Set(['0.0.0.0/0', '::/0']);

export const networkPolicyAllowsAll = defineRule({
  id: 'BND007',
  pattern: 'BND',
  alsoPattern: 'ZT',
  severity: 'warning',
  title: 'NetworkPolicy admits every source',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['KICS Pod Misconfigured NetworkPolicy', 'np-guard netpol-analyzer'],
  guidance: {
    why: 'An ingress rule with an empty peer (`{}`), an empty namespaceSelector or `ipBlock: 0.0.0.0/0` and no port list admits every pod of the cluster (or every address on the internet) on every port. The policy looks like a boundary in review, yet nothing is kept out. Rules that list `ports` are a deliberate public entry point and are not reported.',
    fix: 'Name the sources: a `podSelector` for the client workload, plus a `namespaceSelector` for its namespace; for public traffic, admit the ingress controller only, and list the ports.',
    bad: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db\nspec:\n  podSelector:\n    matchLabels: {app: db}\n  ingress:\n    - from:\n        - ipBlock:\n            cidr: 0.0.0.0/0',
    good: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db\nspec:\n  podSelector:\n    matchLabels: {app: db}\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels: {app: api}\n      ports:\n        - port: 5432',
  },
  checkKubernetes(object, context) {
    if (!isNetworkPolicy(object)) return;
    const tree = object.tree;
    const spec = tree.map(object.root, 'spec');
    const where = `NetworkPolicy "${object.name ?? '?'}"`;
    for (const rule of tree.items(spec ? tree.get(spec, 'ingress') : undefined)) {
      if (!isMap(rule) || tree.items(tree.get(rule, 'ports')).length > 0) continue;
      const fromPair = tree.pair(rule, 'from');
      if (!fromPair) {
        context.report({ range: rangeOf(rule)!, message: `${where} has an ingress rule with neither from: nor ports:, which admits every source on every port.` });
        continue;
      }
      for (const peer of tree.items(fromPair.value)) {
        if (!isMap(peer)) continue;
        const problem = openPeer(object, peer);
        if (problem) context.report({ range: problem.range, message: `${where} admits ${problem.what} on every port: the policy keeps nothing out.` });
      }
    }
  },
});

function openPeer(object: KubernetesObject, peer: YAMLMap): { range: OffsetRange; what: string } | undefined {
  const tree = object.tree;
  if (peer.items.length === 0) return { range: rangeOf(peer)!, what: 'every pod in the cluster (an empty peer)' };
  const ipBlock = tree.map(peer, 'ipBlock');
  const cidrNode = ipBlock ? tree.get(ipBlock, 'cidr') : undefined;
  const cidr = scalarText(cidrNode)?.trim();
  if (cidr !== undefined && EVERY_ADDRESS.has(cidr)) return { range: valueTextRange(tree.text, cidrNode)!, what: `every address (ipBlock ${cidr})` };
  const namespacePair = tree.pair(peer, 'namespaceSelector');
  const namespaceSelector = tree.get(peer, 'namespaceSelector');
  const podSelector = tree.get(peer, 'podSelector');
  const isEmpty = (node: unknown) => isMap(node) && node.items.length === 0;
  if (namespacePair && isEmpty(namespaceSelector) && (podSelector === undefined || isEmpty(podSelector))) {
    return { range: rangeOf(namespacePair.key)!, what: 'every pod in every namespace (empty namespaceSelector)' };
  }
  return undefined;
}
