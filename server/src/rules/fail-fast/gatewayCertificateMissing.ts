import { defineRule } from '../rule';
import { isMap } from '../../core/yaml';
import { rangeOf, scalarText, valueTextRange } from '../../core/tree';
import { placedObjects } from '../../model/mesh';
import type { KubernetesObject } from '../../model/kubernetes';

/** The names of Secrets the objects define or have a controller write (cert-manager, External Secrets, Sealed Secrets). */
function definedSecretNames(objects: readonly KubernetesObject[]): Set<string> {
  const names = new Set<string>();
  for (const object of objects) {
    const tree = object.tree;
    const spec = tree.map(object.root, 'spec');
    if (object.kind === 'Secret' && object.apiVersion === 'v1' && object.name) names.add(object.name);
    else if (object.kind === 'Certificate' && object.apiVersion.startsWith('cert-manager.io/')) {
      const secret = tree.string(spec, 'secretName');
      if (secret) names.add(secret);
    } else if (object.kind === 'ExternalSecret' && object.apiVersion.startsWith('external-secrets.io/')) {
      const target = tree.string(tree.map(spec, 'target'), 'name') ?? object.name;
      if (target) names.add(target);
    } else if (object.kind === 'SealedSecret' && object.apiVersion.startsWith('bitnami.com/') && object.name) names.add(object.name);
  }
  return names;
}

/** TLS listeners of an Istio Gateway, a Gateway API Gateway or an Ingress that name their certificate Secret. */
function certificateReferences(object: KubernetesObject): Array<{ readonly secret: string; readonly range: { start: number; end: number }; readonly port: string }> {
  const tree = object.tree;
  const spec = tree.map(object.root, 'spec');
  if (!spec) return [];
  if (object.kind === 'Ingress' && object.apiVersion.startsWith('networking.k8s.io/')) {
    return tree.items(tree.get(spec, 'tls')).flatMap((entry) => {
      const node = tree.get(entry, 'secretName');
      const secret = scalarText(node)?.trim();
      const range = valueTextRange(tree.text, node);
      // An entry without secretName serves the controller's default certificate, by design.
      return secret && range && !secret.includes('{{') ? [{ secret, range, port: '443' }] : [];
    });
  }
  if (object.kind !== 'Gateway') return [];
  if (object.apiVersion.startsWith('networking.istio.io/')) {
    return tree.items(tree.get(spec, 'servers')).flatMap((server) => {
      const tls = tree.map(server, 'tls');
      const mode = tree.string(tls, 'mode')?.toUpperCase();
      const credential = tree.get(tls, 'credentialName');
      const secret = scalarText(credential)?.trim();
      const range = valueTextRange(tree.text, credential);
      // PASSTHROUGH and AUTO_PASSTHROUGH leave TLS to the backend; ISTIO_MUTUAL uses the mesh's own certificate.
      if (!secret || !range || !['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL', undefined].includes(mode) || secret.includes('{{')) return [];
      return [{ secret: secret.replace(/^.*\//, ''), range, port: tree.string(tree.map(server, 'port'), 'number') ?? '?' }];
    });
  }
  if (object.apiVersion.startsWith('gateway.networking.k8s.io/')) {
    return tree.items(tree.get(spec, 'listeners')).flatMap((listener) => {
      const tls = tree.map(listener, 'tls');
      if ((tree.string(tls, 'mode') ?? 'Terminate') !== 'Terminate') return [];
      return tree.items(tree.get(tls, 'certificateRefs')).flatMap((ref) => {
        if (!isMap(ref) || (tree.string(ref, 'kind') ?? 'Secret') !== 'Secret') return [];
        const secret = tree.string(ref, 'name');
        const range = rangeOf(tree.get(ref, 'name'));
        return secret && range && !secret.includes('{{') ? [{ secret, range, port: tree.string(listener, 'port') ?? '?' }] : [];
      });
    });
  }
  return [];
}

export const gatewayCertificateMissing = defineRule({
  id: 'FF041',
  pattern: 'FF',
  severity: 'warning',
  title: 'Gateway or Ingress serves TLS from a certificate Secret the files do not define',
  kinds: ['kubernetes'],
  hasFix: false,
  peers: [],
  guidance: {
    why: 'Fail-Fast Security: a service that cannot present its certificate should refuse to deploy with a clear error, not be found broken by its users. An Istio Gateway server with `tls.mode: SIMPLE` (a Gateway API listener that terminates TLS, an Ingress `tls` entry) names its certificate by `credentialName` / `certificateRefs` / `secretName`. When no such Secret exists, nothing stops the apply: Istio leaves that listener without a certificate (ingress controllers fall back to a self-signed default one) and clients see handshake failures or certificate errors on the port, the first sign anyone gets. Reported only where the files define Secrets (or cert-manager Certificates, ExternalSecrets, SealedSecrets) and none has that name — where the certificate is evidently meant to come from these files.',
    fix: 'Define the Secret next to the Gateway — a cert-manager Certificate with `secretName:` equal to the credentialName, or an ExternalSecret that writes it — in the namespace of the gateway workload, or correct the name.',
    bad: 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: shop\n  namespace: istio-ingress\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n    - port: {number: 443, name: https, protocol: HTTPS}\n      hosts: ["shop.example.com"]\n      tls:\n        mode: SIMPLE\n        credentialName: shop-tls\n---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: shop\n  namespace: istio-ingress\nspec:\n  secretName: shop-example-com-tls\n  dnsNames: ["shop.example.com"]\n  issuerRef: {name: letsencrypt, kind: ClusterIssuer}',
    good: 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: shop\n  namespace: istio-ingress\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n    - port: {number: 443, name: https, protocol: HTTPS}\n      hosts: ["shop.example.com"]\n      tls:\n        mode: SIMPLE\n        credentialName: shop-tls\n---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: shop\n  namespace: istio-ingress\nspec:\n  secretName: shop-tls\n  dnsNames: ["shop.example.com"]\n  issuerRef: {name: letsencrypt, kind: ClusterIssuer}',
  },
  checkWorkspace(documents, context) {
    const placed = placedObjects(documents);
    const defined = definedSecretNames(placed.map(({ object }) => object));
    if (defined.size === 0) return;
    for (const { document, object } of placed) {
      for (const reference of certificateReferences(object)) {
        if (defined.has(reference.secret)) continue;
        context.report({
          document,
          range: reference.range,
          message: `${object.kind} "${object.name ?? '?'}" serves TLS on port ${reference.port} with Secret "${reference.secret}", which none of the Secrets these files define (${[...defined].slice(0, 4).map((name) => `"${name}"`).join(', ')}${defined.size > 4 ? ', …' : ''}) is: the apply succeeds and clients meet failed handshakes instead.`,
        });
      }
    }
  },
});
