import { defineParameter, defineRule, parameterValue } from '../rule';
import { ModelIndex, trustRank, type ArchitectureZone } from '../../model/architecture';
import { MODEL_HEADER, quoteList, threagileRisk } from '../shared/architecture';

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
  title: 'Datastore reachable from too many components or from a distant zone',
  kinds: ['architecture', 'threagile'],
  hasFix: false,
  peers: ['Threagile unguarded-direct-datastore-access', 'Threagile missing-network-segmentation'],
  parameters: [DATASTORE_REACH],
  guidance: {
    why: 'A database every service can reach is one compromised service away from a full breach. Keep the boundary surface small: only the named services that own the data reach it, from the zone next to it.',
    fix: 'Let one owning service reach the datastore and have the others call that service\'s API; keep the datastore\'s callers in its own or the neighbouring zone.',
    bad: `${MODEL_HEADER}components:\n  orders: {}\n  payments: {}\n  shipping: {}\n  reports: {}\n  shop-db:\n    type: datastore\nflows:\n  a: { from: orders, to: shop-db, authentication: mtls }\n  b: { from: payments, to: shop-db, authentication: mtls }\n  c: { from: shipping, to: shop-db, authentication: mtls }\n  d: { from: reports, to: shop-db, authentication: mtls }`,
    good: `${MODEL_HEADER}components:\n  orders: {}\n  payments: {}\n  shop-db:\n    type: datastore\nflows:\n  a: { from: orders, to: shop-db, authentication: mtls }\n  b: { from: payments, to: orders, authentication: mtls }`,
  },
  checkArchitecture(model, context) {
    const index = new ModelIndex(model);
    const limit = parameterValue(context.options, DATASTORE_REACH);
    for (const datastore of model.components) {
      if (datastore.componentType !== 'datastore') continue;
      const inbound = model.flows.filter((flow) => flow.to?.value === datastore.id && flow.from && flow.from.value !== datastore.id && flow.threagile?.usage !== 'devops');
      const sources = [...new Set(inbound.map((flow) => flow.from!.value))];
      if (sources.length > limit) {
        context.report({
          range: datastore.range,
          message: `Datastore "${datastore.id}" is reached by ${sources.length} components (${quoteList(sources)}), more than the ${limit} allowed: each of them is a path to all of its data.`,
          related: [...inbound.map((flow) => ({ message: `reached by flow "${flow.id}" from "${flow.from!.value}"`, range: flow.range })), ...threagileRisk(model, 'missing-network-segmentation', datastore.range)],
        });
      }
      const zone = index.zoneOf(datastore);
      if (!zone) continue;
      for (const flow of inbound) {
        const sourceZone = index.zoneOf(index.components.get(flow.from!.value));
        if (!sourceZone || isNeighbour(index, zone, sourceZone)) continue;
        context.report({
          range: flow.from!.range,
          message: `Flow "${flow.id}" reaches datastore "${datastore.id}" (zone "${zone.id}") from zone "${sourceZone.id}", which is not its zone or the one next to it: the datastore's boundary is wider than its owners.`,
          related: threagileRisk(model, 'unguarded-direct-datastore-access', flow.range),
        });
      }
    }
  },
});

/** Same zone, parent or child, or the zone one trust level below (tier skips are BND102's). */
function isNeighbour(index: ModelIndex, zone: ArchitectureZone, other: ArchitectureZone): boolean {
  if (zone.id === other.id || zone.parent?.value === other.id || other.parent?.value === zone.id) return true;
  const target = trustRank(index.trustOf(zone));
  const source = trustRank(index.trustOf(other));
  if (target < 0 || source < 0) return true;
  return target - source >= 1;
}

