import { defineParameter, defineRule, parameterValue } from '../rule';
import { treeOf } from '../../model/architecture';
import { MODEL_HEADER, quoteList } from '../shared/architecture';

/** BND103's reach budget. */
export const DATASTORE_REACH = defineParameter({
  name: 'datastoreReach',
  default: 3,
  minimum: 1,
  maximum: 1000,
  unit: 'components',
  description: 'A datastore in an architecture model reachable from more components than this is reported (BND103).',
});

export const archDatastoreReach = defineRule({
  id: 'BND103',
  pattern: 'BND',
  severity: 'warning',
  title: 'Datastore reachable from too many components',
  kinds: ['architecture', 'threagile'],
  hasFix: false,
  parameters: [DATASTORE_REACH],
  guidance: {
    why: 'A database every service can reach is one compromised service away from a full breach. Keep the boundary surface small: only the named services that own the data reach it. (Where a flow reaches a datastore from a distant zone, BND102 reports the tier it skips; a Threagile datastore reached directly across a network boundary is BND108.)',
    fix: 'Let one owning service reach the datastore and have the others call that service\'s API (threshold: `thresholds.datastoreReach`; devops links such as backups do not count).',
    bad: `${MODEL_HEADER}components:\n  orders: {}\n  payments: {}\n  shipping: {}\n  reports: {}\n  shop-db:\n    type: datastore\nflows:\n  a: { from: orders, to: shop-db, authentication: mtls }\n  b: { from: payments, to: shop-db, authentication: mtls }\n  c: { from: shipping, to: shop-db, authentication: mtls }\n  d: { from: reports, to: shop-db, authentication: mtls }`,
    good: `${MODEL_HEADER}components:\n  orders: {}\n  payments: {}\n  shop-db:\n    type: datastore\nflows:\n  a: { from: orders, to: shop-db, authentication: mtls }\n  b: { from: payments, to: orders, authentication: mtls }`,
    threagile:
      'Threagile has no rule counting a datastore\'s callers. Devops links (backups, migrations) and out-of-scope datastores are not counted. The datastore reached directly across a network boundary is BND108 (Threagile\'s unguarded-direct-datastore-access).',
  },
  checkArchitecture(model, context) {
    const limit = parameterValue(context.options, DATASTORE_REACH);
    for (const datastore of model.components) {
      if (datastore.componentType !== 'datastore' || datastore.threagile?.outOfScope) continue;
      const inbound = model.flows.filter((flow) => flow.to?.value === datastore.id && flow.from && flow.from.value !== datastore.id && flow.threagile?.usage !== 'devops');
      const sources = [...new Set(inbound.map((flow) => flow.from!.value))];
      if (sources.length <= limit) continue;
      context.report({
        tree: treeOf(model, datastore),
        range: datastore.range,
        message: `Datastore "${datastore.id}" is reached by ${sources.length} components (${quoteList(sources)}), more than the ${limit} allowed: each of them is a path to all of its data.`,
        related: inbound.map((flow) => ({ message: `reached by flow "${flow.id}" from "${flow.from!.value}"`, range: flow.range, tree: flow.tree })),
      });
    }
  },
});
