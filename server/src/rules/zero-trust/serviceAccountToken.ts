import { defineRule } from '../rule';
import { fix, setMapValue } from '../../core/edits';
import { namespaceOf, type KubernetesObject } from '../../model/kubernetes';
import type { AnalyzedDocument } from '../../model/documents';
import { valueTextRange } from '../../core/tree';
import { accountKey, podIdentity, serviceAccountSubjects } from '../../model/serviceAccounts';

const KEY = 'automountServiceAccountToken';

export const serviceAccountToken = defineRule({
  id: 'ZT003',
  pattern: 'ZT',
  severity: 'warning',
  title: 'Unneeded service-account token mounted',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: ['KICS Service Account Token Automount Not Disabled', 'Checkov CKV_K8S_38', 'Polaris automountServiceAccountToken', 'kubesec AutomountServiceAccountToken'],
  guidance: {
    why: 'Every pod gets an API token for its ServiceAccount unless told otherwise. When no RoleBinding in the files analysed (the editor\'s workspace, the CLI\'s folder) grants that account anything, the pod does not need the token, but whoever compromises the pod can still use it against the API server: a credential with no purpose is pure attack surface. Pods on the namespace\'s `default` account are reported by ZT004; accounts defined outside those files are not judged, even for a pod that sets `automountServiceAccountToken: true` itself: the RoleBindings of an account created elsewhere are elsewhere too.',
    fix: 'Set `automountServiceAccountToken: false` in the pod spec (or on the ServiceAccount); mount a projected token only in the pods that call the API.',
    bad: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\nautomountServiceAccountToken: true',
    good: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\nautomountServiceAccountToken: false',
  },
  checkWorkspace(documents, context) {
    const accounts = new Map<string, { object: KubernetesObject; document: AnalyzedDocument }>();
    const bound = new Set<string>();
    for (const document of documents) {
      for (const object of document.kubernetes) {
        if (object.kind === 'ServiceAccount' && object.apiVersion === 'v1' && object.name) accounts.set(accountKey(namespaceOf(object), object.name), { object, document });
        for (const subject of serviceAccountSubjects(object)) bound.add(accountKey(subject.namespace, subject.name));
      }
    }
    for (const { object, document } of accounts.values()) {
      const tree = object.tree;
      if (tree.boolean(object.root, KEY) !== true || bound.has(accountKey(namespaceOf(object), object.name!))) continue;
      context.report({
        document,
        range: valueTextRange(tree.text, tree.get(object.root, KEY))!,
        message: `ServiceAccount "${object.name}" mounts its API token into every pod by default, yet no RoleBinding in the files analysed grants it anything: the token is only useful to an attacker.`,
        fixes: fix(`Set ${KEY}: false`, [setMapValue(tree, object.root, KEY, 'false')], false),
      });
    }
    for (const document of documents) {
      for (const object of document.kubernetes) {
        const spec = object.podSpec?.node;
        const identity = podIdentity(object);
        if (!spec || !identity) continue;
        const tree = object.tree;
        const podValue = tree.boolean(spec, KEY);
        const key = accountKey(namespaceOf(object), identity.name);
        if (podValue === false || bound.has(key)) continue;
        const account = accounts.get(key);
        // A named account defined outside the files analysed has its bindings out of sight too, even
        // when the pod asks for the token explicitly: its absence of bindings is not shown.
        if (identity.name !== 'default' && !account) continue;
        if (podValue === undefined) {
          // The default account is ZT004's; an account that sets the mount itself is reported there.
          if (identity.name === 'default' || tree.boolean(account!.object.root, KEY) !== undefined) continue;
        }
        const where = `${object.kind} "${object.name ?? '?'}"`;
        context.report({
          document,
          range: podValue === true ? valueTextRange(tree.text, tree.get(spec, KEY))! : identity.range ?? object.subjectRange,
          message:
            podValue === true
              ? `${where} mounts the API token of ServiceAccount "${identity.name}" explicitly, yet no RoleBinding in the files analysed grants that account anything: the token is only useful to an attacker.`
              : `${where} mounts the API token of ServiceAccount "${identity.name}", which no RoleBinding in the files analysed grants anything: set ${KEY}: false.`,
          relatedElsewhere: account ? [{ message: `ServiceAccount "${identity.name}" is defined here`, document: account.document, range: account.object.subjectRange }] : undefined,
          fixes: fix(`Set ${KEY}: false in the pod spec`, [setMapValue(tree, spec, KEY, 'false')], false),
        });
      }
    }
  },
});
