import { isControlPlaneStaticPod } from '../../model/controlPlane';
import { defineRule } from '../rule';
import { fix, setMapValue } from '../../core/edits';
import { podIdentity } from '../../model/serviceAccounts';

export const defaultServiceAccount = defineRule({
  id: 'ZT004',
  pattern: 'ZT',
  severity: 'info',
  title: 'Workload uses the default service account',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: ['kube-linter default-service-account', 'KICS Default Service Account In Use', 'Checkov CKV_K8S_41'],
  guidance: {
    why: 'Every pod that names no ServiceAccount runs as the namespace\'s `default` one, with its token mounted. All those pods share one identity: their API calls cannot be told apart, and a permission granted to `default` for one of them reaches every pod in the namespace. Zero-Trust needs one identity per workload. Pods that do not mount a token carry no identity and are not reported; a RoleBinding to `default` is ZT013\'s finding.',
    fix: 'Create a ServiceAccount per workload and set `serviceAccountName`; if the pod never calls the API, set `automountServiceAccountToken: false`. Never bind roles to `default`.',
    bad: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: example/web:1.2.0',
    good: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  serviceAccountName: web\n  containers:\n    - name: web\n      image: example/web:1.2.0',
  },
  checkKubernetes(object, context) {
    // A binding to `default` is ZT013's finding (one fact, one finding).
    const spec = object.podSpec?.node;
    const identity = podIdentity(object);
    if (!spec || identity?.name !== 'default' || object.tree.boolean(spec, 'automountServiceAccountToken') === false) return;
    // A control-plane static pod gets no ServiceAccount token: the kubelet runs it from disk.
    if (isControlPlaneStaticPod(object)) return;
    context.report({
      range: identity.range ?? object.subjectRange,
      message: `${object.kind} "${object.name ?? '?'}" runs as the namespace's default ServiceAccount with its token mounted: it shares one API identity with every pod that names no account.`,
      fixes: fix('Set automountServiceAccountToken: false (the pod does not call the API)', [setMapValue(object.tree, spec, 'automountServiceAccountToken', 'false')], false),
    });
  },
});
