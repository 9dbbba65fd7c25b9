import { defineRule } from '../rule';
import type { ComposeService } from '../../model/compose';
import { isDatastore } from '../../model/names';

/** With fewer application services than this beside the datastore, they all need it: nothing to segment. */
const MIN_CLIENTS = 2;

export const flatNetwork = defineRule({
  id: 'BND003',
  pattern: 'BND',
  alsoPattern: 'ZT',
  severity: 'warning',
  title: 'Datastore shares one flat network with every service',
  kinds: ['compose'],
  hasFix: false,
  peers: ['KICS ce14a68b Networks Not Set', 'Threagile missing-network-segmentation'],
  guidance: {
    why: 'When every service sits on the one network, each of them can open a connection to the database, the web-facing proxy included: one compromised frontend reaches the data directly. "Internal network" is not a trust boundary; only the services that own the data should reach it. Projects with fewer than two application services beside their datastores are not reported: those all need the data, so there is nothing to separate.',
    fix: 'Put the datastore on its own network (`internal: true` keeps it off the internet too) and attach only the services that use it; keep the public-facing services on a separate frontend network.',
    bad: 'services:\n  proxy:\n    image: nginx:1.27.2\n  api:\n    image: example/api:2.3.1\n  db:\n    image: postgres:16.4',
    good: 'services:\n  proxy:\n    image: nginx:1.27.2\n    networks: [frontend]\n  api:\n    image: example/api:2.3.1\n    networks: [frontend, backend]\n  db:\n    image: postgres:16.4\n    networks: [backend]\nnetworks:\n  frontend: {}\n  backend:\n    internal: true',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    // `network_mode` (host, none, bridge, service:x) takes a service off the project's networks.
    const attached = model.services.filter((service) => service.node && tree.pair(service.node, 'network_mode') === undefined);
    const clients = attached.filter((service) => !isDatastore(service.image?.value));
    if (clients.length < MIN_CLIENTS || clients.length === attached.length) return;
    const networksOf = (service: ComposeService) => (service.networks.length === 0 ? ['default'] : service.networks.map((network) => network.name)).sort().join(',');
    const first = networksOf(attached[0]);
    if (first.includes(',') || attached.some((service) => networksOf(service) !== first)) return;
    const network = first === 'default' ? 'the default network' : `network "${first}"`;
    for (const service of attached) {
      if (!isDatastore(service.image?.value)) continue;
      const names = clients.map((other) => `"${other.name}"`);
      const others = names.length > 4 ? [...names.slice(0, 4), `${names.length - 4} more`] : names;
      context.report({
        range: service.networks[0]?.range ?? service.keyRange,
        message: `Datastore "${service.name}" shares ${network} with every application service (${others.join(', ')}): each of them can connect to it, so one compromised service reaches the data.`,
      });
    }
  },
});
