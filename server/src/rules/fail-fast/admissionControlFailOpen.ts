import { defineRule } from '../rule';
import { listFlag } from '../../model/controlPlane';
import { addFlagFix, invocationsOf, setFlagFix, staticPodExample } from '../shared/controlPlane';

/** Plugins whose absence lets requests through that the API server would otherwise refuse (CIS 1.2.12–1.2.14). */
const REQUIRED = ['NodeRestriction', 'ServiceAccount', 'NamespaceLifecycle'];
const WHY_REQUIRED: Readonly<Record<string, string>> = {
  NodeRestriction: 'a kubelet may then change any Node and any Pod, not only its own',
  ServiceAccount: 'pods may then name service accounts that do not exist and are not given their own token',
  NamespaceLifecycle: 'objects may then be created in namespaces that are being deleted or do not exist',
};

export const admissionControlFailOpen = defineRule({
  id: 'FF020',
  pattern: 'FF',
  alsoPattern: 'ZT',
  severity: 'warning',
  title: 'API server admission control lets requests through unchecked',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: ['CIS Kubernetes 1.2.10, 1.2.12, 1.2.13, 1.2.14', 'kube-bench 1.2.10, 1.2.14', 'KICS Always Admit Admission Control Plugin Set, NodeRestriction Admission Control Plugin Not Set'],
  guidance: {
    why: 'Admission plugins are the API server\'s construction-time checks: an object that breaks a rule is refused before it exists, instead of being found later. `AlwaysAdmit` says "accept everything" (it is deprecated for that reason); switching off `ServiceAccount` or `NamespaceLifecycle` lets malformed objects in; and `NodeRestriction`, which is not on by default, is what stops a compromised kubelet from editing other nodes and their pods (labels that steer workloads, status that hides it). The flags read are `--enable-admission-plugins` (added to the defaults), the older `--admission-control` (replacing them) and `--disable-admission-plugins`.',
    fix: 'Add `NodeRestriction` to `--enable-admission-plugins` (kubeadm writes `--enable-admission-plugins=NodeRestriction`), remove `AlwaysAdmit`, and do not list `ServiceAccount`, `NamespaceLifecycle` or `NodeRestriction` in `--disable-admission-plugins`.',
    bad: staticPodExample('kube-apiserver', ['--authorization-mode=Node,RBAC', '--enable-admission-plugins=AlwaysAdmit']),
    good: staticPodExample('kube-apiserver', ['--authorization-mode=Node,RBAC', '--enable-admission-plugins=NodeRestriction']),
  },
  checkKubernetes(object, context) {
    for (const invocation of invocationsOf(object, 'kube-apiserver')) {
      const enabled = listFlag(invocation, 'enable-admission-plugins', 'admission-control');
      for (const { flag, values } of enabled) {
        if (values.includes('AlwaysAdmit')) {
          const rest = values.filter((value) => value !== 'AlwaysAdmit');
          context.report({
            range: flag.range,
            message: `${invocation.label} enables the AlwaysAdmit admission plugin (--${flag.name}): every object is admitted as it is sent, whatever the other checks would say.`,
            fixes: rest.length > 0 ? setFlagFix('Remove AlwaysAdmit', flag, rest.join(',')) : [],
          });
        }
      }
      const disabledRequired = new Set<string>();
      for (const { flag, values } of listFlag(invocation, 'disable-admission-plugins')) {
        const off = REQUIRED.filter((plugin) => values.includes(plugin));
        if (off.length === 0) continue;
        off.forEach((plugin) => disabledRequired.add(plugin));
        context.report({ range: flag.range, message: `${invocation.label} disables ${off.join(', ')} (--disable-admission-plugins): ${off.map((plugin) => WHY_REQUIRED[plugin]).join('; ')}.` });
      }
      if (disabledRequired.has('NodeRestriction') || enabled.some(({ flag, values }) => flag.value === undefined || values.includes('NodeRestriction'))) continue;
      const last = enabled[enabled.length - 1];
      if (last) {
        context.report({ range: last.flag.range, message: `${invocation.label} does not enable the NodeRestriction admission plugin: ${WHY_REQUIRED.NodeRestriction}.`, fixes: setFlagFix('Add NodeRestriction', last.flag, [...last.values, 'NodeRestriction'].join(',')) });
      } else if (invocation.absenceProven) {
        context.report({ range: invocation.subjectRange, message: `${invocation.label} has no --enable-admission-plugins flag, and NodeRestriction is not among the default plugins: ${WHY_REQUIRED.NodeRestriction}.`, fixes: addFlagFix('Add --enable-admission-plugins=NodeRestriction', invocation, 'enable-admission-plugins', 'NodeRestriction') });
      }
    }
  },
});
