import { defineRule } from '../rule';
import { fix } from '../../core/edits';
import { rangeOf } from '../../core/tree';
import type { Fix } from '../../core/types';
import { isCredentialName, isLiteralSecretValue } from '../../model/names';
import { replaceEnvValue } from '../shared/environment';
import { composeSites, kubernetesEnvItem, kubernetesSites, oncePerRange, type ProcessSite } from '../shared/workloads';
import type { EnvVar } from '../../model/common';

export const literalSecretInEnvironment = defineRule({
  id: 'TCB009',
  pattern: 'TCB',
  alsoPattern: 'FF',
  severity: 'warning',
  title: 'Secret written literally in the environment',
  kinds: ['compose', 'kubernetes'],
  hasFix: true,
  peers: ['KICS Passwords And Secrets', 'kube-linter env-var-secret', 'Checkov CKV_K8S_35', 'Trivy KSV109', 'Polaris sensitiveContainerEnvVar', 'Threagile accidental-secret-leak'],
  guidance: {
    why: 'A password or token written into the file is in every clone, fork, CI log and backup of the repository, can never be rotated without a commit, and is the same in every environment. The secret store (a vault, Kubernetes Secrets fed by it, compose secrets) should be the one small place that holds credentials. References (`${VAR}`, `/run/secrets/x`, `secretKeyRef`, secret-manager URIs) are fine.',
    fix: 'Compose: take the value from the environment and require it (`${DB_PASSWORD:?DB_PASSWORD must be set}`), or better use `secrets:` with `*_FILE` variables. Kubernetes: `valueFrom.secretKeyRef` to a Secret created from your vault (external-secrets, CSI driver). Then rotate the leaked value.',
    bad: 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD: s3cr3t-example',
    good: 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    external: true',
  },
  checkCompose(model, context) {
    context = oncePerRange(context);
    for (const site of composeSites(model)) {
      for (const variable of literalSecrets(site)) {
        const required = requiredReference(variable.name);
        context.report({
          range: variable.valueRange!,
          message: `${site.label} sets ${variable.name} to a literal secret in the file: everyone with the repository has it, and rotating it takes a commit; take it from the environment or a secret store.`,
          fixes: fix(`Require ${required} from the environment instead`, [replaceEnvValue(site, variable, required)], false),
        });
      }
    }
  },
  checkKubernetes(object, context) {
    context = oncePerRange(context);
    for (const site of kubernetesSites(object)) {
      for (const variable of literalSecrets(site)) {
        context.report({
          range: variable.valueRange!,
          message: `${site.label} sets ${variable.name} to a literal secret in the manifest: everyone with the repository has it; reference a Secret with valueFrom.secretKeyRef instead.`,
          fixes: secretKeyRefFix(site, variable, `${object.name ?? 'app'}-secrets`),
        });
      }
    }
  },
});

function literalSecrets(site: ProcessSite): EnvVar[] {
  return site.environment.filter((variable) => variable.value !== undefined && variable.valueRange !== undefined && isCredentialName(variable.name) && isLiteralSecretValue(variable.value));
}

/** `${NAME:?NAME must be set}` with NAME made a valid compose variable name. */
function requiredReference(name: string): string {
  const variable = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1').toUpperCase();
  return `\${${variable}:?${variable} must be set}`;
}

/**
 * Replaces `value: …` with a secretKeyRef to a Secret named after the workload. A suggestion, not
 * a safe fix: the Secret must be created (from the vault) before the pod can start.
 */
function secretKeyRefFix(site: ProcessSite, variable: EnvVar, secretName: string): Fix[] {
  const item = site.container ? kubernetesEnvItem(site.tree, site.container, variable) : undefined;
  const pair = item ? site.tree.pair(item, 'value') : undefined;
  const keyRange = pair ? rangeOf(pair.key) : undefined;
  const valueRange = pair ? rangeOf(pair.value) : undefined;
  if (!keyRange || !valueRange) return [];
  const key = variable.name.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '') || 'value';
  const reference = `valueFrom: {secretKeyRef: {name: ${secretName}, key: ${key}}}`;
  return fix(`Take ${variable.name} from Secret "${secretName}" (create it from your vault first)`, [{ start: keyRange.start, end: valueRange.end, newText: reference }], false);
}
