import { defineRule } from '../rule';
import type { OffsetRange } from '../../core/types';
import { composeSecretReferences, podSecretReferences } from '../../model/secrets';
import { MODEL_HEADER, quoteList } from '../shared/architecture';
import { componentsOf, componentsOfService, componentsOfWorkload, systemScopes, type LocatedComponent } from '../../model/systems';

export const archDriftSecretHolders = defineRule({
  id: 'TCB106',
  pattern: 'TCB',
  severity: 'warning',
  title: 'Secret held by more deployed services than the model says',
  kinds: ['architecture'],
  hasFix: false,
  guidance: {
    why: 'Every holder of a secret is part of the trusted computing base for it. The model names who may hold each secret; a deployment that hands it to more services has grown the TCB without anyone deciding to.',
    fix: 'Remove the secret from the services the model does not give it to (have them call the holder\'s API), or, if the design changed, add it to the component\'s `secrets` in the model.',
    bad: `${MODEL_HEADER}components:\n  orders:\n    secrets: [db-password]\n  web: {}\n---\nservices:\n  orders:\n    image: shop/orders:1.4.2\n    secrets: [db-password]\n  web:\n    image: shop/web:2.1.0\n    secrets: [db-password]\nsecrets:\n  db-password:\n    file: ./db-password.txt`,
    good: `${MODEL_HEADER}components:\n  orders:\n    secrets: [db-password]\n  web: {}\n---\nservices:\n  orders:\n    image: shop/orders:1.4.2\n    secrets: [db-password]\n  web:\n    image: shop/web:2.1.0\nsecrets:\n  db-password:\n    file: ./db-password.txt`,
  },
  checkWorkspace(documents, context) {
    for (const scope of systemScopes(documents)) {
      const holders = new Map<string, LocatedComponent[]>();
      for (const located of componentsOf(scope)) for (const secret of located.component.secrets) holders.set(secret.value, [...(holders.get(secret.value) ?? []), located]);
      if (holders.size === 0) continue;
      const check = (document: (typeof scope.compose)[number]['document'], what: string, implementing: LocatedComponent[], secret: string, range: OffsetRange) => {
        const designed = holders.get(secret);
        if (!designed || implementing.length === 0 || implementing.some((located) => designed.some((holder) => holder.component === located.component))) return;
        context.report({
          document,
          range,
          message: `${what} holds secret "${secret}", but the model gives it only to ${quoteList(designed.map((located) => located.component.id))}: the deployment has more secret holders than designed.`,
          relatedElsewhere: designed.map((located) => ({ message: `"${located.component.id}" holds ${secret} in the model`, document: located.part.document, range: located.component.secrets.find((s) => s.value === secret)!.range })),
        });
      };
      for (const { document, model } of scope.compose) {
        for (const [service, references] of composeSecretReferences(model)) {
          const implementing = componentsOfService(scope, service);
          for (const reference of references) if (reference.name !== undefined) check(document, `Compose service "${service.name}"`, implementing, reference.name, reference.range);
        }
      }
      for (const { document, object } of scope.kubernetes) {
        if (!object.podSpec) continue;
        const implementing = componentsOfWorkload(scope, object);
        for (const reference of podSecretReferences(object)) check(document, `${object.kind} "${object.name}"`, implementing, reference.name!, reference.range);
      }
    }
  },
});
