import { defineRule, parameterValue } from '../rule';
import { SECRET_HOLDERS } from './secretHolders';
import { keyRange } from '../../core/tree';
import { modelSecretHolding, overBudget } from '../../model/secrets';
import { MODEL_HEADER, quoteList } from '../shared/architecture';

export const archSecretSprawl = defineRule({
  id: 'TCB101',
  pattern: 'TCB',
  severity: 'warning',
  title: 'Secrets held by more components than the TCB budget',
  kinds: ['architecture'],
  hasFix: false,
  peers: ['Threagile missing-vault'],
  parameters: [SECRET_HOLDERS],
  guidance: {
    why: 'When every service fetches, decrypts, rotates and caches its own secrets, every service is part of the trusted computing base. A small vault that holds the secrets, with services calling its API, keeps the TCB small and auditable.',
    fix: 'Keep secrets in one vault component (`type: vault`) and give the services a flow to it instead of `secrets:` of their own.',
    bad: `${MODEL_HEADER}components:\n  orders:\n    secrets: [orders-db-password]\n  payments:\n    secrets: [stripe-key]\n  shipping:\n    secrets: [carrier-token]\n  mailer:\n    secrets: [smtp-password]`,
    good: `${MODEL_HEADER}components:\n  vault:\n    type: vault\n    secrets: [orders-db-password, stripe-key, carrier-token, smtp-password]\n  orders: {}\n  payments: {}\nflows:\n  orders-secrets: { from: orders, to: vault, authentication: mtls }\n  payments-secrets: { from: payments, to: vault, authentication: mtls }`,
  },
  checkArchitecture(model, context) {
    if (model.dialect !== 'securebydesign') return;
    const limit = parameterValue(context.options, SECRET_HOLDERS);
    const holders = modelSecretHolding(model).weighed;
    if (!overBudget(holders.length, limit)) return;
    const names = quoteList(holders.map((component) => component.id));
    for (const holder of holders) {
      const key = model.tree.pair(holder.node, 'secrets');
      context.report({
        range: (key && keyRange(key)) ?? holder.range,
        message: `Component "${holder.id}" holds secrets itself, one of ${holders.length} components that do (${names}), over the TCB budget of ${limit}: every holder can leak them; fetch them from a vault instead.`,
      });
    }
  },
});
