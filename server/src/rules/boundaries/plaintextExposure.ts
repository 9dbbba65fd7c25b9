import { defineRule } from '../rule';
import type { KubernetesObject } from '../../model/kubernetes';
import type { YAMLMap } from '../../core/yaml';
import type { Fix } from '../../core/types';
import { fix, indentUnit, insertIntoMap } from '../../core/edits';
import { DATASTORE_PORTS } from '../../model/names';
import { valueTextRange } from '../../core/tree';
import { isExternallyReachable, readService, type ServicePort } from '../../model/services';

const PLAINTEXT_HTTP_PORTS = new Set([80, 8000, 8008, 8080, 8081, 8888]);
const TLS_PORTS = new Set([443, 8443]);
/** Annotations that make the cloud load balancer terminate TLS in front of the Service or Ingress. */
const LB_TLS_ANNOTATION = /(?:ssl-cert|certificate-arn|certificate-id|pre-shared-cert|managed-certificates|load-balancer-tls|tls-cert)/i;

export const plaintextExposure = defineRule({
  id: 'BND005',
  pattern: 'BND',
  alsoPattern: 'ZT',
  severity: 'warning',
  title: 'Externally exposed endpoint without TLS',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: ['Polaris tlsSettingsMissing', 'Threagile unencrypted-communication', 'kube-linter exposed-services'],
  guidance: {
    why: 'Traffic that crosses from the internet into the cluster is the most exposed crossing there is. Plain HTTP there means credentials and session tokens travel readable and forgeable by anyone on the path, and the service cannot prove who it is. An Ingress\'s `tls:` counts only for the hosts it lists: a rule for another host is reported. A Service that also offers 443, load balancers that terminate TLS by annotation, and datastore ports (BND002) are not reported.',
    fix: 'Terminate TLS at the crossing: add `tls:` with a certificate Secret to the Ingress (cert-manager can issue it), or expose 443 with a certificate on the load balancer and redirect port 80 to it.',
    bad: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n  rules:\n    - host: shop.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service: {name: web, port: {number: 80}}',
    good: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n  tls:\n    - hosts: [shop.example.com]\n      secretName: shop-tls\n  rules:\n    - host: shop.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service: {name: web, port: {number: 80}}',
  },
  checkKubernetes(object, context) {
    if (terminatesTlsByAnnotation(object)) return;
    if (object.kind === 'Ingress' && /^(?:networking\.k8s\.io|extensions)\//.test(object.apiVersion)) {
      const tree = object.tree;
      const spec = tree.map(object.root, 'spec');
      if (!spec) return;
      const tls = tree.items(tree.get(spec, 'tls'));
      if (tls.length > 0) {
        // TLS counts only for the hosts it lists: a rule for another host still serves plain HTTP.
        const covered = tls.map((entry) => tree.items(tree.get(entry, 'hosts')).map((host) => String((host as { value?: unknown }).value ?? '')));
        if (covered.some((hosts) => hosts.length === 0)) return;
        for (const rule of tree.items(tree.get(spec, 'rules'))) {
          const hostNode = tree.get(rule, 'host');
          const host = tree.string(rule, 'host');
          const range = valueTextRange(tree.text, hostNode);
          if (host === undefined || !range || host.includes('{{') || covered.flat().some((name) => hostMatches(name, host))) continue;
          context.report({ range, message: `Ingress "${object.name ?? '?'}" serves host ${host} over plain HTTP: its tls: section covers ${covered.flat().join(', ')} only.` });
        }
        return;
      }
      if (tree.items(tree.get(spec, 'rules')).length === 0 && tree.get(spec, 'defaultBackend') === undefined && tree.get(spec, 'backend') === undefined) return;
      context.report({ range: object.subjectRange, message: `Ingress "${object.name ?? '?'}" has no tls: section, so traffic from outside the cluster reaches it over plain HTTP.`, fixes: addTlsSection(object, spec) });
      return;
    }
    const service = readService(object);
    if (!service || !isExternallyReachable(service)) return;
    if (service.ports.some(isTlsPort)) return;
    for (const port of service.ports) {
      if (!port.portRange || !isPlaintextHttp(port)) continue;
      context.report({
        range: port.portRange,
        message: `Service "${object.name ?? '?'}" of type ${service.type} exposes plain HTTP port ${port.port} outside the cluster and offers no TLS port.`,
      });
    }
  },
});

/** Whether a TLS host entry (`shop.example.com`, `*.example.com`) covers a rule's host. */
function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  return pattern.startsWith('*.') && host.endsWith(pattern.slice(1)) && !host.slice(0, -pattern.length + 1).includes('.');
}

function isTlsPort(port: ServicePort): boolean {
  return (port.port !== undefined && TLS_PORTS.has(port.port)) || /https|tls|ssl/i.test(port.name ?? '');
}

function isPlaintextHttp(port: ServicePort): boolean {
  // Datastore ports are BND002's: the problem there is the exposure itself, not the missing TLS.
  if (port.port !== undefined && DATASTORE_PORTS.has(port.port)) return false;
  if (port.name !== undefined && /^http(?!s)/i.test(port.name)) return true;
  return port.port !== undefined && PLAINTEXT_HTTP_PORTS.has(port.port) && !/grpc|metrics/i.test(port.name ?? '');
}

function terminatesTlsByAnnotation(object: KubernetesObject): boolean {
  const tree = object.tree;
  const annotations = object.metadata ? tree.get(object.metadata, 'annotations') : undefined;
  return tree.entries(annotations).some(([key]) => LB_TLS_ANNOTATION.test(String(key.value)));
}

/**
 * Adds `tls:` for the Ingress's hosts with a certificate Secret named after it. The Secret has
 * to exist (or cert-manager has to issue it), so the fix is offered, not applied in bulk.
 */
function addTlsSection(object: KubernetesObject, spec: YAMLMap): Fix[] {
  const tree = object.tree;
  if (tree.pair(spec, 'tls')) return [];
  const hosts = tree.items(tree.get(spec, 'rules')).map((rule) => tree.string(rule, 'host')).filter((host): host is string => host !== undefined && /^[A-Za-z0-9*.-]+$/.test(host));
  const unit = ' '.repeat(indentUnit(tree.text));
  const secretName = `${(object.name ?? 'ingress').replace(/[^a-z0-9.-]/g, '-')}-tls`;
  const lines = hosts.length > 0 ? ['tls:', `${unit}- hosts: [${[...new Set(hosts)].join(', ')}]`, `${unit}  secretName: ${secretName}`] : ['tls:', `${unit}- secretName: ${secretName}`];
  return fix(`Terminate TLS here (tls: with Secret ${secretName})`, [insertIntoMap(tree, spec, lines)], false);
}
