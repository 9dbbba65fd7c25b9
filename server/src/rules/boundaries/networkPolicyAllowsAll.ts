import { defineRule } from '../rule';
import { isMap, type YAMLMap } from '../../core/yaml';
import { rangeOf, scalarText, valueTextRange } from '../../core/tree';
import type { OffsetRange } from '../../core/types';
import type { KubernetesObject } from '../../model/kubernetes';
import { isNetworkPolicy, networkPolicy } from '../../model/networkPolicies';

const EVERY_ADDRESS = new Set(['0.0.0.0/0', '::/0']);

export const networkPolicyAllowsAll = defineRule({
  id: 'BND007',
  pattern: 'BND',
  alsoPattern: 'ZT',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'NetworkPolicy admits every source',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['KICS Pod Misconfigured NetworkPolicy', 'np-guard netpol-analyzer'],
  guidance: {
    why: 'An ingress rule with an empty peer (`{}`), an empty namespaceSelector or `ipBlock: 0.0.0.0/0` and no port list admits every pod of the cluster (or every address on the internet) on every port. The policy looks like a boundary in review, yet nothing is kept out. Rules that list `ports` are a deliberate public entry point and are not reported. A policy whose only ingress rule is the documented allow-all (`ingress: [{}]`) for pods it names by label hides nothing: it opens those pods on purpose (a user-facing server, an API extension) and leaves them as open as pods no policy selects, so it is info; beside narrower rules, or for every pod of the namespace (`podSelector: {}`), it undoes the boundary they draw and stays a warning.',
    fix: 'Name the sources: a `podSelector` for the client workload, plus a `namespaceSelector` for its namespace; for public traffic, admit the ingress controller only, and list the ports.',
    bad: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db\nspec:\n  podSelector:\n    matchLabels: {app: db}\n  ingress:\n    - from:\n        - ipBlock:\n            cidr: 0.0.0.0/0',
    good: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db\nspec:\n  podSelector:\n    matchLabels: {app: db}\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels: {app: api}\n      ports:\n        - port: 5432',
  },
  checkKubernetes(object, context) {
    if (!isNetworkPolicy(object)) return;
    const tree = object.tree;
    const spec = tree.map(object.root, 'spec');
    const where = `NetworkPolicy "${object.name ?? '?'}"`;
    const rules = tree.items(spec ? tree.get(spec, 'ingress') : undefined);
    for (const rule of rules) {
      if (!isMap(rule) || tree.items(tree.get(rule, 'ports')).length > 0) continue;
      const fromPair = tree.pair(rule, 'from');
      if (!fromPair) {
        // The documented allow-all as the policy's only rule, for pods it names: an opening that says so.
        if (rules.length === 1 && selectsByLabel(object)) {
          context.report({
            range: rangeOf(rule)!,
            severity: 'info',
            message: `${where} opens the pods it selects to every source on every port (its only ingress rule has neither from: nor ports:): deliberate for an entry point, but they are as open as pods no policy selects; list the ports they serve.`,
          });
          continue;
        }
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

/** The policy names its pods by label (not `podSelector: {}`, which selects every pod of the namespace). */
function selectsByLabel(object: KubernetesObject): boolean {
  const selector = networkPolicy(object)?.podSelector;
  return selector !== undefined && (Object.keys(selector.matchLabels).length > 0 || selector.expressions.length > 0);
}

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
