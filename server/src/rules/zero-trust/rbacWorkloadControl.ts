import { defineRule } from '../rule';
import { rbacRules, type RbacRule } from '../../model/rbac';
import type { ListItem } from '../../model/common';

/** Kinds whose creation runs a pod of the creator's choosing, with any service account of the namespace. */
const WORKLOAD_RESOURCES = new Set(['pods', 'deployments', 'daemonsets', 'statefulsets', 'replicasets', 'replicationcontrollers', 'jobs', 'cronjobs']);

/** Subresources that reach into a running container or a node's kubelet, with what they give. */
const REACH: ReadonlyMap<string, { readonly verbs: ReadonlySet<string>; readonly power: string }> = new Map([
  ['pods/exec', { verbs: new Set(['create', 'get']), power: 'run commands in every pod in scope, with its service account token and secrets' }],
  ['pods/attach', { verbs: new Set(['create', 'get']), power: 'attach to the processes of every pod in scope' }],
  ['pods/portforward', { verbs: new Set(['create', 'get']), power: 'reach any port of every pod in scope, past Services and NetworkPolicies' }],
  ['nodes/proxy', { verbs: new Set(['create', 'get']), power: "call the kubelet API of every node, which runs commands in any pod on it and is not audited by the API server" }],
]);

/** The API groups each resource lives in ('' = core). */
const GROUPS: Record<string, readonly string[]> = {
  pods: [''],
  replicationcontrollers: [''],
  deployments: ['apps', 'extensions'],
  daemonsets: ['apps', 'extensions'],
  statefulsets: ['apps'],
  replicasets: ['apps', 'extensions'],
  jobs: ['batch'],
  cronjobs: ['batch'],
  'pods/exec': [''],
  'pods/attach': [''],
  'pods/portforward': [''],
  'nodes/proxy': [''],
};

function inGroup(rule: RbacRule, resource: string): boolean {
  return rule.apiGroups.some((group) => GROUPS[resource]?.includes(group.value));
}

export const rbacWorkloadControl = defineRule({
  id: 'ZT012',
  pattern: 'ZT',
  alsoPattern: 'TCB',
  severity: 'warning',
  title: 'RBAC role can run code in workloads or on nodes',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: [
    'kube-linter access-to-create-pods',
    'KICS Permissive Access to Create Pods',
    'Polaris clusterrolePodExecAttach, rolePodExecAttach',
    'Trivy KSV044 (nodes/proxy), KSV053 (pods/exec), KSV048/KSV049 (create workloads)',
    'Checkov CKV_K8S_155, CKV_K8S_156',
  ],
  guidance: {
    why: 'Whoever may create a pod (or a Deployment, Job, DaemonSet… that creates one) chooses its image, its service account and its mounts: every Secret and every service account of the namespace is one manifest away, so the role is as strong as the strongest of them. `pods/exec`, `pods/attach` and `pods/portforward` reach into running workloads past every network control; `nodes/proxy` reaches the kubelet, which executes in any pod on the node without the API server\'s audit. Zero-Trust asks for the least privilege; these rights are a superset of the workloads they touch. Wildcards are ZT007\'s finding and are not repeated here.',
    fix: 'Give deployment rights to the deploying pipeline only (a separate identity, ideally with admission policies limiting images and service accounts); keep exec/attach/port-forward for break-glass human roles; never grant `nodes/proxy` to workloads — monitoring reads `nodes/metrics` or `nodes/stats` instead.',
    bad: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: debugger\nrules:\n  - apiGroups: [""]\n    resources: ["pods/exec"]\n    verbs: ["create"]',
    good: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: debugger\nrules:\n  - apiGroups: [""]\n    resources: ["pods", "pods/log"]\n    verbs: ["get", "list"]',
  },
  checkKubernetes(object, context) {
    const scope = object.kind === 'ClusterRole' ? 'in every namespace it is bound for' : object.namespace ? `in namespace "${object.namespace}"` : 'in its namespace';
    const creatable: ListItem[] = [];
    for (const rule of rbacRules(object)) {
      const verbs = new Set(rule.verbs.map((verb) => verb.value));
      for (const resource of rule.resources) {
        if (!inGroup(rule, resource.value)) continue;
        const reach = REACH.get(resource.value);
        if (reach) {
          const granted = [...verbs].filter((verb) => reach.verbs.has(verb));
          if (granted.length === 0) continue;
          const where = resource.value === 'nodes/proxy' ? '' : ` ${scope}`;
          context.report({ range: resource.range, message: `${object.kind} "${object.name ?? '?'}" grants ${granted.join('/')} on ${resource.value}${where}: its subjects can ${reach.power}.` });
        } else if (WORKLOAD_RESOURCES.has(resource.value) && verbs.has('create')) creatable.push(resource);
      }
    }
    // Creating any one workload kind is the fact; the other kinds are where it is also granted.
    if (creatable.length > 0) {
      const kinds = [...new Set(creatable.map((resource) => resource.value))];
      context.report({
        range: creatable[0].range,
        message: `${object.kind} "${object.name ?? '?'}" can create ${kinds.join(', ')} ${scope}: its subjects choose the image and the service account of what runs, so they hold every Secret and every service account there.`,
        related: creatable.slice(1).map((resource) => ({ range: resource.range, message: `create on ${resource.value}` })),
      });
    }
  },
});
