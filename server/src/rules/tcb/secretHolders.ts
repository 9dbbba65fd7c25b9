import { defineParameter, defineRule, parameterValue } from '../rule';
import { heldSecrets, overBudget, type SecretHolder } from '../../model/secrets';

/** The TCB budget for secret holders: TCB010 per secret, TCB101 per model, and the trust-boundary view's verdict. */
export const SECRET_HOLDERS = defineParameter({
  name: 'secretHolders',
  default: 3,
  minimum: 1,
  maximum: 1000,
  unit: 'holders',
  description: 'A secret held by more services or workloads than this (TCB010), or an architecture model with more components holding secrets outside a vault (TCB101), is reported and marked over budget in the trust-boundary view.',
});

export const secretHolders = defineRule({
  id: 'TCB010',
  pattern: 'TCB',
  severity: 'warning',
  title: 'Secret held by too many services',
  kinds: ['compose', 'kubernetes'],
  hasFix: false,
  peers: ['Threagile missing-vault', 'kube-linter access-to-secrets (per Role only)'],
  parameters: [SECRET_HOLDERS],
  guidance: {
    why: 'Every service that holds a credential can leak it, and must be patched, audited and trusted like the vault itself. When one secret sits in more services than the TCB budget, the trusted computing base has quietly grown to all of them. Counted per compose file (`secrets:` references, and the same `${VARIABLE}` or secret-named variable) and per Kubernetes namespace (secretKeyRef, envFrom secretRef, secret and projected volumes), across files; holders are counted as programs, so roles of one application (services built from one context or running one image, often merged from one YAML anchor) count once, and the datastore server a password opens (a `postgres` or `mariadb` service initialised with it through its own `POSTGRES_PASSWORD`, `MYSQL_PASSWORD`… variable) is named but not counted: it checks the password and already holds the data it guards. One finding per secret, at its first holder, with the others as related places.',
    fix: 'Give the secret only to the service that needs it and have the others call that service (or a vault) over an authenticated API; split a shared credential into one per service so each can be rotated and revoked alone.',
    bad: 'services:\n  orders:\n    image: example/orders:1.0.0\n    secrets: [db_password]\n  billing:\n    image: example/billing:1.0.0\n    secrets: [db_password]\n  shipping:\n    image: example/shipping:1.0.0\n    secrets: [db_password]\n  reports:\n    image: example/reports:1.0.0\n    secrets: [db_password]\nsecrets:\n  db_password:\n    external: true',
    good: 'services:\n  orders:\n    image: example/orders:1.0.0\n    secrets: [orders_db_password]\n  billing:\n    image: example/billing:1.0.0\n    secrets: [billing_db_password]\nsecrets:\n  orders_db_password:\n    external: true\n  billing_db_password:\n    external: true',
  },
  checkWorkspace(documents, context) {
    const limit = parameterValue(context.options, SECRET_HOLDERS);
    for (const secret of heldSecrets(documents)) {
      if (secret.holderNoun === 'components' || !overBudget(secret.weighed.length, limit)) continue;
      const [first, ...others] = secret.holders;
      // The datastore server a password opens checks it: named, not counted (see `heldSecrets`).
      const clients = secret.holders.filter((holder) => !holder.ownServer);
      const servers = secret.holders.filter((holder) => holder.ownServer);
      const programs = secret.weighed.length === clients.length ? '' : ` running ${secret.weighed.length} different programs`;
      const opened = servers.length === 0 ? '' : ` and by the datastore server${servers.length === 1 ? '' : 's'} it opens (${listSome(servers.map((holder) => holder.name))})`;
      // Services that merge one `<<: *anchor` block share its text: that place is named once.
      const place = (holder: SecretHolder) => `${holder.document.file}#${holder.document.offset}#${holder.range.start}:${holder.range.end}`;
      const seen = new Set<string>([place(first)]);
      // Stop at MAX_RELATED: hundreds of services may share one variable, and this runs per edit.
      const related: SecretHolder[] = [];
      for (const holder of others) {
        if (related.length === MAX_RELATED) break;
        const at = place(holder);
        if (seen.has(at)) continue;
        seen.add(at);
        related.push(holder);
      }
      context.report({
        document: first.document,
        range: first.range,
        message: `${capitalized(secret.label)} is held by ${clients.length} ${secret.holderNoun}${programs} (${listSome(clients.map((holder) => holder.name))})${opened}, over the TCB budget of ${limit}: each of them can leak it, so all of them must be trusted like a vault.`,
        relatedElsewhere: related.map((other) => ({ message: `${other.name} also holds ${secret.label}`, document: other.document, range: other.range })),
      });
    }
  },
});

const MAX_NAMED = 5;
const MAX_RELATED = 20;

function listSome(names: readonly string[]): string {
  return names.length <= MAX_NAMED ? names.join(', ') : `${names.slice(0, MAX_NAMED).join(', ')} and ${names.length - MAX_NAMED} more`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
