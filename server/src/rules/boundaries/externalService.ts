import { defineRule } from '../rule';
import { fix, setMapValue } from '../../core/edits';
import { keyRange, valueTextRange } from '../../core/tree';
import { stringItems } from '../../model/common';
import { isExternallyReachable, readService, type KubernetesService } from '../../model/services';
import { exposedDatastorePorts, narrowedBySourceRanges } from './datastoreExposed';
import { plaintextServicePorts } from './plaintextExposure';

/** Annotations that keep a cloud load balancer on the private network (AWS, GKE, Azure, OCI, IBM, Alibaba). */
const INTERNAL_LB: ReadonlyArray<[RegExp, RegExp]> = [
  [/^service\.beta\.kubernetes\.io\/aws-load-balancer-internal$/, /^(?!false$).+$/i],
  [/^service\.beta\.kubernetes\.io\/aws-load-balancer-scheme$/, /^internal$/i],
  [/^(?:networking\.gke\.io|cloud\.google\.com)\/load-balancer-type$/, /^internal$/i],
  [/^service\.beta\.kubernetes\.io\/azure-load-balancer-internal$/, /^true$/i],
  [/^service\.beta\.kubernetes\.io\/oci-load-balancer-internal$/, /^true$/i],
  [/^service\.kubernetes\.io\/ibm-load-balancer-cloud-provider-ip-type$/, /^private$/i],
  [/^service\.beta\.kubernetes\.io\/alibaba-cloud-loadbalancer-address-type$/, /^intranet$/i],
];

/**
 * BND010: a Service that opens an entry into the cluster from outside it. NodePort and LoadBalancer
 * Services are the intended entries and are reported as information, so every entry is seen;
 * `externalIPs` is a warning (traffic any pod sends to that address is taken over by the Service).
 * Services whose exposure another rule already states (a datastore port, BND002; plain HTTP, BND005)
 * are left to it; Ingress objects are judged by BND005 (TLS) and BND009 (what is behind them).
 */
export const externalService = defineRule({
  id: 'BND010',
  pattern: 'BND',
  severity: 'warning',
  milderSeverities: ['info'],
  title: 'Service reachable from outside the cluster (NodePort, LoadBalancer, externalIPs)',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: ['KICS Service With External Load Balancer, Service Type is NodePort', 'kube-linter exposed-services'],
  guidance: {
    why: 'Every Service of type NodePort opens its port on every node\'s interfaces, and every LoadBalancer Service asks the cloud for an address outside the cluster: each is an entry into the zone, to be drawn on the boundary and guarded. An internal load balancer (by the cloud\'s annotation) and one narrowed by `loadBalancerSourceRanges` are not reported. `externalIPs` makes kube-proxy capture traffic to those addresses on every node, also traffic that pods send to them (the interception of CVE-2020-8554): a warning. Datastore ports (BND002) and plain HTTP (BND005) are reported by those rules instead; an Ingress is judged by BND005 and BND009.',
    fix: 'Keep Services `ClusterIP` and enter the cluster through one Ingress or gateway with TLS and authentication; for a load balancer that must stay private use the cloud\'s internal annotation or `loadBalancerSourceRanges`. Remove `externalIPs` and admit them only through the DenyServiceExternalIPs admission plugin\'s exceptions.',
    bad: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: admin\nspec:\n  type: NodePort\n  selector: {app: admin}\n  ports:\n    - port: 9443\n      targetPort: 9443',
    good: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: admin\nspec:\n  type: ClusterIP\n  selector: {app: admin}\n  ports:\n    - port: 9443\n      targetPort: 9443',
  },
  checkKubernetes(object, context) {
    const service = readService(object);
    if (!service?.spec) return;
    const tree = object.tree;
    const externalIps = tree.pair(service.spec, 'externalIPs');
    const addresses = stringItems(tree, service.spec, 'externalIPs');
    if (addresses.length > 0) {
      context.report({
        range: (externalIps && keyRange(externalIps)) || addresses[0].range,
        message: `Service "${object.name ?? '?'}" claims externalIPs ${addresses.map((item) => item.value).join(', ')}: every node sends traffic for ${addresses.length > 1 ? 'those addresses' : 'that address'} to it, including what pods send there, whoever owns the address.`,
      });
    }
    if (!isExternallyReachable(service) || !service.typeNode || !outward(service)) return;
    if (exposedDatastorePorts(service).length > 0 || plaintextServicePorts(service).length > 0) return;
    const ports = service.ports.flatMap((port) => (port.port === undefined ? [] : [port.port]));
    const portText = ports.length > 0 ? `port${ports.length > 1 ? 's' : ''} ${ports.join(', ')}` : 'its ports';
    // ClusterIP rejects explicit nodePorts, so the switch is only offered when there are none.
    const canSwitch = service.ports.every((port) => tree.get(port.node, 'nodePort') === undefined);
    context.report({
      range: valueTextRange(tree.text, service.typeNode)!,
      severity: 'info',
      message:
        service.type === 'NodePort'
          ? `Service "${object.name ?? '?'}" of type NodePort opens ${portText} on every node's interfaces: anything that reaches a node reaches its pods.`
          : `Service "${object.name ?? '?'}" of type LoadBalancer asks for an address outside the cluster for ${portText}, open to every client (no internal annotation, no loadBalancerSourceRanges): an entry into the zone of its own.`,
      fixes: canSwitch ? fix('Make the Service ClusterIP', [setMapValue(tree, service.spec, 'type', 'ClusterIP')], false) : undefined,
    });
  },
});

/** Whether a LoadBalancer is open to every client (NodePort always is). */
function outward(service: KubernetesService): boolean {
  if (service.type !== 'LoadBalancer') return true;
  if (narrowedBySourceRanges(service)) return false;
  const tree = service.object.tree;
  const annotations = service.object.metadata ? tree.get(service.object.metadata, 'annotations') : undefined;
  const internal = tree.entries(annotations).some(([key, value]) => {
    const name = String(key.value);
    const text = String((value as { value?: unknown } | undefined)?.value ?? '').trim();
    return INTERNAL_LB.some(([keyPattern, valuePattern]) => keyPattern.test(name) && valuePattern.test(text));
  });
  return !internal;
}
