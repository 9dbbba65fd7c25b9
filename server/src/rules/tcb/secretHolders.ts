import { defineRule } from '../rule';
import { scalarText, valueTextRange } from '../../core/tree';
import type { OffsetRange } from '../../core/types';
import { findInterpolations } from '../../model/interpolation';
import { namespaceOf, type KubernetesObject } from '../../model/kubernetes';
import type { AnalyzedDocument } from '../../model/documents';
import { isCredentialName } from '../../model/names';

/** One service or workload that holds a secret, with where it takes it. */
interface Holder {
  readonly name: string;
  readonly document: AnalyzedDocument;
  readonly range: OffsetRange;
}

/** A secret as the workspace sees it: who holds it. */
interface HeldSecret {
  /** How messages name it: `secret "db_password"`, `${DB_PASSWORD}`, `Secret "db" in namespace "shop"`. */
  readonly label: string;
  /** `services` or `workloads`. */
  readonly holderNoun: string;
  readonly holders: Map<string, Holder>;
}

export const secretHolders = defineRule({
  id: 'TCB010',
  pattern: 'TCB',
  severity: 'warning',
  title: 'Secret held by too many services',
  kinds: ['compose', 'kubernetes'],
  hasFix: false,
  peers: ['Threagile missing-vault', 'kube-linter access-to-secrets (per Role only)'],
  guidance: {
    why: 'Every service that holds a credential can leak it, and must be patched, audited and trusted like the vault itself. When one secret sits in more services than the TCB budget (`thresholds.secretHolders`, default 3), the trusted computing base has quietly grown to all of them. Counted per compose file (`secrets:` references, and the same `${VARIABLE}` or secret-named variable) and per Kubernetes namespace (secretKeyRef, envFrom secretRef, secret and projected volumes), across files.',
    fix: 'Give the secret only to the service that needs it and have the others call that service (or a vault) over an authenticated API; split a shared credential into one per service so each can be rotated and revoked alone.',
    bad: 'services:\n  orders:\n    image: example/orders:1.0.0\n    secrets: [db_password]\n  billing:\n    image: example/billing:1.0.0\n    secrets: [db_password]\n  shipping:\n    image: example/shipping:1.0.0\n    secrets: [db_password]\n  reports:\n    image: example/reports:1.0.0\n    secrets: [db_password]\nsecrets:\n  db_password:\n    external: true',
    good: 'services:\n  orders:\n    image: example/orders:1.0.0\n    secrets: [orders_db_password]\n  billing:\n    image: example/billing:1.0.0\n    secrets: [billing_db_password]\nsecrets:\n  orders_db_password:\n    external: true\n  billing_db_password:\n    external: true',
  },
  checkWorkspace(documents, context) {
    const secrets = new Map<string, HeldSecret>();
    const hold = (key: string, label: string, holderNoun: string, holder: Holder) => {
      let secret = secrets.get(key);
      if (!secret) secrets.set(key, (secret = { label, holderNoun, holders: new Map() }));
      if (!secret.holders.has(holder.name)) secret.holders.set(holder.name, holder);
    };
    for (const document of documents) {
      if (document.compose) collectCompose(document, hold);
      for (const object of document.kubernetes) collectKubernetes(document, object, hold);
    }
    const limit = context.options.thresholds.secretHolders;
    for (const secret of secrets.values()) {
      if (secret.holders.size <= limit) continue;
      const holders = [...secret.holders.values()];
      // Name a few holders; hundreds of names in every message help nobody and cost time per edit.
      const names = listSome(holders.map((holder) => holder.name));
      // Services that merge one `<<: *anchor` block share its text: one finding there names them all.
      const byPlace = new Map<string, Holder[]>();
      for (const holder of holders) {
        const place = `${holder.document.file}#${holder.document.offset}#${holder.range.start}:${holder.range.end}`;
        byPlace.set(place, [...(byPlace.get(place) ?? []), holder]);
      }
      for (const sharing of byPlace.values()) {
        const first = sharing[0];
        const who = listSome(sharing.map((holder) => holder.name));
        context.report({
          document: first.document,
          range: first.range,
          message: `${who} ${sharing.length > 1 ? 'hold' : 'holds'} ${secret.label}, ${sharing.length > 1 ? 'among' : 'one of'} ${holders.length} ${secret.holderNoun} that do (${names}), over the TCB budget of ${limit}: each of them can leak it, so all of them must be trusted like a vault.`,
          relatedElsewhere: holders.filter((other) => !sharing.includes(other)).slice(0, MAX_RELATED).map((other) => ({ message: `${other.name} also holds ${secret.label}`, document: other.document, range: other.range })),
        });
      }
    }
  },
});

type Hold = (key: string, label: string, holderNoun: string, holder: Holder) => void;

function collectCompose(document: AnalyzedDocument, hold: Hold): void {
  const model = document.compose!;
  const scope = `compose:${document.file}#${document.offset}`;
  for (const service of model.services) {
    const holderName = `Service "${service.name}"`;
    for (const reference of service.secrets) {
      const range = valueTextRange(model.tree.text, reference.node) ?? reference.range;
      hold(`${scope}#secret:${reference.name}`, `secret "${reference.name}"`, 'services', { name: holderName, document, range });
    }
    for (const variable of service.environment) {
      if (!isCredentialName(variable.name)) continue;
      if (variable.value === undefined) {
        // `- DB_PASSWORD` passes the shell's variable through.
        hold(`${scope}#var:${variable.name}`, `\${${variable.name}}`, 'services', { name: holderName, document, range: variable.nameRange });
        continue;
      }
      const source = variable.valueRange ? model.tree.text.slice(variable.valueRange.start, variable.valueRange.end) : variable.value;
      const interpolations = findInterpolations(source, variable.valueRange?.start ?? variable.nameRange.start);
      if (interpolations.length > 0) {
        for (const interpolation of interpolations) hold(`${scope}#var:${interpolation.variable}`, `\${${interpolation.variable}}`, 'services', { name: holderName, document, range: interpolation.range });
      } else if (variable.value.trim() !== '') {
        hold(`${scope}#literal:${variable.name}=${variable.value}`, `the value of ${variable.name}`, 'services', { name: holderName, document, range: variable.valueRange ?? variable.nameRange });
      }
    }
  }
}

function collectKubernetes(document: AnalyzedDocument, object: KubernetesObject, hold: Hold): void {
  const spec = object.podSpec;
  if (!spec) return;
  const tree = object.tree;
  const namespace = namespaceOf(object);
  const holderName = `${object.kind} "${object.name ?? '?'}"${object.namespace ? ` in namespace "${object.namespace}"` : ''}`;
  const add = (nameNode: unknown) => {
    const name = scalarText(nameNode);
    const range = valueTextRange(tree.text, nameNode);
    if (name === undefined || !range || name.includes('{{') || name.includes('$')) return;
    hold(`k8s:${namespace}#${name}`, `Secret "${name}" (namespace "${namespace}")`, 'workloads', { name: holderName, document, range });
  };
  for (const container of spec.containers) {
    for (const item of tree.items(tree.get(container.node, 'env'))) add(tree.get(tree.get(tree.get(item, 'valueFrom'), 'secretKeyRef'), 'name'));
    for (const item of tree.items(tree.get(container.node, 'envFrom'))) add(tree.get(tree.get(item, 'secretRef'), 'name'));
  }
  for (const volume of tree.items(tree.get(spec.node, 'volumes'))) {
    const secretVolume = tree.get(volume, 'secret');
    if (!onlyPublicKeys(tree, secretVolume)) add(tree.get(secretVolume, 'secretName'));
    for (const source of tree.items(tree.get(tree.get(volume, 'projected'), 'sources'))) add(tree.get(tree.get(source, 'secret'), 'name'));
  }
}

/** A secret volume that projects only certificates (`items: [{key: ca.crt}]`) hands out nothing secret. */
function onlyPublicKeys(tree: KubernetesObject['tree'], secretVolume: unknown): boolean {
  const keys = tree.items(tree.get(secretVolume, 'items')).map((item) => tree.string(item, 'key') ?? '');
  return keys.length > 0 && keys.every((key) => /(?:\.crt|\.pem|ca\.crt|^ca|cert(?:ificate)?s?)$/i.test(key) && !/key/i.test(key));
}

const MAX_NAMED = 5;
const MAX_RELATED = 20;

function listSome(names: readonly string[]): string {
  return names.length <= MAX_NAMED ? names.join(', ') : `${names.slice(0, MAX_NAMED).join(', ')} and ${names.length - MAX_NAMED} more`;
}
