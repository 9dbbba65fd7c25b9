import { defineRule } from '../rule';
import { fix, setMapValue } from '../../core/edits';
import { DATASTORE_PORTS } from '../../model/names';
import { AMBIGUOUS_PORTS, bindToLoopback, exposesDatastore, portRange } from '../shared/exposure';
import { hostIpWhenUnset, interfaceChoice, publishedOnLoopback, type ComposeModel } from '../../model/compose';
import { authSwitchesOff, openByDefault, redisWithoutPassword } from '../../model/authentication';
import { isCredentialName, isLiteralSecretValue, isUnsetSentinel } from '../../model/names';
import { valueWhenUnset } from '../../model/interpolation';
import { composeSites, startupFacts, type ProcessSite } from '../shared/workloads';
import { defaultedInterpolations, defaultsASecret, namesInFile } from '../shared/interpolations';
import { isExternallyReachable, readService, type KubernetesService, type ServicePort } from '../../model/services';
import { portNumber, stringItems } from '../../model/common';

export const datastoreExposed = defineRule({
  id: 'BND002',
  pattern: 'BND',
  severity: 'error',
  milderSeverities: ['warning'],
  title: 'Datastore reachable from outside its zone',
  kinds: ['compose', 'kubernetes'],
  composeScope: 'service',
  // Whether a defaulted variable is a secret depends on the names beside it in the whole file (an access key id beside its secret key).
  composeContext: (model) => [...namesInFile(model)].sort().join('\n'),
  hasFix: true,
  peers: ['Threagile unguarded-direct-datastore-access', 'kube-linter exposed-services'],
  guidance: {
    why: 'A database belongs in the innermost zone: only the services that own its data should reach it. Publishing its port on the host (compose) or through a LoadBalancer/NodePort Service (Kubernetes) lets every network that reaches the host or node try its credentials, and databases are built for throughput, not for the internet. An error when the file shows it open (authentication switched off or left at an open default, Redis without a password) or protected by a credential anyone reading the file knows; otherwise a warning, as it still asks for credentials.',
    fix: 'Remove the published port and let the application reach the database over a private network; for local debugging bind it to `127.0.0.1`. In Kubernetes use a ClusterIP Service plus a NetworkPolicy that admits only the owning service.',
    bad: 'services:\n  db:\n    image: postgres:16.4\n    ports:\n      - "5432:5432"',
    good: 'services:\n  db:\n    image: postgres:16.4\n    ports:\n      - "127.0.0.1:5432:5432"',
  },
  checkCompose(model, context) {
    const tree = model.tree;
    const sites = new Map(composeSites(model).map((site) => [site.service!, site]));
    for (const service of model.services) {
      for (const port of service.ports) {
        const hostIp = hostIpWhenUnset(port);
        if (!exposesDatastore(service, port) || hostIp === undefined || publishedOnLoopback(port)) continue;
        const name = DATASTORE_PORTS.get(portNumber(port.target === undefined ? undefined : valueWhenUnset(port.target)) ?? -1);
        const weakness = openOrWeak(model.document ?? model, sites.get(service)!);
        const what = `${name ? `${name} port ${valueWhenUnset(port.target ?? '') ?? port.target}` : `port ${port.target ?? '?'} of datastore image ${service.image?.value}`} on ${hostIp !== '' && hostIp !== '0.0.0.0' && hostIp !== '::' ? `host IP ${hostIp}` : 'all host interfaces'}${interfaceChoice(port)}`;
        context.report({
          range: portRange(tree, port),
          severity: weakness ? undefined : 'warning',
          message: weakness
            ? `Service "${service.name}" publishes ${what}, and ${weakness}: anything that reaches the host gets in.`
            : `Service "${service.name}" publishes ${what}: it still asks for credentials (none weak in this file), but anything that reaches the host can try them.`,
          fixes: fix('Bind to 127.0.0.1', [bindToLoopback(tree, port)], false),
        });
      }
    }
  },
  checkKubernetes(object, context) {
    const service = readService(object);
    if (!service || !service.spec) return;
    const tree = object.tree;
    // ClusterIP rejects explicit nodePorts, so the switch is only offered when there are none.
    const canSwitch = service.ports.every((port) => tree.get(port.node, 'nodePort') === undefined);
    for (const { port, known } of exposedDatastorePorts(service)) {
      if (!port.portRange) continue;
      context.report({
        range: port.portRange,
        message: `Service "${object.name ?? '?'}" of type ${service.type} exposes ${DATASTORE_PORTS.get(known)} port ${known} outside the cluster: anything that reaches a node or the load balancer can try its credentials.`,
        fixes: canSwitch ? fix('Make the Service ClusterIP', [setMapValue(tree, service.spec, 'type', 'ClusterIP')], false) : undefined,
      });
    }
  },
});

/**
 * The ports of a LoadBalancer or NodePort Service that lead to a well-known datastore port, with
 * that port; none when `loadBalancerSourceRanges` narrows the clients (unless it admits everyone).
 */
export function exposedDatastorePorts(service: KubernetesService): Array<{ port: ServicePort; known: number }> {
  if (!isExternallyReachable(service) || !service.spec) return [];
  // An allowlist of client ranges makes this a deliberate, narrowed exposure, unless it admits everyone.
  if (narrowedBySourceRanges(service)) return [];
  return service.ports.flatMap((port) => {
    const known = [port.port, portNumber(port.targetPort)].find((number) => number !== undefined && DATASTORE_PORTS.has(number) && !AMBIGUOUS_PORTS.has(number));
    return known === undefined ? [] : [{ port, known }];
  });
}

/** Whether `loadBalancerSourceRanges` admits only some clients (not 0.0.0.0/0 or ::/0). */
export function narrowedBySourceRanges(service: KubernetesService): boolean {
  const sourceRanges = stringItems(service.object.tree, service.spec, 'loadBalancerSourceRanges').map((item) => item.value.trim());
  return sourceRanges.length > 0 && !sourceRanges.some((range) => range === '0.0.0.0/0' || range === '::/0');
}

/**
 * Why an exposed compose datastore is exploitable as written: its authentication switched off or
 * left at an open default, or a credential anyone reading the file knows (a literal value, or a
 * non-empty default of a credential variable). Undefined when it asks for credentials the file
 * does not give away.
 */
function openOrWeak(model: ComposeModel, site: ProcessSite): string | undefined {
  const off = authSwitchesOff(site.image, site.environment)[0];
  if (off) return `${off.variable.name}=${off.variable.value} means ${off.authSwitch.effect}`;
  const facts = startupFacts(site);
  const open = openByDefault(facts);
  if (open) return `it runs ${open}`;
  if (redisWithoutPassword(facts, (variable) => isCredentialName(variable))) return 'it runs Redis with no password';
  const names = new Set(site.environment.map((variable) => variable.name));
  const literal = site.environment.find((variable) => variable.value !== undefined && isCredentialName(variable.name, names) && isLiteralSecretValue(variable.value));
  if (literal) return `its ${literal.name} is written in the file`;
  const service = site.service!;
  const known = defaultedInterpolations(model).find((defaulted) => service.node && within(defaulted.scalar, service.node) && defaultsASecret(defaulted, namesInFile(model)) && !isUnsetSentinel(valueWhenUnset(defaulted.interpolation.argument) ?? ''));
  if (known) return `its \${${known.interpolation.variable}} defaults to "${valueWhenUnset(known.interpolation.argument)}"`;
  return undefined;
}

function within(node: { range?: [number, number, number] | null }, holder: { range?: [number, number, number] | null }): boolean {
  return !!node.range && !!holder.range && node.range[0] >= holder.range[0] && node.range[1] <= holder.range[2];
}
