import { strict as assert } from 'node:assert';
import { analyzeFiles, analyzeText } from '../../server/src/analysis/engine';
import { defaultOptions } from '../../server/src/core/options';
import type { Finding } from '../../server/src/core/types';
import { FIXTURE_OPTIONS } from '../fixtureSupport';
import { fromTrustedRegistry, imageSource } from '../../server/src/rules/immutable/untrustedRegistry';

function findingsOf(ruleId: string, text: string, options = FIXTURE_OPTIONS): Finding[] {
  return analyzeText(text, options).filter((finding) => finding.ruleId === ruleId);
}

const severities = (findings: readonly Finding[]) => findings.map((finding) => finding.severity);

function workload(kind: string, namespace: string | undefined, podSpec: string): string {
  const meta = namespace === undefined ? 'metadata:\n  name: w\n' : `metadata:\n  name: w\n  namespace: ${namespace}\n`;
  return `apiVersion: apps/v1\nkind: ${kind}\n${meta}spec:\n  selector:\n    matchLabels: {app: w}\n  template:\n    metadata:\n      labels: {app: w}\n    spec:\n${podSpec}`;
}

const hostPathPod = (readOnly: boolean, path = '/srv/data') =>
  `      containers:\n        - name: c\n          image: example/c:1.0.0\n          volumeMounts:\n            - name: v\n              mountPath: /data\n${readOnly ? '              readOnly: true\n' : ''}      volumes:\n        - name: v\n          hostPath:\n            path: ${path}\n`;

describe('rules of the breadth families: behaviour beyond the fixtures', () => {
  it('TCB014 grades a hostPath by who writes it: an application writable (warning), read-only or a node agent (information), kube-system and sensitive paths not at all', () => {
    assert.deepEqual(severities(findingsOf('TCB014', workload('Deployment', 'shop', hostPathPod(false)))), ['warning']);
    assert.deepEqual(severities(findingsOf('TCB014', workload('Deployment', 'shop', hostPathPod(true)))), ['info']);
    assert.deepEqual(severities(findingsOf('TCB014', workload('DaemonSet', 'logging', hostPathPod(false)))), ['info']);
    assert.deepEqual(findingsOf('TCB014', workload('DaemonSet', 'kube-system', hostPathPod(false))), []);
    const sensitive = workload('Deployment', 'shop', hostPathPod(false, '/etc'));
    assert.deepEqual(findingsOf('TCB014', sensitive), []);
    assert.equal(findingsOf('TCB008', sensitive).length, 1);
  });

  it('BND010: NodePort is information, externalIPs a warning; an internal or narrowed load balancer and a plain-HTTP one (BND005) are not reported', () => {
    const service = (spec: string, annotations = '') => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n${annotations}spec:\n${spec}  selector: {app: s}\n  ports:\n    - port: 9443\n`;
    assert.deepEqual(severities(findingsOf('BND010', service('  type: NodePort\n'))), ['info']);
    assert.deepEqual(severities(findingsOf('BND010', service('  externalIPs: [203.0.113.7]\n'))), ['warning']);
    assert.deepEqual(findingsOf('BND010', service('  type: LoadBalancer\n', '  annotations:\n    networking.gke.io/load-balancer-type: Internal\n')), []);
    assert.deepEqual(findingsOf('BND010', service('  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/8]\n')), []);
    assert.equal(findingsOf('BND010', service('  type: LoadBalancer\n  loadBalancerSourceRanges: [0.0.0.0/0]\n')).length, 1);
    const http = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  ports:\n    - port: 80\n';
    assert.deepEqual(findingsOf('BND010', http), []);
    assert.equal(findingsOf('BND005', http).length, 1);
  });

  it('TCB002: NET_RAW beyond the baseline set is information, NET_ADMIN only counts on the host network, baseline capabilities are no finding', () => {
    const compose = (service: string) => `services:\n  s:\n    image: example/s:1.0.0\n${service}`;
    assert.deepEqual(severities(findingsOf('TCB002', compose('    cap_add: [NET_RAW, CHOWN, SETUID]\n'))), ['info']);
    assert.deepEqual(findingsOf('TCB002', compose('    cap_add: [NET_ADMIN]\n')), []);
    assert.deepEqual(severities(findingsOf('TCB002', compose('    network_mode: host\n    cap_add: [NET_ADMIN]\n'))), ['warning']);
  });

  it('TCB012 reads security_opt systempaths=unconfined as /proc unmasked', () => {
    const [finding] = findingsOf('TCB012', 'services:\n  s:\n    image: example/s:1.0.0\n    security_opt: ["systempaths=unconfined"]\n');
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /unmasks \/proc and \/sys/);
  });

  it('TCB015: a pod-level low UID is one finding for all its containers, and only where host paths are mounted; UID 0 is left to ZT001', () => {
    const pod = (context: string, volumes = '  volumes:\n    - {name: v, hostPath: {path: /srv/p}}\n') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n${context}  containers:\n    - {name: a, image: example/a:1.0.0, volumeMounts: [{name: v, mountPath: /v}]}\n    - {name: b, image: example/b:1.0.0}\n${volumes}`;
    assert.equal(findingsOf('TCB015', pod('    runAsUser: 1000\n')).length, 1);
    assert.deepEqual(findingsOf('TCB015', pod('    runAsUser: 1000\n', '')), [], 'no host path: the image\'s own service UID is left alone');
    assert.deepEqual(findingsOf('TCB015', pod('    runAsUser: 0\n')), []);
    assert.deepEqual(findingsOf('TCB015', pod('    runAsUser: 10001\n    runAsGroup: 10001\n')), []);
  });

  it('ZT014 and BND012 count objects without a namespace together only within one file', () => {
    const deployment = (name: string, image: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      serviceAccountName: shared\n      containers:\n        - name: c\n          image: ${image}\n          volumeMounts: [{name: v, mountPath: /v}]\n      volumes:\n        - name: v\n          persistentVolumeClaim: {claimName: data}\n`;
    const a = deployment('api', 'example/api:1.0.0');
    const b = deployment('report', 'example/report:1.0.0');
    const apart = analyzeFiles([{ file: 'a.yaml', text: a }, { file: 'b.yaml', text: b }], FIXTURE_OPTIONS).flatMap((result) => result.findings);
    assert.deepEqual(apart.filter((finding) => finding.ruleId === 'ZT014' || finding.ruleId === 'BND012'), []);
    const together = analyzeText(`${a}---\n${b}`, FIXTURE_OPTIONS);
    assert.deepEqual(together.filter((finding) => finding.ruleId === 'ZT014' || finding.ruleId === 'BND012').map((finding) => finding.ruleId).sort(), ['BND012', 'ZT014']);
  });

  it('BND012 leaves a compose volume alone when every service mounts it read-only', () => {
    const text = 'services:\n  a:\n    image: example/a:1.0.0\n    volumes: ["certs:/certs:ro"]\n  b:\n    image: example/b:1.0.0\n    volumes: ["certs:/certs:ro"]\nvolumes:\n  certs: {}\n';
    assert.deepEqual(findingsOf('BND012', text), []);
  });

  it('IMM007 reports nothing without trustedRegistries, and reads image references as Docker does', () => {
    const text = 'services:\n  a:\n    image: bitnami/redis:7.4.1\n';
    assert.deepEqual(findingsOf('IMM007', text), []);
    assert.equal(findingsOf('IMM007', text, defaultOptions({ trustedRegistries: ['docker.io/library'] })).length, 1);
    assert.deepEqual(findingsOf('IMM007', text, defaultOptions({ trustedRegistries: ['index.docker.io/bitnami'] })), []);
    assert.equal(imageSource('nginx:1.27.2'), 'docker.io/library/nginx');
    assert.equal(imageSource('localhost:5000/team/app@sha256:abc'), 'localhost:5000/team/app');
    assert.equal(imageSource('${IMAGE}'), undefined);
    assert.ok(!fromTrustedRegistry('ghcr.io/example-organisation/app', ['ghcr.io/example-org']), 'a path prefix matches whole segments only');
  });

  it('IMM001 says when a moving tag is also cached on each node, with the pull policy as related information', () => {
    const pod = (policy: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: example/c:main\n${policy}`;
    const [cached] = findingsOf('IMM001', pod('      imagePullPolicy: IfNotPresent\n'));
    assert.match(cached.message, /each node keeps the copy it pulled first/);
    assert.equal(cached.related?.length, 1);
    assert.doesNotMatch(findingsOf('IMM001', pod('      imagePullPolicy: Always\n'))[0].message, /each node keeps/);
  });

  it('TCB011 asks Kubernetes for a seccomp profile (the older annotation counts) but not compose', () => {
    const hardened = '      resources: {limits: {memory: 64Mi}}\n      securityContext:\n        runAsNonRoot: true\n        readOnlyRootFilesystem: true\n        allowPrivilegeEscalation: false\n        capabilities: {drop: ["ALL"]}\n';
    const pod = (annotations: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${annotations}spec:\n  containers:\n    - name: c\n      image: example/c:1.0.0\n${hardened}`;
    const [missing] = findingsOf('TCB011', pod(''));
    assert.match(missing.message, /misses 1 of 6 settings .*no seccomp profile/);
    assert.deepEqual(findingsOf('TCB011', pod('  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: runtime/default\n')), []);
    const [compose] = findingsOf('TCB011', 'services:\n  s:\n    image: example/s:1.0.0\n');
    assert.match(compose.message, /misses the whole hardening baseline/);
    assert.doesNotMatch(compose.message, /seccomp/);
  });
});
