import { defineRule } from '../rule';
import { workloadProgram, type KubernetesObject } from '../../model/kubernetes';
import type { AnalyzedDocument } from '../../model/documents';
import { podIdentity } from '../../model/serviceAccounts';
import { podLabels } from '../../model/labels';
import { deploymentScope } from '../shared/workloads';

interface User {
  readonly object: KubernetesObject;
  readonly document: AnalyzedDocument;
  readonly program: string;
}

/**
 * ZT014: one ServiceAccount (other than `default`, which is ZT004's) whose token is mounted into
 * workloads of different programs. Every one of them then holds the union of what the account is
 * granted, and the API server cannot tell their calls apart. Workloads that run one image (roles of
 * one product) count once; pods that mount no token carry no identity.
 */
export const sharedServiceAccount = defineRule({
  id: 'ZT014',
  pattern: 'ZT',
  alsoPattern: 'TCB',
  severity: 'info',
  title: 'Service account shared by different workloads',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: ['KICS Shared Service Account'],
  guidance: {
    why: 'A ServiceAccount is a workload\'s identity: RBAC grants, audit entries and mesh authorization policies all name it. When workloads running different programs share one account, each holds every permission any of them needs, and a compromise of the least trusted one acts with the rights of all; the API server\'s audit log cannot say which of them made a call. Zero-Trust asks for one identity per workload. Workloads of one program (the same image in several roles) or of one application (the same `app` or `app.kubernetes.io/name` pod label, as versions of one service have) and pods that mount no token are not counted; the namespace\'s `default` account is ZT004\'s.',
    fix: 'Create one ServiceAccount per workload, set each pod\'s `serviceAccountName` to its own, and bind each only the roles that workload needs.',
    bad: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      serviceAccountName: shop\n      containers:\n        - {name: api, image: example/api:2.3.1}\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: report\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          serviceAccountName: shop\n          restartPolicy: OnFailure\n          containers:\n            - {name: report, image: example/report:1.0.0}',
    good: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      serviceAccountName: api\n      containers:\n        - {name: api, image: example/api:2.3.1}\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: report\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          serviceAccountName: report\n          restartPolicy: OnFailure\n          containers:\n            - {name: report, image: example/report:1.0.0}',
  },
  checkWorkspace(documents, context) {
    const noToken = new Set<string>();
    const users = new Map<string, User[]>();
    for (const document of documents) {
      for (const object of document.kubernetes) {
        if (object.kind === 'ServiceAccount' && object.name && object.tree.boolean(object.root, 'automountServiceAccountToken') === false) noToken.add(`${deploymentScope(object, document)}/${object.name}`);
        const spec = object.podSpec?.node;
        const identity = podIdentity(object);
        if (!spec || !identity || identity.name === 'default' || identity.name.includes('{{') || object.tree.boolean(spec, 'automountServiceAccountToken') === false) continue;
        const key = `${deploymentScope(object, document)}/${identity.name}`;
        users.set(key, [...(users.get(key) ?? []), { object, document, program: workloadProgram(object) }]);
      }
    }
    for (const [key, list] of users) {
      // A pod that sets automountServiceAccountToken: true mounts the token whatever the account says.
      const mounting = noToken.has(key) ? list.filter((user) => user.object.tree.boolean(user.object.podSpec!.node, 'automountServiceAccountToken') === true) : list;
      // One workload defined in two files (a base and a copy of it) is still one workload.
      const workloads = new Set(mounting.map((user) => `${user.object.kind}/${user.object.name ?? '?'}`));
      const programs = new Map<string, User>();
      for (const user of mounting) if (!programs.has(user.program)) programs.set(user.program, user);
      // Versions of one service (reviews-v1, reviews-v2) run different images under one application label.
      if (workloads.size < 2 || new Set(mounting.map((user) => applicationOf(user.object))).size < 2) continue;
      if (programs.size < 2) continue;
      const [first, ...others] = [...programs.values()];
      const name = podIdentity(first.object)!;
      const label = (user: User) => `${user.object.kind} "${user.object.name ?? '?'}"`;
      context.report({
        document: first.document,
        range: name.range ?? first.object.subjectRange,
        message: `ServiceAccount "${name.name}" is the identity of ${programs.size} workloads running different programs (${[...programs.values()].map(label).join(', ')}): each holds every permission the account has, and their API calls cannot be told apart.`,
        relatedElsewhere: others.map((user) => ({ message: `${label(user)} runs as ServiceAccount "${name.name}" too`, document: user.document, range: podIdentity(user.object)!.range ?? user.object.subjectRange })),
      });
    }
  },
});

/**
 * The application a workload belongs to: its pod template's `app.kubernetes.io/name` or `app`
 * label (versions of one service, `reviews-v1` and `reviews-v2`, share it), else its program.
 */
function applicationOf(object: KubernetesObject): string {
  const labels = podLabels(object);
  const app = labels['app.kubernetes.io/name'] ?? labels.app;
  return app !== undefined && !app.includes('{{') ? `app:${app}` : workloadProgram(object);
}
