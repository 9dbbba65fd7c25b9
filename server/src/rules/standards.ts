import type { RuleSetting } from '../core/options';
import type { FileKind, Severity } from '../core/types';

/**
 * The one source of truth for which rule serves which control of the standards people are
 * audited against. Rule docs, hovers, SARIF rule properties and the `--profile` rule sets are
 * all read from here. A control no rule serves is listed with `rules: []`, so the docs say
 * plainly what a profile does not check.
 */
export interface Control {
  /** The standard's own numbering or name, e.g. `5.2.2` or `Host Namespaces`. */
  readonly id: string;
  readonly title: string;
  readonly rules: readonly string[];
  /**
   * For a rule of `rules` the control asks only part of: the ids of the aspects it asks for
   * (`{ TCB011: ['seccomp'] }`, of the rule's `aspects`). A rule not named here serves the control whole.
   */
  readonly aspects?: Readonly<Record<string, readonly string[]>>;
  /** PSS only: the level that introduces the control. */
  readonly level?: 'baseline' | 'restricted';
  /** Where a rule covers only part of the control. */
  readonly note?: string;
}

export type StandardId = 'pss' | 'nsa-cisa' | 'cis-kubernetes' | 'cis-docker';

export interface Standard {
  readonly id: StandardId;
  readonly title: string;
  /** Short name used in docs and SARIF, e.g. `CIS Kubernetes`. */
  readonly short: string;
  readonly reference: string;
  /** The file kinds the standard is about: Pods (Kubernetes) or containers the Docker engine runs (compose). */
  readonly kinds: readonly FileKind[];
  readonly controls: readonly Control[];
}

export const STANDARDS: readonly Standard[] = [
  {
    id: 'pss',
    title: 'Kubernetes Pod Security Standards',
    short: 'PSS',
    reference: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
    kinds: ['kubernetes'],
    controls: [
      { id: 'HostProcess', title: 'Windows HostProcess containers', level: 'baseline', rules: [] },
      { id: 'Host Namespaces', title: 'Sharing the host namespaces must be disallowed', level: 'baseline', rules: ['TCB004', 'TCB005', 'TCB006'] },
      { id: 'Privileged Containers', title: 'Privileged Pods disable most security mechanisms', level: 'baseline', rules: ['TCB001'] },
      { id: 'Capabilities', title: 'Adding capabilities beyond the default set must be disallowed', level: 'baseline', rules: ['TCB002'], note: 'TCB002 leaves NET_ADMIN in the pod\'s own network namespace and IPC_LOCK on a Vault server alone' },
      { id: 'HostPath Volumes', title: 'HostPath volumes must be forbidden', level: 'baseline', rules: ['TCB007', 'TCB008', 'TCB014'], note: 'TCB014 leaves kube-system alone' },
      { id: 'Host Ports', title: 'HostPorts should be disallowed', level: 'baseline', rules: ['BND006'] },
      { id: 'AppArmor', title: 'Overriding the default AppArmor profile is restricted', level: 'baseline', rules: ['ZT006'] },
      { id: 'SELinux', title: 'Setting a custom SELinux user or role is forbidden', level: 'baseline', rules: ['ZT011'], note: 'ZT011 reports the types that switch confinement off (spc_t, unconfined_t), not custom users or roles' },
      { id: '/proc Mount Type', title: 'The default /proc masks are required', level: 'baseline', rules: ['TCB012'], aspects: { TCB012: ['procMount'] } },
      { id: 'Seccomp', title: 'Seccomp profile must not be set to Unconfined', level: 'baseline', rules: ['ZT005'] },
      { id: 'Sysctls', title: 'Sysctls outside the safe subset are forbidden', level: 'baseline', rules: ['TCB012'], aspects: { TCB012: ['sysctls'] } },
      { id: 'Volume Types', title: 'Only the listed volume types are allowed', level: 'restricted', rules: ['TCB007', 'TCB008', 'TCB014'], note: 'hostPath volumes only' },
      { id: 'Privilege Escalation', title: 'Privilege escalation (setuid, file capabilities) must not be allowed', level: 'restricted', rules: ['ZT002', 'TCB011'], aspects: { TCB011: ['privilegeEscalation'] }, note: 'ZT002 reports allowPrivilegeEscalation: true, TCB011 the setting left unset' },
      { id: 'Running as Non-root', title: 'Containers must be required to run as non-root users', level: 'restricted', rules: ['ZT001', 'TCB011'], aspects: { TCB011: ['nonRoot'] }, note: 'ZT001 reports runAsNonRoot: false, TCB011 neither runAsNonRoot nor a non-zero runAsUser set; an image known to drop root is taken as enough' },
      { id: 'Running as Non-root user', title: 'Containers must not set runAsUser to 0', level: 'restricted', rules: ['ZT001'] },
      { id: 'Seccomp', title: 'Seccomp profile must be explicitly set to RuntimeDefault or Localhost', level: 'restricted', rules: ['ZT005', 'TCB011'], aspects: { TCB011: ['seccomp'] }, note: 'ZT005 reports a profile switched off, TCB011 one left unset' },
      { id: 'Capabilities', title: 'Containers must drop ALL capabilities and may add back only NET_BIND_SERVICE', level: 'restricted', rules: ['TCB002', 'TCB011'], aspects: { TCB011: ['capabilities'] }, note: 'TCB011 reports ALL not dropped; TCB002 reports added capabilities outside the baseline set, not added default ones' },
    ],
  },
  {
    id: 'nsa-cisa',
    title: 'NSA/CISA Kubernetes Hardening Guide (v1.2)',
    short: 'NSA/CISA',
    reference: 'https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF',
    kinds: ['kubernetes'],
    controls: [
      { id: 'Non-root containers', title: 'Use containers built to run applications as non-root users', rules: ['ZT001', 'TCB011'], aspects: { TCB011: ['nonRoot'] } },
      { id: 'Immutable file systems', title: 'Run containers with immutable file systems where possible', rules: ['IMM003', 'TCB011'], aspects: { TCB011: ['readOnlyRoot'] } },
      { id: 'Secure container images', title: 'Build and deploy images from trusted, pinned sources', rules: ['IMM001', 'IMM002', 'IMM007'], note: 'pinning and trusted registries; image scanning is out of scope' },
      { id: 'Pod security enforcement', title: 'Deny privileged containers, privilege escalation and host namespaces', rules: ['TCB001', 'ZT002', 'TCB004', 'TCB005', 'TCB006', 'TCB002', 'TCB011'], aspects: { TCB011: ['privilegeEscalation'] } },
      { id: 'Service account tokens', title: 'Protect Pod service account tokens; disable automounting where not needed', rules: ['ZT003', 'ZT004'] },
      { id: 'Hardening container environments', title: 'Use seccomp, AppArmor and other kernel sandboxing', rules: ['ZT005', 'ZT006', 'TCB011'], aspects: { TCB011: ['seccomp'] } },
      { id: 'Network policies', title: 'Isolate resources with default-deny NetworkPolicies', rules: ['BND004', 'BND007'] },
      { id: 'Resource policies', title: 'Set resource limits so a compromised Pod cannot exhaust the node', rules: ['TCB011'], aspects: { TCB011: ['memory'] }, note: 'memory limits; CPU limits are left to the scheduler\'s requests' },
      { id: 'Secrets', title: 'Keep secrets out of manifests; store them encrypted', rules: ['TCB009'] },
      { id: 'RBAC least privilege', title: 'Grant least-privilege roles; avoid wildcards and cluster-admin', rules: ['ZT007', 'ZT008', 'ZT009', 'ZT010', 'ZT012', 'ZT013'] },
      { id: 'Encrypted traffic', title: 'Encrypt traffic to and between workloads with TLS', rules: ['BND005', 'FF006', 'FF007'] },
      { id: 'Audit logging', title: 'Enable and collect Kubernetes audit logs', rules: [] },
    ],
  },
  {
    id: 'cis-kubernetes',
    title: 'CIS Kubernetes Benchmark (v1.9: control-plane flags of sections 1, 2 and 4, and section 5: policies)',
    short: 'CIS Kubernetes',
    reference: 'https://www.cisecurity.org/benchmark/kubernetes',
    kinds: ['kubernetes'],
    controls: [
      { id: '1.2.1', title: 'Ensure that the --anonymous-auth argument is set to false (API server)', rules: ['ZT020'] },
      { id: '1.2.4', title: 'Ensure that the --kubelet-client-certificate and --kubelet-client-key arguments are set as appropriate', rules: ['ZT022'] },
      { id: '1.2.5', title: 'Ensure that the --kubelet-certificate-authority argument is set as appropriate', rules: ['ZT022'] },
      { id: '1.2.6', title: 'Ensure that the --authorization-mode argument is not set to AlwaysAllow', rules: ['ZT021'] },
      { id: '1.2.7', title: 'Ensure that the --authorization-mode argument includes Node', rules: ['ZT021'] },
      { id: '1.2.10', title: 'Ensure that the admission control plugin AlwaysAdmit is not set', rules: ['FF020'] },
      { id: '1.2.12', title: 'Ensure that the admission control plugin ServiceAccount is set', rules: ['FF020'], note: 'reports it disabled with --disable-admission-plugins (it is on by default)' },
      { id: '1.2.13', title: 'Ensure that the admission control plugin NamespaceLifecycle is set', rules: ['FF020'], note: 'reports it disabled with --disable-admission-plugins (it is on by default)' },
      { id: '1.2.14', title: 'Ensure that the admission control plugin NodeRestriction is set', rules: ['FF020'] },
      { id: '1.2.15', title: 'Ensure that the --profiling argument is set to false (API server)', rules: ['TCB021'] },
      { id: '1.2.16', title: 'Ensure that the --audit-log-path argument is set', rules: ['ZT025'] },
      { id: '1.2.17', title: 'Ensure that the --audit-log-maxage argument is set to 30 or as appropriate', rules: ['ZT025'], note: 'reports a log path with none of maxage, maxbackup, maxsize' },
      { id: '1.2.21', title: 'Ensure that the --service-account-lookup argument is set to true', rules: ['ZT026'] },
      { id: '1.2.22', title: 'Ensure that the --service-account-key-file argument is set as appropriate', rules: ['ZT026'] },
      { id: '1.2.23', title: 'Ensure that the --etcd-certfile and --etcd-keyfile arguments are set as appropriate', rules: ['ZT022'] },
      { id: '1.2.24', title: 'Ensure that the --tls-cert-file and --tls-private-key-file arguments are set as appropriate', rules: ['ZT022'] },
      { id: '1.2.25', title: 'Ensure that the --client-ca-file argument is set as appropriate', rules: ['ZT022'] },
      { id: '1.2.26', title: 'Ensure that the --etcd-cafile argument is set as appropriate', rules: ['ZT022'] },
      { id: '1.2.27', title: 'Ensure that the --encryption-provider-config argument is set as appropriate', rules: ['TCB020'] },
      { id: '1.2.29', title: 'Ensure that the API Server only makes use of Strong Cryptographic Ciphers', rules: ['ZT023'] },
      { id: '1.3.2', title: 'Ensure that the --profiling argument is set to false (controller manager)', rules: ['TCB021'] },
      { id: '1.3.3', title: 'Ensure that the --use-service-account-credentials argument is set to true', rules: ['ZT026'] },
      { id: '1.3.4', title: 'Ensure that the --service-account-private-key-file argument is set as appropriate', rules: ['ZT026'] },
      { id: '1.3.5', title: 'Ensure that the --root-ca-file argument is set as appropriate', rules: ['ZT022'] },
      { id: '1.3.7', title: 'Ensure that the --bind-address argument is set to 127.0.0.1 (controller manager)', rules: ['BND020'] },
      { id: '1.4.1', title: 'Ensure that the --profiling argument is set to false (scheduler)', rules: ['TCB021'] },
      { id: '1.4.2', title: 'Ensure that the --bind-address argument is set to 127.0.0.1 (scheduler)', rules: ['BND020'] },
      { id: '2.1', title: 'Ensure that the --cert-file and --key-file arguments are set as appropriate (etcd)', rules: ['ZT024'], note: 'reports plain-HTTP client URLs' },
      { id: '2.2', title: 'Ensure that the --client-cert-auth argument is set to true', rules: ['ZT024'] },
      { id: '2.3', title: 'Ensure that the --auto-tls argument is not set to true', rules: ['ZT024'] },
      { id: '2.4', title: 'Ensure that the --peer-cert-file and --peer-key-file arguments are set as appropriate', rules: ['ZT024'], note: 'reports plain-HTTP peer URLs beyond loopback' },
      { id: '2.5', title: 'Ensure that the --peer-client-cert-auth argument is set to true', rules: ['ZT024'] },
      { id: '2.6', title: 'Ensure that the --peer-auto-tls argument is not set to true', rules: ['ZT024'] },
      { id: '3.2.1', title: 'Ensure that a minimal audit policy is created', rules: ['ZT025'], note: 'reports an audit backend without --audit-policy-file' },
      { id: '4.2.1', title: 'Ensure that the --anonymous-auth argument is set to false (kubelet)', rules: ['ZT020'] },
      { id: '4.2.2', title: 'Ensure that the --authorization-mode argument is not set to AlwaysAllow (kubelet)', rules: ['ZT021'] },
      { id: '4.2.3', title: 'Ensure that the --client-ca-file argument is set as appropriate (kubelet)', rules: ['ZT022'] },
      { id: '4.2.4', title: 'Verify that the --read-only-port argument is set to 0', rules: ['BND020'] },
      { id: '4.2.5', title: 'Ensure that the --streaming-connection-idle-timeout argument is not set to 0', rules: ['FF021'] },
      { id: '4.2.6', title: 'Ensure that the --make-iptables-util-chains argument is set to true', rules: ['FF021'] },
      { id: '4.2.9', title: 'Ensure that the --tls-cert-file and --tls-private-key-file arguments are set as appropriate (kubelet)', rules: ['ZT022'] },
      { id: '4.2.10', title: 'Ensure that the --rotate-certificates argument is not set to false', rules: ['FF021'] },
      { id: '4.2.12', title: 'Ensure that the Kubelet only makes use of Strong Cryptographic Ciphers', rules: ['ZT023'] },
      { id: '5.1.1', title: 'Ensure that the cluster-admin role is only used where required', rules: ['ZT008'] },
      { id: '5.1.2', title: 'Minimize access to secrets', rules: ['ZT009'] },
      { id: '5.1.3', title: 'Minimize wildcard use in Roles and ClusterRoles', rules: ['ZT007'] },
      { id: '5.1.4', title: 'Minimize access to create pods', rules: ['ZT012'] },
      { id: '5.1.5', title: 'Ensure that default service accounts are not actively used', rules: ['ZT004', 'ZT013'] },
      { id: '5.1.6', title: 'Ensure that Service Account Tokens are only mounted where necessary', rules: ['ZT003'] },
      { id: '5.1.8', title: 'Limit use of the Bind, Impersonate and Escalate permissions', rules: ['ZT010'] },
      { id: '5.2.2', title: 'Minimize the admission of privileged containers', rules: ['TCB001', 'TCB024'] },
      { id: '5.2.3', title: 'Minimize the admission of containers sharing the host process ID namespace', rules: ['TCB005', 'TCB024'] },
      { id: '5.2.4', title: 'Minimize the admission of containers sharing the host IPC namespace', rules: ['TCB006', 'TCB024'] },
      { id: '5.2.5', title: 'Minimize the admission of containers sharing the host network namespace', rules: ['TCB004', 'TCB024'] },
      { id: '5.2.6', title: 'Minimize the admission of containers with allowPrivilegeEscalation', rules: ['ZT002', 'TCB024', 'TCB011'], aspects: { TCB011: ['privilegeEscalation'] }, note: 'TCB011 reports the setting left unset, which Kubernetes takes as allowed' },
      { id: '5.2.7', title: 'Minimize the admission of root containers', rules: ['ZT001', 'TCB011'], aspects: { TCB011: ['nonRoot'] } },
      { id: '5.2.8', title: 'Minimize the admission of containers with the NET_RAW capability', rules: ['TCB011', 'TCB002'], aspects: { TCB011: ['capabilities'] }, note: 'NET_RAW is in the default set: TCB011 asks for dropping ALL, TCB002 reports NET_RAW added' },
      { id: '5.2.9', title: 'Minimize the admission of containers with added capabilities', rules: ['TCB002', 'TCB024'] },
      { id: '5.2.10', title: 'Minimize the admission of containers with capabilities assigned', rules: ['TCB011'], aspects: { TCB011: ['capabilities'] } },
      { id: '5.2.12', title: 'Minimize the admission of HostPath volumes', rules: ['TCB007', 'TCB008', 'TCB014'] },
      { id: '5.2.13', title: 'Minimize the admission of containers which use HostPorts', rules: ['BND006'] },
      { id: '5.3.2', title: 'Ensure that all Namespaces have NetworkPolicies defined', rules: ['BND004'] },
      { id: '5.7.2', title: 'Ensure that the seccomp profile is set in Pod definitions', rules: ['ZT005', 'TCB011'], aspects: { TCB011: ['seccomp'] }, note: 'ZT005 reports a profile switched off, TCB011 one left unset' },
    ],
  },
  {
    id: 'cis-docker',
    title: 'CIS Docker Benchmark (numbered as in docker-bench-security)',
    short: 'CIS Docker',
    reference: 'https://www.cisecurity.org/benchmark/docker',
    kinds: ['compose'],
    controls: [
      { id: '4.1', title: 'Ensure that a user for the container has been created', rules: ['ZT001', 'TCB011'], aspects: { TCB011: ['nonRoot'] } },
      { id: '5.1', title: 'Ensure that, if applicable, an AppArmor profile is enabled', rules: ['ZT006'] },
      { id: '5.3', title: 'Ensure that Linux kernel capabilities are restricted within containers', rules: ['TCB002', 'TCB011'], aspects: { TCB011: ['capabilities'] } },
      { id: '5.4', title: 'Ensure that privileged containers are not used', rules: ['TCB001'] },
      { id: '5.5', title: 'Ensure sensitive host system directories are not mounted on containers', rules: ['TCB008'] },
      { id: '5.9', title: "Ensure that the host's network namespace is not shared", rules: ['TCB004'] },
      { id: '5.10', title: 'Ensure that the memory usage for containers is limited', rules: ['TCB011'], aspects: { TCB011: ['memory'] } },
      { id: '5.12', title: "Ensure that the container's root filesystem is mounted as read only", rules: ['IMM003', 'TCB011'], aspects: { TCB011: ['readOnlyRoot'] } },
      { id: '5.13', title: 'Ensure that incoming container traffic is bound to a specific host interface', rules: ['BND001'] },
      { id: '5.15', title: "Ensure that the host's process namespace is not shared", rules: ['TCB005'] },
      { id: '5.16', title: "Ensure that the host's IPC namespace is not shared", rules: ['TCB006'] },
      { id: '5.19', title: 'Ensure that mount propagation mode is not set to shared', rules: ['TCB013'] },
      { id: '5.21', title: 'Ensure the default seccomp profile is not disabled', rules: ['ZT005'] },
      { id: '5.24', title: 'Ensure that cgroup usage is confirmed', rules: ['TCB012'], aspects: { TCB012: ['cgroup'] } },
      { id: '5.25', title: 'Ensure that the container is restricted from acquiring additional privileges', rules: ['ZT002', 'TCB011'], aspects: { TCB011: ['privilegeEscalation'] } },
      { id: '5.28', title: 'Ensure that the PIDs cgroup limit is used', rules: ['TCB011'], aspects: { TCB011: ['pids'] } },
      { id: '5.30', title: "Ensure that the host's user namespaces are not shared", rules: ['TCB012'], aspects: { TCB012: ['userNamespace'] } },
      { id: '5.31', title: 'Ensure that the Docker socket is not mounted inside any containers', rules: ['TCB007'] },
    ],
  },
];

export interface Profile {
  readonly id: string;
  readonly title: string;
  readonly standard: StandardId;
  /** Which of the standard's controls the profile checks. */
  readonly includes: (control: Control) => boolean;
  /** Rules the profile selects are raised to at least this severity (never lowered). */
  readonly raiseTo?: Severity;
}

/** `sbd scan --profile ID` and `.sbd.yaml: profile: ID`. */
export const PROFILES: readonly Profile[] = [
  // An enforcing Pod Security admission rejects a violating Pod: for the profile that is an error.
  { id: 'pss-baseline', title: 'Pod Security Standards: Baseline', standard: 'pss', includes: (control) => control.level === 'baseline', raiseTo: 'error' },
  { id: 'pss-restricted', title: 'Pod Security Standards: Restricted (includes Baseline)', standard: 'pss', includes: () => true, raiseTo: 'error' },
  { id: 'nsa-cisa', title: 'NSA/CISA Kubernetes Hardening Guide', standard: 'nsa-cisa', includes: () => true },
  { id: 'cis-kubernetes', title: 'CIS Kubernetes Benchmark, sections 1, 2, 4 (component flags) and 5', standard: 'cis-kubernetes', includes: () => true },
  { id: 'cis-docker', title: 'CIS Docker Benchmark, container runtime', standard: 'cis-docker', includes: () => true },
];

export const PROFILE_IDS: readonly string[] = PROFILES.map((profile) => profile.id);

const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

/** The controls a profile checks, with the standard they belong to. */
export function profileControls(profile: Profile): readonly Control[] {
  return standardOf(profile).controls.filter(profile.includes);
}

/**
 * A profile as rule settings: every pattern rule it does not select is off; the ones it selects
 * are on (raised where the profile says so), for the file kinds its standard is about, and narrowed
 * to the aspects its controls ask for when every control naming the rule asks only for some
 * (`aspects`: aspect id → labels of those controls). Findings about the analysis itself stay on.
 * Throws for an unknown profile id (callers validate first).
 */
export function profileRuleSettings(profileId: string, rules: ReadonlyArray<{ readonly id: string; readonly severity: Severity }>): Record<string, RuleSetting> {
  const profile = PROFILES.find((candidate) => candidate.id === profileId);
  if (!profile) throw new Error(`unknown profile "${profileId}"`);
  const standard = standardOf(profile);
  const controls = profileControls(profile);
  const settings: Record<string, RuleSetting> = {};
  for (const rule of rules) {
    const serving = controls.filter((control) => control.rules.includes(rule.id));
    if (serving.length === 0) {
      settings[rule.id] = { enabled: false };
      continue;
    }
    const raise = profile.raiseTo && SEVERITY_RANK[rule.severity] < SEVERITY_RANK[profile.raiseTo] ? { severity: profile.raiseTo } : {};
    const aspects = serving.every((control) => control.aspects?.[rule.id]) ? aspectsAskedBy(standard, serving, rule.id) : undefined;
    settings[rule.id] = { enabled: true, ...raise, kinds: standard.kinds, ...(aspects ? { aspects } : {}) };
  }
  return settings;
}

/** Aspect id → labels of the controls asking for it, in control order. */
function aspectsAskedBy(standard: Standard, controls: readonly Control[], ruleId: string): Record<string, string[]> {
  const aspects: Record<string, string[]> = {};
  for (const control of controls) {
    for (const aspect of control.aspects?.[ruleId] ?? []) {
      const labels = (aspects[aspect] ??= []);
      const label = controlLabel(standard, control);
      if (!labels.includes(label)) labels.push(label);
    }
  }
  return aspects;
}

/** The standard a profile checks. */
export function standardOf(profile: Profile): Standard {
  return STANDARDS.find((standard) => standard.id === profile.standard)!;
}

/** Every control a rule serves, as `PSS: Host Namespaces`-style labels, in standard order. */
export function controlsOfRule(ruleId: string): Array<{ readonly standard: Standard; readonly control: Control }> {
  return STANDARDS.flatMap((standard) => standard.controls.filter((control) => control.rules.includes(ruleId)).map((control) => ({ standard, control })));
}

/** `PSS Capabilities (restricted)`, `CIS Docker 5.4`: how docs and SARIF name a control. */
export function controlLabel(standard: Standard, control: Control): string {
  return `${standard.short} ${control.id}${control.level ? ` (${control.level})` : ''}`;
}
