import { defineRule } from '../rule';
import { fix, setMapValue } from '../../core/edits';
import { DATASTORE_PORTS } from '../../model/names';
import { AMBIGUOUS_PORTS, bindToLoopback, exposesDatastore, portRange } from '../shared/exposure';
import { isLoopback } from '../../model/compose';
import { isExternallyReachable, readService } from '../../model/services';
import { portNumber } from '../../model/common';

export const datastoreExposed = defineRule({
  id: 'BND002',
  pattern: 'BND',
  severity: 'error',
  title: 'Datastore reachable from outside its zone',
  kinds: ['compose', 'kubernetes'],
  hasFix: true,
  peers: ['Threagile unguarded-direct-datastore-access', 'kube-linter exposed-services'],
  guidance: {
    why: 'A database belongs in the innermost zone: only the services that own its data should reach it. Publishing its port on the host (compose) or through a LoadBalancer/NodePort Service (Kubernetes) lets every network that reaches the host or node try its credentials, and databases are built for throughput, not for the internet.',
    fix: 'Remove the published port and let the application reach the database over a private network; for local debugging bind it to `127.0.0.1`. In Kubernetes use a ClusterIP Service plus a NetworkPolicy that admits only the owning service.',
    bad: 'services:\n  db:\n    image: postgres:16.4\n    ports:\n      - "5432:5432"',
    good: 'services:\n  db:\n    image: postgres:16.4\n    ports:\n      - "127.0.0.1:5432:5432"',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    for (const service of model.services) {
      for (const port of service.ports) {
        if (!exposesDatastore(service, port) || (port.hostIp !== undefined && (isLoopback(port.hostIp) || port.hostIp.includes('$')))) continue;
        const name = DATASTORE_PORTS.get(portNumber(port.target) ?? -1);
        context.report({
          range: portRange(tree, port),
          message: `Service "${service.name}" publishes ${name ? `${name} port ${port.target}` : `port ${port.target ?? '?'} of datastore image ${service.image?.value}`} on ${port.hostIp ? `host IP ${port.hostIp}` : 'all host interfaces'}: anything that reaches the host can try its credentials.`,
          fixes: fix('Bind to 127.0.0.1', [bindToLoopback(tree, port)], false),
        });
      }
    }
  },
  checkKubernetes(object, context) {
    const service = readService(object);
    if (!service || !isExternallyReachable(service) || !service.spec) return;
    const tree = object.tree;
    // An allowlist of client ranges makes this a deliberate, narrowed exposure.
    if (tree.get(service.spec, 'loadBalancerSourceRanges') !== undefined) return;
    // ClusterIP rejects explicit nodePorts, so the switch is only offered when there are none.
    const canSwitch = service.ports.every((port) => tree.get(port.node, 'nodePort') === undefined);
    for (const port of service.ports) {
      const target = portNumber(port.targetPort);
      const known = [port.port, target].find((number) => number !== undefined && DATASTORE_PORTS.has(number) && !AMBIGUOUS_PORTS.has(number));
      if (known === undefined || !port.portRange) continue;
      context.report({
        range: port.portRange,
        message: `Service "${object.name ?? '?'}" of type ${service.type} exposes ${DATASTORE_PORTS.get(known)} port ${known} outside the cluster: anything that reaches a node or the load balancer can try its credentials.`,
        fixes: canSwitch ? fix('Make the Service ClusterIP', [setMapValue(tree, service.spec, 'type', 'ClusterIP')], false) : undefined,
      });
    }
  },
});
