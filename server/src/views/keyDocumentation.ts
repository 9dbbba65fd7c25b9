import type { FileKind, PatternId } from '../core/types';
import { ownValue } from '../core/options';
import { escapeMarkdown, inlineCode } from './markdown';
import type { Interpolation } from '../model/interpolation';
import { PATTERNS } from '../rules/patterns';
import { RULES_BY_ID } from '../rules';
import { patternLabel } from '../rules/docs';
import { isSecretName } from '../model/names';

/**
 * Hover texts for security-relevant keys that carry no finding: what the setting means for the
 * pattern it belongs to, in two or three sentences. Findings have their own hover (docs.ts).
 * A key some rule checks names that rule, and the hover takes the pattern from it; only keys no
 * rule checks state a pattern of their own (test/core/keyDocumentation.test.ts holds both to it).
 */
export type KeyDoc = { readonly rule: string; readonly text: string } | { readonly pattern: PatternId; readonly text: string };

/** Keys of compose services and Kubernetes pod specs alike. */
const SHARED: Record<string, KeyDoc> = {
  privileged: { rule: 'TCB001', text: '`privileged: true` hands the container every capability and the host’s devices: the host joins its trusted computing base. Keep it `false`; add single capabilities instead.' },
  image: { rule: 'IMM001', text: 'What runs. Pin it to a version and a digest (`name:1.4.2@sha256:…`) so every deploy is the same known artifact and rollback is a redeploy; `latest` or no tag drifts silently.' },
  volumes: { rule: 'IMM004', text: 'Mounted storage. Bind mounts of host paths let the container change the host (and the host change the container); mount read-only (`:ro`) unless it must write, and never the Docker socket.' },
};

const COMPOSE: Record<string, KeyDoc> = {
  user: { rule: 'ZT001', text: 'The user the process runs as. A non-root user (`"10001:10001"`) keeps a compromised process from owning the container’s filesystem and easing an escape.' },
  read_only: { rule: 'IMM003', text: '`read_only: true` makes the root filesystem immutable at runtime: an attacker cannot drop tools or change binaries. Mount `tmpfs` for the few paths that must be writable.' },
  secrets: { rule: 'TCB010', text: 'Who holds which secret. Every holder joins the trusted computing base: grant each secret only to the services that use it, as files (`/run/secrets/…`), never as plain environment values.' },
  ports: { rule: 'BND001', text: 'Published ports cross the host boundary. `"8080:80"` listens on every interface; bind to one (`"127.0.0.1:8080:80"`) unless the service is meant to face the network, and never publish a datastore.' },
  expose: { pattern: 'BND', text: '`expose` opens a port to the other services on shared networks only (not the host). Every service on those networks can reach it: keep datastores on a network shared with the services that need them.' },
  networks: { pattern: 'BND', text: 'Networks are the trust zones of a compose project. Services on one network reach each other with no control in between: split frontend, backend and data networks, and mark internal ones `internal: true`.' },
  network_mode: { rule: 'TCB004', text: '`network_mode: host` removes the network boundary: the container shares the host’s interfaces and sees its traffic. `service:x` joins another container’s namespace. Prefer a named network.' },
  cap_add: { rule: 'TCB002', text: 'Capabilities beyond the default set widen what a compromised process can do to the kernel and host. Add only the one needed (e.g. `NET_BIND_SERVICE`), never `SYS_ADMIN` or `ALL`.' },
  cap_drop: { pattern: 'TCB', text: '`cap_drop: [ALL]` then adding back only what is needed is least privilege for the kernel interface.' },
  pid: { rule: 'TCB005', text: '`pid: host` shares the host’s process namespace: the container sees and can signal host processes.' },
  ipc: { rule: 'TCB006', text: '`ipc: host` shares the host’s IPC namespace (shared memory) with the container.' },
  security_opt: { rule: 'ZT005', text: 'Kernel security profiles. `no-new-privileges:true` stops setuid escalation; `seccomp:unconfined` or `apparmor:unconfined` removes a guard rail.' },
  environment: { rule: 'TCB009', text: 'Environment values are visible to every process in the container, in `docker inspect` and in logs. Secrets belong in `secrets:` files; required ones use `${VAR:?message}` so a missing value stops the start.' },
  depends_on: { pattern: 'BND', text: 'A start-order dependency, and usually a data flow: this service calls the other. Each such crossing needs authentication, not trust because both sit on one network.' },
  links: { pattern: 'BND', text: 'A legacy way to connect services; it implies a flow between them. Prefer named networks that state the zones.' },
  build: { pattern: 'IMM', text: 'Building on deploy means what runs depends on the build host at that moment. Build once in CI, push a versioned image, deploy that image.' },
  restart: { pattern: 'FF', text: 'A restart policy hides a crash loop. A service that refuses to start on a bad configuration (Fail-Fast) should be visible, not restarted forever.' },
  healthcheck: { pattern: 'FF', text: 'A health check turns a silent failure into a visible state that orchestration can act on.' },
  tmpfs: { pattern: 'IMM', text: 'In-memory writable paths, discarded on restart: the usual companion of `read_only: true`.' },
};

const KUBERNETES: Record<string, KeyDoc> = {
  hostNetwork: { rule: 'TCB004', text: '`hostNetwork: true` puts the pod on the node’s network stack: no NetworkPolicy applies and it can reach everything the node can. Use a Service instead.' },
  hostPID: { rule: 'TCB005', text: '`hostPID: true` shares the node’s process namespace: the pod sees and can signal every process on the node.' },
  hostIPC: { rule: 'TCB006', text: '`hostIPC: true` shares the node’s IPC namespace (shared memory) with the pod.' },
  hostPort: { rule: 'BND006', text: '`hostPort` opens the port on the node itself, bypassing Services and NetworkPolicies. Expose through a Service.' },
  securityContext: { rule: 'ZT001', text: 'Where least privilege is declared: `runAsNonRoot: true`, `allowPrivilegeEscalation: false`, `readOnlyRootFilesystem: true`, `capabilities: {drop: [ALL]}`, `seccompProfile: {type: RuntimeDefault}`.' },
  automountServiceAccountToken: { rule: 'ZT003', text: 'Mounting the service account token gives every process in the pod an API credential. Set `false` unless the workload calls the Kubernetes API; least privilege starts with no credential.' },
  serviceAccountName: { rule: 'ZT004', text: 'The identity the pod acts as. A dedicated account per workload, bound to only the permissions it needs, beats the shared `default`.' },
  allowPrivilegeEscalation: { rule: 'ZT002', text: '`false` stops a process from gaining more privileges than its parent (setuid binaries, file capabilities).' },
  runAsNonRoot: { rule: 'ZT001', text: '`true` makes the kubelet refuse to start the container as root: a Fail-Fast guard for least privilege.' },
  runAsUser: { rule: 'ZT001', text: 'The UID the container runs as; `0` is root. Pick a high, non-zero UID.' },
  readOnlyRootFilesystem: { rule: 'IMM003', text: '`true` makes the container’s filesystem immutable at runtime; mount an `emptyDir` where it must write.' },
  capabilities: { rule: 'TCB002', text: 'Drop `ALL` and add back only what the process needs: each capability is kernel power in the trusted base.' },
  ports: { rule: 'BND006', text: 'Container ports are what a Service can route to. What reaches them is decided by Services, Ingresses and NetworkPolicies: a namespace with no NetworkPolicy lets every pod in the cluster connect.' },
  namespace: { rule: 'BND004', text: 'Namespaces are the trust zones of a cluster. A default-deny NetworkPolicy per namespace makes the boundary real; without one, every pod can reach every other.' },
  volumes: { rule: 'IMM004', text: 'Pod volumes. `hostPath` mounts expose the node’s filesystem (and let the pod change it); prefer `emptyDir`, ConfigMaps and Secrets, read-only where possible.' },
  hostPath: { rule: 'TCB008', text: 'A `hostPath` volume lets the pod read (and usually write) the node’s files: the node joins its trusted base.' },
  imagePullPolicy: { pattern: 'IMM', text: 'With a pinned digest the policy does not matter; with a mutable tag, `Always` may pull a different image on every restart.' },
  policyTypes: { pattern: 'BND', text: 'Which directions the NetworkPolicy restricts. `[Ingress, Egress]` with no rules is a default-deny for the selected pods.' },
  podSelector: { pattern: 'BND', text: 'The pods this policy governs (`{}` = all pods of the namespace) or, inside `from`/`to`, the pods allowed to connect.' },
  env: { rule: 'TCB009', text: 'Literal environment values live in the manifest and in the pod spec for anyone who can read it. Take secrets from a Secret (`valueFrom.secretKeyRef`) or a mounted file.' },
};

/** Our `kind: Architecture` format (Threagile uses its own vocabulary, explained by its findings). */
const ARCHITECTURE: Record<string, KeyDoc> = {
  zones: { pattern: 'BND', text: 'The trust zones, each with a `trust` level (untrusted → highly-trusted). Every component sits in one; every flow between zones is a crossing that needs controls.' },
  trust: { pattern: 'BND', text: 'How much the zone is trusted: `untrusted`, `semi-trusted`, `trusted`, `highly-trusted`. A flow into a more trusted zone must authenticate, authorize, validate and log.' },
  zone: { rule: 'BND105', text: 'The zone this component runs in. A component with no zone sits behind a boundary nobody drew.' },
  flows: { rule: 'ZT101', text: 'Who calls whom. Each flow states its `authentication` (mTLS, signed tokens — not network location) and the `controls` applied where it crosses a boundary.' },
  authentication: { rule: 'ZT101', text: 'How the caller proves who it is. Zero-Trust wants strong identity (`mtls`, `jwt`, `oidc`, `spiffe`); `ip-allowlist` or `internal` is trust in location, not verification.' },
  authorization: { rule: 'ZT103', text: 'How the callee decides the caller may do this: per request and per resource (least privilege), not “any authenticated caller”.' },
  controls: { rule: 'BND101', text: 'What the flow does at the boundary: `authenticate`, `authorize`, `validate`, `sanitize`, `log`, `rate-limit`. A crossing into a more trusted zone needs the first four.' },
  tcb: { pattern: 'TCB', text: '`true` puts the component in the trusted computing base: keep that set small, isolated (no egress), least privileged and monitored. Vaults, auth services and audit logs are in it by type.' },
  secrets: { rule: 'TCB101', text: 'The secrets this component holds. Every holder joins the trusted computing base; a vault that others call keeps the count at one.' },
  egress: { rule: 'TCB102', text: 'Whether the component may open outbound connections. TCB components should have none: a vault that can call out can leak.' },
  startupValidation: { rule: 'FF102', text: '`true` means the component checks its certificates, keys and permissions at start and refuses to run when one is wrong — Fail-Fast, no exposure window.' },
  dataLevel: { pattern: 'FF', text: 'The most sensitive data the component holds (public → strictly-confidential). Pipelines compare it with a sink’s `maxDataLevel` at construction, not per record.' },
  maxDataLevel: { pattern: 'FF', text: 'The most sensitive data this sink may receive. A pipeline whose source level exceeds it must be refused when it is built.' },
  implementedBy: { pattern: 'IMM', text: 'The compose services and Kubernetes workloads that run this component: what lets the model be checked against what is deployed (drift).' },
  deployment: { rule: 'IMM101', text: 'How releases reach production: `strategy: immutable` (replace instances), configuration from `version-control`, artifacts `pinned` and `signed`. `ssh`/`in-place` is drift waiting to happen.' },
  pipelines: { rule: 'FF101', text: 'Data pipelines with the security level of their source and the maximum of their sink, validated when the pipeline is constructed.' },
};

function docFor(key: string, kind: FileKind | undefined): KeyDoc | undefined {
  if (kind === 'architecture') return ownValue(ARCHITECTURE, key);
  const own = kind === 'compose' ? ownValue(COMPOSE, key) : kind === 'kubernetes' ? ownValue(KUBERNETES, key) : undefined;
  return own ?? (kind === 'compose' || kind === 'kubernetes' ? ownValue(SHARED, key) : undefined);
}

/** Every key hover, by the file kind it applies to (`shared`: compose and Kubernetes). */
export const KEY_DOCS = { shared: SHARED, compose: COMPOSE, kubernetes: KUBERNETES, architecture: ARCHITECTURE } as const;

/** The pattern a key belongs to: its checking rule's, else its own. */
export function keyPattern(doc: KeyDoc): PatternId {
  if ('pattern' in doc) return doc.pattern;
  const rule = RULES_BY_ID.get(doc.rule);
  if (!rule) throw new Error(`key documentation names unknown rule ${doc.rule}`);
  return rule.pattern;
}

/** Markdown for a key, or undefined when it is not one we explain. */
export function keyDocumentation(key: string, kind: FileKind | undefined): string | undefined {
  const doc = docFor(key, kind);
  if (!doc) return undefined;
  const pattern = PATTERNS[keyPattern(doc)];
  const rule = 'rule' in doc ? RULES_BY_ID.get(doc.rule) : undefined;
  const heading = rule ? `${patternLabel(rule)} · checked by ${rule.id}` : pattern.name;
  return `**\`${key}\`** · ${heading}\n\n${doc.text}\n\n_${pattern.name}:_ ${pattern.principle}`;
}

/** Markdown for a compose `${…}` interpolation: what happens when the variable is unset. */
export function interpolationDocumentation(interpolation: Interpolation): string {
  const name = interpolation.variable;
  const secret = isSecretName(name);
  let meaning: string;
  switch (interpolation.operator) {
    case ':-':
    case '-':
      meaning = `When \`${name}\` is ${interpolation.operator === ':-' ? 'unset or empty' : 'unset'}, compose silently uses ${inlineCode(interpolation.argument)}.` +
        (secret ? ' For a secret that is fail-open: the service starts with a known value. Use `${' + name + ':?' + name + ' must be set}`.' : '');
      break;
    case ':?':
    case '?':
      meaning = `\`${name}\` is required: compose refuses to start when it is ${interpolation.operator === ':?' ? 'unset or empty' : 'unset'} — Fail-Fast, with the message “${escapeMarkdown(interpolation.argument)}”.`;
      break;
    case ':+':
    case '+':
      meaning = `Uses ${inlineCode(interpolation.argument)} only when \`${name}\` is set; otherwise empty.`;
      break;
    default:
      meaning = `When \`${name}\` is unset compose substitutes an empty string and only warns.` + (secret ? ' For a secret, make it required: `${' + name + ':?' + name + ' must be set}`.' : '');
  }
  return `**${inlineCode(`${'$'}{${name}${interpolation.operator}${interpolation.argument}}`)}** · ${PATTERNS.FF.name}\n\n${meaning}\n\n_${PATTERNS.FF.name}:_ ${PATTERNS.FF.principle}`;
}
