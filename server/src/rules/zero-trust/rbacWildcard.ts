import { defineRule } from '../rule';
import { rbacRules, type RbacRule } from '../../model/rbac';
import type { ListItem } from '../../model/common';
import type { KubernetesObject } from '../../model/kubernetes';
import { appendTo } from '../../core/collections';

export const rbacWildcard = defineRule({
  id: 'ZT007',
  pattern: 'ZT',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'RBAC rule grants a wildcard',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['kube-linter wildcard-in-rules', 'KICS RBAC Wildcard In Rule', 'Checkov CKV_K8S_49', 'Trivy KSV044, KSV045, KSV046'],
  guidance: {
    why: '`*` in verbs, resources or apiGroups grants everything that exists today and everything a future CRD or API version adds: nobody can say what the role may do, and least privilege becomes unreviewable. One finding per role and kind of wildcard (the other rules that repeat it are related places); a resources wildcard confined to the product\'s own API groups (`*.gatekeeper.sh` for gatekeeper\'s role) is info.',
    fix: 'List the exact apiGroups, resources and verbs the workload uses (`kubectl auth can-i --list` or the audit log tells you which).',
    bad: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: deployer\nrules:\n  - apiGroups: ["apps"]\n    resources: ["deployments"]\n    verbs: ["*"]',
    good: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: deployer\nrules:\n  - apiGroups: ["apps"]\n    resources: ["deployments"]\n    verbs: ["get", "list", "patch"]',
  },
  checkKubernetes(object, context) {
    // One role granting the same wildcard in several rules is one fact: the first place, the others related.
    const bySignature = new Map<string, Array<{ field: string; item: ListItem; rule: RbacRule }[]>>();
    for (const rule of rbacRules(object)) {
      const wildcards = [
        ...rule.verbs.filter((item) => item.value === '*').map((item) => ({ field: 'verbs', item, rule })),
        ...rule.resources.filter((item) => item.value === '*' || item.value === '*/*').map((item) => ({ field: 'resources', item, rule })),
        ...rule.apiGroups.filter((item) => item.value === '*').map((item) => ({ field: 'apiGroups', item, rule })),
      ];
      if (wildcards.length === 0) continue;
      const signature = [...new Set(wildcards.map((wildcard) => wildcard.field))].join(',');
      appendTo(bySignature, signature, wildcards);
    }
    for (const [signature, grants] of bySignature) {
      const [first, ...others] = grants;
      const fields = signature.split(',').map((field) => `${field}: *`).join(', ');
      const own = ownApiGroups(object, grants.map((grant) => grant[0].rule));
      context.report({
        range: first[0].item.range,
        severity: own ? 'info' : undefined,
        message: own
          ? `${object.kind} "${object.name ?? '?'}" grants ${fields} within its own API groups (${own.join(', ')}): whatever those CRDs offer now or later, but nothing else.`
          : `${object.kind} "${object.name ?? '?'}" grants ${fields}${grants.length > 1 ? ` in ${grants.length} rules` : ''}: the role allows whatever the API offers now or later, so its privilege cannot be reviewed.`,
        related: [
          ...first.slice(1).map((other) => ({ message: `also ${other.field}: *`, range: other.item.range })),
          ...others.map((grant) => ({ message: `another rule with ${fields}`, range: grant[0].item.range })),
        ],
      });
    }
  },
});

/**
 * The API groups a resources-only wildcard is confined to, when they are the product's own CRD
 * groups (`*.gatekeeper.sh` for the gatekeeper role: a word of the role's name in each group);
 * undefined when verbs or apiGroups are wildcards too, or a group is someone else's.
 */
function ownApiGroups(object: KubernetesObject, rules: readonly RbacRule[]): string[] | undefined {
  if (rules.some((rule) => rule.verbs.some((item) => item.value === '*') || rule.apiGroups.some((item) => item.value === '*' || item.value === ''))) return undefined;
  const groups = [...new Set(rules.flatMap((rule) => rule.apiGroups.map((item) => item.value)))];
  const words = (object.name ?? '').toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length > 3 && !['role', 'manager', 'controller', 'operator', 'admin', 'cluster'].includes(word));
  const owned = groups.length > 0 && groups.every((group) => !group.endsWith('.k8s.io') && group.includes('.') && words.some((word) => group.toLowerCase().split('.').includes(word)));
  return owned ? groups : undefined;
}
