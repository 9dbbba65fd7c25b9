import { defineRule, type RuleContext } from '../rule';
import type { Fix } from '../../core/types';
import { effectiveFlag, flagBoolean, type ControlPlaneInvocation } from '../../model/controlPlane';
import { addFlagFix, invocationsOf, isLoopbackHost, setFlagFix, staticPodExample } from '../shared/controlPlane';

interface Side {
  readonly urlsFlag: string;
  readonly defaultUrl: string;
  readonly authFlag: string;
  readonly autoTlsFlag: string;
  readonly who: string;
  readonly exposure: string;
}

const CLIENT: Side = { urlsFlag: 'listen-client-urls', defaultUrl: 'http://localhost:2379', authFlag: 'client-cert-auth', autoTlsFlag: 'auto-tls', who: 'clients', exposure: 'any client that reaches it reads and writes every object of the cluster, Secrets included' };
const PEER: Side = { urlsFlag: 'listen-peer-urls', defaultUrl: 'http://localhost:2380', authFlag: 'peer-client-cert-auth', autoTlsFlag: 'peer-auto-tls', who: 'peers', exposure: 'any host that reaches the peer port can pose as a member of the cluster and receive its data' };

function host(url: string): string {
  return /^[a-z]+:\/\/(\[[^\]]*\]|[^:/]*)/i.exec(url.trim())?.[1] ?? '';
}

export const etcdWithoutMutualTls = defineRule({
  id: 'ZT024',
  pattern: 'ZT',
  alsoPattern: 'BND',
  severity: 'error',
  milderSeverities: ['warning'],
  title: 'etcd accepts clients or peers without mutual TLS',
  kinds: ['kubernetes'],
  hasFix: true,
  peers: ['CIS Kubernetes 2.1, 2.2, 2.3, 2.4, 2.5, 2.6', 'kube-bench 2.1–2.6', 'KICS Etcd Client Certificate Authentication Set To False, Etcd Peer Client Certificate Authentication Set To False, Etcd TLS Certificate Not Properly Configured, Etcd Peer TLS Certificate Files Not Properly Set, Auto TLS Set To True, Peer Auto TLS Set To True'],
  guidance: {
    why: 'etcd holds every object of the cluster, Secrets in the clear unless encryption at rest is on: it is the core of the control plane\'s TCB, and only the API server (and the other members) should be able to talk to it. Zero trust means it proves that with certificates on both ends. etcd fails open by default: it listens on plain HTTP (`http://localhost:2379`) and `--client-cert-auth` / `--peer-client-cert-auth` default to false, so TLS alone still lets anyone who reaches the port in. `--auto-tls`/`--peer-auto-tls` make etcd serve self-signed certificates nobody can verify. Error when the port is reachable from the network (a non-loopback address), warning when only the node can reach it or for self-signed certificates.',
    fix: 'Serve `https://` URLs only, with `--cert-file`/`--key-file`, `--trusted-ca-file` and `--client-cert-auth=true`; for members, `--peer-cert-file`/`--peer-key-file`, `--peer-trusted-ca-file` and `--peer-client-cert-auth=true`; never `--auto-tls` or `--peer-auto-tls` (kubeadm\'s etcd.yaml does all this).',
    bad: staticPodExample('etcd', ['--listen-client-urls=https://0.0.0.0:2379', '--cert-file=/etc/kubernetes/pki/etcd/server.crt', '--key-file=/etc/kubernetes/pki/etcd/server.key']),
    good: staticPodExample('etcd', ['--listen-client-urls=https://0.0.0.0:2379', '--cert-file=/etc/kubernetes/pki/etcd/server.crt', '--key-file=/etc/kubernetes/pki/etcd/server.key', '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt', '--client-cert-auth=true']),
  },
  checkKubernetes(object, context) {
    for (const invocation of invocationsOf(object, 'etcd')) {
      checkSide(invocation, CLIENT, context);
      checkSide(invocation, PEER, context);
    }
  },
});

function checkSide(invocation: ControlPlaneInvocation, side: Side, context: RuleContext): void {
  const urlsFlag = effectiveFlag(invocation, side.urlsFlag);
  if (!urlsFlag && !invocation.absenceProven) return;
  if (urlsFlag && urlsFlag.value === undefined) return;
  const urls = (urlsFlag?.value ?? side.defaultUrl).split(',').map((url) => url.trim()).filter((url) => url !== '');
  const networked = urls.filter((url) => !isLoopbackHost(host(url)));
  // A single member on loopback has no peers to authenticate.
  if (side === PEER && networked.length === 0) return;
  const range = urlsFlag?.range ?? invocation.subjectRange;
  const written = urlsFlag ? `--${side.urlsFlag}=${urlsFlag.value}` : `no --${side.urlsFlag}, so the default ${side.defaultUrl}`;
  const plain = urls.filter((url) => url.toLowerCase().startsWith('http://'));
  if (plain.length > 0) {
    const exposed = plain.some((url) => networked.includes(url));
    context.report({ range, severity: exposed ? 'error' : 'warning', message: `${invocation.label} serves ${side.who} over plain HTTP (${written}): no encryption and no certificate check, so ${exposed ? side.exposure : `${side.exposure.replace('any client that reaches it', 'any process on the node')}`}.` });
  } else {
    const auth = effectiveFlag(invocation, side.authFlag);
    if (auth ? auth.value !== undefined && flagBoolean(auth) !== true : invocation.absenceProven) {
      const exposed = networked.length > 0;
      const fixes: Fix[] = auth ? setFlagFix(`Set --${side.authFlag}=true`, auth, 'true') : addFlagFix(`Add --${side.authFlag}=true`, invocation, side.authFlag, 'true');
      context.report({
        range: auth?.range ?? range,
        severity: exposed ? 'error' : 'warning',
        message: `${invocation.label} serves ${side.who} over TLS but ${auth ? `sets --${side.authFlag}=${auth.value}` : `has no --${side.authFlag} (default false)`}: client certificates are not required, so ${exposed ? side.exposure : side.exposure.replace('any client that reaches it', 'any process on the node')}.`,
        fixes,
      });
    }
  }
  const autoTls = effectiveFlag(invocation, side.autoTlsFlag);
  if (flagBoolean(autoTls) === true) {
    context.report({ range: autoTls!.range, severity: 'warning', message: `${invocation.label} sets --${side.autoTlsFlag}: it serves ${side.who} a self-signed certificate that nobody can verify.`, fixes: setFlagFix(`Set --${side.autoTlsFlag}=false`, autoTls!, 'false') });
  }
}
