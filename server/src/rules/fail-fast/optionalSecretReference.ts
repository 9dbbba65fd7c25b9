import { defineRule, type RuleContext } from '../rule';
import { fix, replaceNode } from '../../core/edits';
import { isMap, type YAMLMap } from '../../core/yaml';
import { scalarText, valueTextRange, type YamlTree } from '../../core/tree';
import { declaredContainers } from '../../model/kubernetes';
import { isCredentialName } from '../../model/names';

/**
 * Secrets named for the service's own protection: its TLS certificate and key, its CA, its
 * credentials. Without one of these the pod starts on a self-signed certificate, without client
 * certificates, or without a password. A Secret named for nothing in particular (`kiali`,
 * `curl-secret`) may well serve an optional feature; the file does not say, so it is not judged.
 */
function protectsTransport(...names: Array<string | undefined>): boolean {
  return names.some((name) => name !== undefined && /(?:^|[-_.])(?:m?tls|ssl|certs?|certificates?|ca|keystore|truststore|keys?|passwords?|credentials?|creds|tokens?|auth|jwt)(?:$|[-_.])/i.test(name));
}

/**
 * The names that say what a Secret volume holds: the Secret's own name when the file writes it
 * (a volume `kiali-cert` taking Secret `istio.kiali-service-account` holds what that Secret holds;
 * the volume's name is only the pod's label for it), else, when the name is templated or missing,
 * the volume's name.
 */
function secretNames(secretName: string | undefined, volumeName: string): Array<string | undefined> {
  return secretName !== undefined && !secretName.includes('{{') && !secretName.includes('$') ? [secretName] : [secretName, volumeName];
}

/** env_file names that hold credentials. */
const SECRET_FILE = /(?:^|[/._-])(?:secrets?|credentials?|creds|passwords?|passwd|tokens?|keys?|auth|vault)(?:[/._-]|$)/i;

export const optionalSecretReference = defineRule({
  id: 'FF003',
  pattern: 'FF',
  alsoPattern: 'TCB',
  severity: 'warning',
  title: 'Secret reference marked optional',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  hasFix: true,
  peers: [],
  guidance: {
    why: 'With `optional: true` a pod whose Secret is missing (a typo, a sync that has not run, the wrong namespace) starts anyway, without its credential: it then runs unauthenticated, falls back to a default, or fails on the first request instead of at deploy time. The same holds for a compose `env_file` of secrets with `required: false`. Fail-Fast means a missing secret stops the start with a clear error. Judged for Secrets the file shows are for the service\'s own protection (a credential-named variable, a Secret named for TLS, certificates, keys, passwords or tokens, or a volume so named when the Secret\'s name is templated); a Secret named for nothing in particular may serve an optional feature and is left alone, whatever the pod calls the volume it mounts.',
    fix: 'Remove `optional: true` (or set `optional: false`) on secretKeyRef, envFrom secretRef, secret and projected secret volumes; in compose, drop `required: false` from env files that hold secrets.',
    bad: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: example/api:2.3.1\n      env:\n        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef:\n              name: db\n              key: password\n              optional: true',
    good: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n    - name: api\n      image: example/api:2.3.1\n      env:\n        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef:\n              name: db\n              key: password',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    for (const service of model.services) {
      if (!service.node) continue;
      for (const item of tree.items(tree.get(service.node, 'env_file'))) {
        if (!isMap(item) || tree.boolean(item, 'required') !== false) continue;
        const path = tree.string(item, 'path');
        if (path === undefined || !SECRET_FILE.test(path)) continue;
        const value = tree.get(item, 'required');
        context.report({
          range: valueTextRange(tree.text, value)!,
          message: `Service "${service.name}" loads the secrets file ${path} with required: false: when it is missing the service starts without its credentials instead of failing.`,
          fixes: fix('Set required: true', [replaceNode(value, 'true')]),
        });
      }
    }
  },
  checkKubernetes(object, context) {
    const spec = object.podSpec;
    if (!spec) return;
    const tree = object.tree;
    const where = `${object.kind} "${object.name ?? '?'}"`;
    for (const container of declaredContainers(object)) {
      const label = `container "${container.name ?? '?'}" of ${where}`;
      for (const item of tree.items(tree.get(container.node, 'env'))) {
        const reference = tree.map(tree.get(item, 'valueFrom'), 'secretKeyRef');
        const variable = tree.string(item, 'name') ?? '?';
        if (reference && (isCredentialName(variable) || protectsTransport(tree.string(reference, 'name')))) report(tree, reference, 'name', `Environment variable ${variable} of ${label}`, context);
      }
      for (const item of tree.items(tree.get(container.node, 'envFrom'))) {
        const reference = tree.map(item, 'secretRef');
        if (reference && protectsTransport(tree.string(reference, 'name'))) report(tree, reference, 'name', `envFrom of ${label}`, context);
      }
    }
    for (const volume of tree.items(tree.get(spec.node, 'volumes'))) {
      const volumeName = tree.string(volume, 'name') ?? '?';
      const secret = tree.map(volume, 'secret');
      if (secret && protectsTransport(...secretNames(tree.string(secret, 'secretName'), volumeName))) report(tree, secret, 'secretName', `Volume "${volumeName}" of ${where}`, context);
      for (const source of tree.items(tree.get(tree.get(volume, 'projected'), 'sources'))) {
        const projected = tree.map(source, 'secret');
        if (projected && protectsTransport(...secretNames(tree.string(projected, 'name'), volumeName))) report(tree, projected, 'name', `Projected volume "${volumeName}" of ${where}`, context);
      }
    }
  },
});

function report(tree: YamlTree, reference: YAMLMap, nameKey: string, label: string, context: RuleContext): void {
  if (tree.boolean(reference, 'optional') !== true) return;
  const value = tree.get(reference, 'optional');
  const secretName = scalarText(tree.get(reference, nameKey)) ?? '?';
  context.report({
    range: valueTextRange(tree.text, value)!,
    message: `${label} takes Secret "${secretName}" with optional: true: if the Secret is missing the pod starts without its credential instead of failing at deploy time.`,
    fixes: fix('Set optional: false', [replaceNode(value, 'false')]),
  });
}
