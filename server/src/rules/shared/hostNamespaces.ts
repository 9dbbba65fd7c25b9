import { defineRule, type Rule, type RuleGuidance } from '../rule';
import { deletePair, fix, replaceNode } from '../../core/edits';
import { scalarText, valueTextRange } from '../../core/tree';
import type { Severity } from '../../core/types';

/** One host namespace a container can join: compose `<key>: host`, Kubernetes `<podKey>: true`. */
export interface HostNamespace {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  readonly composeKey: 'network_mode' | 'pid' | 'ipc';
  readonly podKey: 'hostNetwork' | 'hostPID' | 'hostIPC';
  /** What sharing it gives a compromised process, completing "… so a compromised process …". */
  readonly consequence: string;
  readonly guidance: RuleGuidance;
  readonly peers: readonly string[];
}

/** The rule template behind TCB004–TCB006: the same check on three namespaces. */
export function hostNamespaceRule(namespace: HostNamespace): Rule {
  return defineRule({
    id: namespace.id,
    pattern: 'TCB',
    alsoPattern: 'BND',
    severity: namespace.severity,
    title: namespace.title,
    kinds: ['compose', 'kubernetes'],
    composeScope: 'service',
    hasFix: true,
    peers: namespace.peers,
    guidance: namespace.guidance,
    checkCompose(model, context) {
      const tree = model.tree;
      for (const service of model.services) {
        if (!service.node) continue;
        const value = tree.get(service.node, namespace.composeKey);
        if (scalarText(value)?.trim() !== 'host') continue;
        context.report({
          range: valueTextRange(tree.text, value)!,
          message: `Service "${service.name}" shares the host's ${namespaceName(namespace)} (${namespace.composeKey}: host), so a compromised process ${namespace.consequence}.`,
          fixes: fix(`Remove ${namespace.composeKey}: host`, [deletePair(tree, service.node, namespace.composeKey)], false),
        });
      }
    },
    checkKubernetes(object, context) {
      const spec = object.podSpec?.node;
      const tree = object.tree;
      if (!spec || tree.boolean(spec, namespace.podKey) !== true) return;
      const value = tree.get(spec, namespace.podKey);
      context.report({
        range: valueTextRange(tree.text, value)!,
        message: `${object.kind} "${object.name ?? '?'}" shares the node's ${namespaceName(namespace)} (${namespace.podKey}: true), so a compromised process ${namespace.consequence}.`,
        fixes: fix(`Set ${namespace.podKey}: false`, [replaceNode(value, 'false')], false),
      });
    },
  });
}

function namespaceName(namespace: HostNamespace): string {
  return namespace.composeKey === 'network_mode' ? 'network namespace' : `${namespace.composeKey.toUpperCase()} namespace`;
}
