import { defineRule } from '../rule';
import { fix } from '../../core/edits';
import { rangeOf } from '../../core/tree';
import type { Fix, OffsetRange } from '../../core/types';
import { isCredentialName, isLiteralSecretValue, urlPassword } from '../../model/names';
import { replaceEnvValue } from '../shared/environment';
import { composeSites, kubernetesEnvItem, kubernetesSites, type ProcessSite } from '../shared/workloads';
import type { EnvVar } from '../../model/common';
import { appendTo } from '../../core/collections';

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
    why: 'A password or token written into the file is in every clone, fork, CI log and backup of the repository, can never be rotated without a commit, and is the same in every environment. The secret store (a vault, Kubernetes Secrets fed by it, compose secrets) should be the one small place that holds credentials. References (`${VAR}`, `/run/secrets/x`, `secretKeyRef`, secret-manager URIs) are fine. Passwords inside connection URLs count whatever the variable is called; an access key id beside its secret key is the identifier half and does not. One value is one finding, with the other places that set it as related.',
    fix: 'Compose: take the value from the environment and require it (`${DB_PASSWORD:?DB_PASSWORD must be set}`), or better use `secrets:` with `*_FILE` variables. Kubernetes: `valueFrom.secretKeyRef` to a Secret created from your vault (external-secrets, CSI driver). Then rotate the leaked value.',
    bad: 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD: s3cr3t-example',
    good: 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    external: true',
  },
  checkCompose(model, context) {
    const literals = composeSites(model).flatMap((site) => literalSecrets(site).map((literal) => ({ site, ...literal })));
    for (const [first, ...others] of byValue(literals)) {
      const { site, variable, range } = first;
      const required = requiredReference(variable.name);
      context.report({
        range,
        message: `${site.label} sets ${variable.name} to a literal ${first.inUrl ? 'password inside a connection URL' : 'secret'} in the file${others.length > 0 ? ` (the same value is set ${others.length} more time${others.length > 1 ? 's' : ''})` : ''}: everyone with the repository has it, and rotating it takes a commit; take it from the environment or a secret store.`,
        related: others.map((other) => ({ message: `${other.site.label} sets the same value in ${other.variable.name}`, range: other.range })),
        fixes: [first, ...others].some((place) => place.inUrl) ? [] : fix(`Require ${required} from the environment instead`, [first, ...others].map((place) => replaceEnvValue(place.site, place.variable, requiredReference(place.variable.name))), false),
      });
    }
  },
  checkKubernetes(object, context) {
    const literals = kubernetesSites(object).flatMap((site) => literalSecrets(site).map((literal) => ({ site, ...literal })));
    for (const [first, ...others] of byValue(literals)) {
      const { site, variable, range } = first;
      context.report({
        range,
        message: `${site.label} sets ${variable.name} to a literal ${first.inUrl ? 'password inside a connection URL' : 'secret'} in the manifest: everyone with the repository has it; reference a Secret with valueFrom.secretKeyRef instead.`,
        related: others.map((other) => ({ message: `${other.site.label} sets the same value in ${other.variable.name}`, range: other.range })),
        fixes: first.inUrl || others.length > 0 ? [] : secretKeyRefFix(site, variable, `${object.name ?? 'app'}-secrets`),
      });
    }
  },
});

interface LiteralSecret {
  readonly variable: EnvVar;
  /** The secret's text: the whole value, or the password inside a connection URL. */
  readonly range: OffsetRange;
  readonly secret: string;
  readonly inUrl: boolean;
}

/**
 * Credentials written into a site's environment: the value of a credential-named variable (not an
 * access key id beside its secret key), and the password of any connection URL
 * (`DATABASE_URL: postgresql://app:hunter2@db/app`, `BROKER: redis://:pw@cache`).
 */
function literalSecrets(site: ProcessSite): LiteralSecret[] {
  const names = new Set(site.environment.map((variable) => variable.name));
  const found: LiteralSecret[] = [];
  for (const variable of site.environment) {
    if (variable.value === undefined || variable.valueRange === undefined) continue;
    const inUrl = urlPassword(variable.value);
    const source = site.tree.text.slice(variable.valueRange.start, variable.valueRange.end);
    if (inUrl && source === variable.value) {
      found.push({ variable, range: { start: variable.valueRange.start + inUrl.offset, end: variable.valueRange.start + inUrl.offset + inUrl.password.length }, secret: inUrl.password, inUrl: true });
    } else if (isCredentialName(variable.name, names) && isLiteralSecretValue(variable.value)) {
      found.push({ variable, range: variable.valueRange, secret: variable.value, inUrl: false });
    }
  }
  return found;
}

/** One value, one secret: the places that set the same literal, first place first (each place once, for anchors). */
function byValue<T extends LiteralSecret>(literals: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  const places = new Set<string>();
  for (const literal of literals) {
    const place = `${literal.range.start}:${literal.range.end}`;
    if (places.has(place)) continue;
    places.add(place);
    appendTo(groups, literal.secret, literal);
  }
  return [...groups.values()];
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
