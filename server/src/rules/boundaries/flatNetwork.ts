import { defineRule } from '../rule';
import { composeProgram, composeServiceUsers, isOneShotJob, type ComposeService } from '../../model/compose';
import { isDatastore } from '../../model/names';

/** With fewer application services than this beside the datastore, they all need it: nothing to segment. */
const MIN_CLIENTS = 2;

export const flatNetwork = defineRule({
  id: 'BND003',
  pattern: 'BND',
  alsoPattern: 'ZT',
  severity: 'warning',
  title: 'Datastore shares one flat network with services that do not use it',
  kinds: ['compose'],
  hasFix: false,
  peers: ['KICS ce14a68b Networks Not Set', 'Threagile missing-network-segmentation'],
  guidance: {
    why: 'When every service sits on the one network, each of them can open a connection to the database, the web-facing proxy included: one compromised frontend reaches the data directly. "Internal network" is not a trust boundary; only the services that own the data should reach it. Reported only for services the file shows no use of the datastore by (no `depends_on`, link, or address naming it); projects with fewer than two application programs beside their datastores are not reported, and roles of one program (one image or build, often merged from one YAML anchor) count once.',
    fix: 'Put the datastore on its own network (`internal: true` keeps it off the internet too) and attach only the services that use it; keep the public-facing services on a separate frontend network.',
    bad: 'services:\n  proxy:\n    image: nginx:1.27.2\n  api:\n    image: example/api:2.3.1\n  db:\n    image: postgres:16.4',
    good: 'services:\n  proxy:\n    image: nginx:1.27.2\n    networks: [frontend]\n  api:\n    image: example/api:2.3.1\n    networks: [frontend, backend]\n  db:\n    image: postgres:16.4\n    networks: [backend]\nnetworks:\n  frontend: {}\n  backend:\n    internal: true',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    // `network_mode` (host, none, bridge, service:x) takes a service off the project's networks.
    // One-off jobs (a chown, a replica-set init) come and go: they are neither servers nor lasting neighbours.
    const attached = model.services.filter((service) => service.node && tree.pair(service.node, 'network_mode') === undefined);
    const lasting = attached.filter((service) => !isOneShotJob(tree, service));
    const servers = lasting.filter((service) => isDatastore(service.image?.value));
    const serverSet = new Set(servers);
    const clients = lasting.filter((service) => !serverSet.has(service));
    if (servers.length === 0 || distinctPrograms(clients).length < MIN_CLIENTS) return;
    const networksOf = (service: ComposeService) => (service.networks.length === 0 ? ['default'] : service.networks.map((network) => network.name)).sort().join(',');
    const first = networksOf(attached[0]);
    if (first.includes(',') || attached.some((service) => networksOf(service) !== first)) return;
    const network = first === 'default' ? 'the default network' : `network "${first}"`;
    // Grouped once: each datastore then leaves out only its own program's group.
    const clientsByProgram = groupByProgram(clients);
    const users = composeServiceUsers(tree, clients, servers);
    const labels = new Map([...clientsByProgram.values()].map((roles) => [roles, programLabel(roles)]));
    for (const server of servers) {
      // Roles of one program (one image or build) count once; one of them using the datastore speaks for all.
      const serverProgram = composeProgram(server);
      const groups = [...clientsByProgram].filter(([program]) => program !== serverProgram).map(([, roles]) => roles);
      if (groups.length < MIN_CLIENTS) continue;
      const usersOfServer = users.get(server)!;
      const strangers = groups.filter((roles) => roles.every((role) => !usersOfServer.has(role)));
      if (strangers.length === 0) continue;
      const names = strangers.map((roles) => labels.get(roles)!);
      const others = names.length > 4 ? [...names.slice(0, 4), `${names.length - 4} more`] : names;
      context.report({
        range: server.networks[0]?.range ?? server.keyRange,
        message: `Datastore "${server.name}" shares ${network} with ${others.join(', ')}: the file shows no use of it by ${strangers.length === 1 ? 'that service' : 'them'} (no depends_on, link or address naming it), yet ${strangers.length === 1 ? 'it' : 'each'} can connect to it, so one compromised service reaches the data.`,
        related: strangers.map((roles) => ({ message: `"${roles[0].name}" does not use "${server.name}" but can reach it`, range: roles[0].keyRange })),
      });
    }
  },
});

/** Roles of one program as `"api"/"worker"`; past three, `"a"/"b"/"c" and 80 more of that program` (a message stays readable). */
function programLabel(roles: readonly ComposeService[]): string {
  const named = roles.slice(0, MAX_ROLES_NAMED).map((role) => `"${role.name}"`).join('/');
  return roles.length > MAX_ROLES_NAMED ? `${named} and ${roles.length - MAX_ROLES_NAMED} more of that program` : named;
}

const MAX_ROLES_NAMED = 3;

function groupByProgram(services: readonly ComposeService[]): Map<string, ComposeService[]> {
  const groups = new Map<string, ComposeService[]>();
  for (const service of services) {
    const program = composeProgram(service);
    const group = groups.get(program);
    if (group) group.push(service);
    else groups.set(program, [service]);
  }
  return groups;
}

function distinctPrograms(services: readonly ComposeService[]): string[] {
  return [...groupByProgram(services).keys()];
}
