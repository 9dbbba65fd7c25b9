import type { RuleSetting } from '../core/options';
import type { Severity } from '../core/types';

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
  readonly controls: readonly Control[];
}

export const STANDARDS: readonly Standard[] = [
  {
    id: 'pss',
    title: 'Kubernetes Pod Security Standards',
    short: 'PSS',
    reference: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
    controls: [
      { id: 'HostProcess', title: 'Windows HostProcess containers', level: 'baseline', rules: [] },
      { id: 'Host Namespaces', title: 'Sharing the host namespaces must be disallowed', level: 'baseline', rules: ['TCB004', 'TCB005', 'TCB006'] },
      { id: 'Privileged Containers', title: 'Privileged Pods disable most security mechanisms', level: 'baseline', rules: ['TCB001'] },
      { id: 'Capabilities', title: 'Adding capabilities beyond the default set must be disallowed', level: 'baseline', rules: ['TCB002'], note: 'TCB002 reports the dangerous capabilities, not every one outside the default set' },
      { id: 'HostPath Volumes', title: 'HostPath volumes must be forbidden', level: 'baseline', rules: ['TCB007', 'TCB008'], note: 'sensitive host paths and runtime sockets' },
      { id: 'Host Ports', title: 'HostPorts should be disallowed', level: 'baseline', rules: ['BND006'] },
      { id: 'AppArmor', title: 'Overriding the default AppArmor profile is restricted', level: 'baseline', rules: ['ZT006'] },
      { id: 'SELinux', title: 'Setting a custom SELinux user or role is forbidden', level: 'baseline', rules: ['ZT011'], note: 'ZT011 reports the types that switch confinement off (spc_t, unconfined_t), not custom users or roles' },
      { id: '/proc Mount Type', title: 'The default /proc masks are required', level: 'baseline', rules: [] },
      { id: 'Seccomp', title: 'Seccomp profile must not be set to Unconfined', level: 'baseline', rules: ['ZT005'] },
      { id: 'Sysctls', title: 'Sysctls outside the safe subset are forbidden', level: 'baseline', rules: [] },
      { id: 'Volume Types', title: 'Only the listed volume types are allowed', level: 'restricted', rules: ['TCB007', 'TCB008'], note: 'hostPath volumes only' },
      { id: 'Privilege Escalation', title: 'Privilege escalation (setuid, file capabilities) must not be allowed', level: 'restricted', rules: ['ZT002'] },
      { id: 'Running as Non-root', title: 'Containers must be required to run as non-root users', level: 'restricted', rules: ['ZT001'] },
      { id: 'Running as Non-root user', title: 'Containers must not set runAsUser to 0', level: 'restricted', rules: ['ZT001'] },
      { id: 'Seccomp', title: 'Seccomp profile must be explicitly set to RuntimeDefault or Localhost', level: 'restricted', rules: ['ZT005'], note: 'ZT005 reports a profile switched off, not one left unset' },
      { id: 'Capabilities', title: 'Containers must drop ALL capabilities and may add back only NET_BIND_SERVICE', level: 'restricted', rules: ['TCB002', 'TCB011'] },
    ],
  },
  {
    id: 'nsa-cisa',
    title: 'NSA/CISA Kubernetes Hardening Guide (v1.2)',
    short: 'NSA/CISA',
    reference: 'https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF',
    controls: [
      { id: 'Non-root containers', title: 'Use containers built to run applications as non-root users', rules: ['ZT001'] },
      { id: 'Immutable file systems', title: 'Run containers with immutable file systems where possible', rules: ['IMM003'] },
      { id: 'Secure container images', title: 'Build and deploy images from trusted, pinned sources', rules: ['IMM001', 'IMM002'], note: 'pinning only; image scanning is out of scope' },
      { id: 'Pod security enforcement', title: 'Deny privileged containers, privilege escalation and host namespaces', rules: ['TCB001', 'ZT002', 'TCB004', 'TCB005', 'TCB006', 'TCB002'] },
      { id: 'Service account tokens', title: 'Protect Pod service account tokens; disable automounting where not needed', rules: ['ZT003', 'ZT004'] },
      { id: 'Hardening container environments', title: 'Use seccomp, AppArmor and other kernel sandboxing', rules: ['ZT005', 'ZT006'] },
      { id: 'Network policies', title: 'Isolate resources with default-deny NetworkPolicies', rules: ['BND004', 'BND007'] },
      { id: 'Resource policies', title: 'Set resource limits so a compromised Pod cannot exhaust the node', rules: ['TCB011'] },
      { id: 'Secrets', title: 'Keep secrets out of manifests; store them encrypted', rules: ['TCB009'] },
      { id: 'RBAC least privilege', title: 'Grant least-privilege roles; avoid wildcards and cluster-admin', rules: ['ZT007', 'ZT008', 'ZT009', 'ZT010'] },
      { id: 'Encrypted traffic', title: 'Encrypt traffic to and between workloads with TLS', rules: ['BND005', 'FF006', 'FF007'] },
      { id: 'Audit logging', title: 'Enable and collect Kubernetes audit logs', rules: [] },
    ],
  },
  {
    id: 'cis-kubernetes',
    title: 'CIS Kubernetes Benchmark (v1.9, section 5: policies)',
    short: 'CIS Kubernetes',
    reference: 'https://www.cisecurity.org/benchmark/kubernetes',
    controls: [
      { id: '5.1.1', title: 'Ensure that the cluster-admin role is only used where required', rules: ['ZT008'] },
      { id: '5.1.2', title: 'Minimize access to secrets', rules: ['ZT009'] },
      { id: '5.1.3', title: 'Minimize wildcard use in Roles and ClusterRoles', rules: ['ZT007'] },
      { id: '5.1.5', title: 'Ensure that default service accounts are not actively used', rules: ['ZT004'] },
      { id: '5.1.6', title: 'Ensure that Service Account Tokens are only mounted where necessary', rules: ['ZT003'] },
      { id: '5.1.8', title: 'Limit use of the Bind, Impersonate and Escalate permissions', rules: ['ZT010'] },
      { id: '5.2.2', title: 'Minimize the admission of privileged containers', rules: ['TCB001'] },
      { id: '5.2.3', title: 'Minimize the admission of containers sharing the host process ID namespace', rules: ['TCB005'] },
      { id: '5.2.4', title: 'Minimize the admission of containers sharing the host IPC namespace', rules: ['TCB006'] },
      { id: '5.2.5', title: 'Minimize the admission of containers sharing the host network namespace', rules: ['TCB004'] },
      { id: '5.2.6', title: 'Minimize the admission of containers with allowPrivilegeEscalation', rules: ['ZT002'] },
      { id: '5.2.7', title: 'Minimize the admission of root containers', rules: ['ZT001'] },
      { id: '5.2.8', title: 'Minimize the admission of containers with the NET_RAW capability', rules: ['TCB011'], note: 'NET_RAW is in the default set: TCB011 asks for dropping ALL' },
      { id: '5.2.9', title: 'Minimize the admission of containers with added capabilities', rules: ['TCB002'] },
      { id: '5.2.10', title: 'Minimize the admission of containers with capabilities assigned', rules: ['TCB011'] },
      { id: '5.2.12', title: 'Minimize the admission of HostPath volumes', rules: ['TCB007', 'TCB008'], note: 'sensitive host paths and runtime sockets' },
      { id: '5.2.13', title: 'Minimize the admission of containers which use HostPorts', rules: ['BND006'] },
      { id: '5.3.2', title: 'Ensure that all Namespaces have NetworkPolicies defined', rules: ['BND004'] },
      { id: '5.7.2', title: 'Ensure that the seccomp profile is set in Pod definitions', rules: ['ZT005'], note: 'reports a profile switched off, not one left unset' },
    ],
  },
  {
    id: 'cis-docker',
    title: 'CIS Docker Benchmark (numbered as in docker-bench-security)',
    short: 'CIS Docker',
    reference: 'https://www.cisecurity.org/benchmark/docker',
    controls: [
      { id: '4.1', title: 'Ensure that a user for the container has been created', rules: ['ZT001'] },
      { id: '5.1', title: 'Ensure that, if applicable, an AppArmor profile is enabled', rules: ['ZT006'] },
      { id: '5.3', title: 'Ensure that Linux kernel capabilities are restricted within containers', rules: ['TCB002', 'TCB011'] },
      { id: '5.4', title: 'Ensure that privileged containers are not used', rules: ['TCB001'] },
      { id: '5.5', title: 'Ensure sensitive host system directories are not mounted on containers', rules: ['TCB008'] },
      { id: '5.9', title: "Ensure that the host's network namespace is not shared", rules: ['TCB004'] },
      { id: '5.10', title: 'Ensure that the memory usage for containers is limited', rules: ['TCB011'] },
      { id: '5.12', title: "Ensure that the container's root filesystem is mounted as read only", rules: ['IMM003'] },
      { id: '5.13', title: 'Ensure that incoming container traffic is bound to a specific host interface', rules: ['BND001'] },
      { id: '5.15', title: "Ensure that the host's process namespace is not shared", rules: ['TCB005'] },
      { id: '5.16', title: "Ensure that the host's IPC namespace is not shared", rules: ['TCB006'] },
      { id: '5.21', title: 'Ensure the default seccomp profile is not disabled', rules: ['ZT005'] },
      { id: '5.25', title: 'Ensure that the container is restricted from acquiring additional privileges', rules: ['ZT002'] },
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
  { id: 'cis-kubernetes', title: 'CIS Kubernetes Benchmark, section 5', standard: 'cis-kubernetes', includes: () => true },
  { id: 'cis-docker', title: 'CIS Docker Benchmark, container runtime', standard: 'cis-docker', includes: () => true },
];

export const PROFILE_IDS: readonly string[] = PROFILES.map((profile) => profile.id);

const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

/** The controls a profile checks, with the standard they belong to. */
export function profileControls(profile: Profile): readonly Control[] {
  return STANDARDS.find((standard) => standard.id === profile.standard)!.controls.filter(profile.includes);
}

/**
 * A profile as rule settings: every pattern rule it does not select is off, the ones it selects
 * are on (raised where the profile says so). Findings about the analysis itself stay on.
 * Throws for an unknown profile id (callers validate first).
 */
export function profileRuleSettings(profileId: string, rules: ReadonlyArray<{ readonly id: string; readonly severity: Severity }>): Record<string, RuleSetting> {
  const profile = PROFILES.find((candidate) => candidate.id === profileId);
  if (!profile) throw new Error(`unknown profile "${profileId}"`);
  const selected = new Set(profileControls(profile).flatMap((control) => control.rules));
  const settings: Record<string, RuleSetting> = {};
  for (const rule of rules) {
    if (!selected.has(rule.id)) settings[rule.id] = { enabled: false };
    else if (profile.raiseTo && SEVERITY_RANK[rule.severity] < SEVERITY_RANK[profile.raiseTo]) settings[rule.id] = { enabled: true, severity: profile.raiseTo };
    else settings[rule.id] = { enabled: true };
  }
  return settings;
}

/** Every control a rule serves, as `PSS: Host Namespaces`-style labels, in standard order. */
export function controlsOfRule(ruleId: string): Array<{ readonly standard: Standard; readonly control: Control }> {
  return STANDARDS.flatMap((standard) => standard.controls.filter((control) => control.rules.includes(ruleId)).map((control) => ({ standard, control })));
}

/** `PSS Capabilities (restricted)`, `CIS Docker 5.4`: how docs and SARIF name a control. */
export function controlLabel(standard: Standard, control: Control): string {
  return `${standard.short} ${control.id}${control.level ? ` (${control.level})` : ''}`;
}
