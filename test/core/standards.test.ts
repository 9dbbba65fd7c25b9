import { strict as assert } from 'node:assert';
import { parseProjectConfig } from '../../server/src/core/configuration';
import { analyzeText } from '../../server/src/analysis/engine';
import { defaultOptions } from '../../server/src/core/options';
import { ALL_RULES, CONFIG_CONTEXT, RULES_BY_ID, withProfile } from '../../server/src/rules';
import { ruleMarkdown } from '../../server/src/rules/docs';
import { controlsOfRule, PROFILES, profileControls, profileRuleSettings, STANDARDS } from '../../server/src/rules/standards';

const PRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext: {privileged: true}
    - name: sidecar
      image: busybox:1.36
      securityContext: {allowPrivilegeEscalation: true}
`;

describe('standards and profiles', () => {
  it('maps only rules that exist, and every Pod Security control is listed (uncovered ones with no rules)', () => {
    for (const standard of STANDARDS) for (const control of standard.controls) for (const id of control.rules) assert.ok(RULES_BY_ID.has(id), `${standard.id} ${control.id}: ${id}`);
    const pss = STANDARDS.find((standard) => standard.id === 'pss')!;
    assert.equal(pss.controls.filter((control) => control.level === 'baseline').length, 11);
    assert.equal(pss.controls.filter((control) => control.level === 'restricted').length, 6);
  });

  it('pss-restricted selects the Pod Security rules, switches the others off and raises its rules to error', () => {
    const settings = profileRuleSettings('pss-restricted', ALL_RULES);
    assert.deepEqual(settings.IMM001, { enabled: false }, 'image pinning is no Pod Security control');
    assert.deepEqual(settings.ZT002, { enabled: true, severity: 'error', kinds: ['kubernetes'] });
    assert.deepEqual(settings.TCB001, { enabled: true, kinds: ['kubernetes'] }, 'already an error');
    const findings = analyzeText(PRIVILEGED_POD, defaultOptions({ rules: settings }));
    const ids = new Set(findings.map((finding) => finding.ruleId));
    assert.ok(ids.has('TCB001') && ids.has('ZT002'));
    assert.ok(!ids.has('IMM001') && !ids.has('IMM003'), `only profile rules: ${[...ids].join(', ')}`);
    assert.equal(findings.find((finding) => finding.ruleId === 'ZT002')!.severity, 'error');
  });

  it('names only aspects the rule declares, for rules the control names', () => {
    for (const standard of STANDARDS) {
      for (const control of standard.controls) {
        for (const [id, aspects] of Object.entries(control.aspects ?? {})) {
          assert.ok(control.rules.includes(id), `${standard.id} ${control.id}: aspects of ${id}, which it does not name`);
          const declared = RULES_BY_ID.get(id)!.aspects?.map((aspect) => aspect.id) ?? [];
          for (const aspect of aspects) assert.ok(declared.includes(aspect), `${standard.id} ${control.id}: ${id} declares no aspect ${aspect}`);
        }
      }
    }
  });

  it('narrows the hardening baseline to the aspects the profile\'s controls ask for, on the file kinds of its standard', () => {
    const restricted = profileRuleSettings('pss-restricted', ALL_RULES);
    assert.deepEqual(restricted.TCB011, {
      enabled: true,
      severity: 'error',
      kinds: ['kubernetes'],
      aspects: { privilegeEscalation: ['PSS Privilege Escalation (restricted)'], nonRoot: ['PSS Running as Non-root (restricted)'], seccomp: ['PSS Seccomp (restricted)'], capabilities: ['PSS Capabilities (restricted)'] },
    });
    assert.deepEqual(profileRuleSettings('pss-baseline', ALL_RULES).TCB011, { enabled: false }, 'no baseline control asks for a setting to be present');
    assert.deepEqual(profileRuleSettings('cis-docker', ALL_RULES).TCB012, { enabled: true, kinds: ['compose'], aspects: { cgroup: ['CIS Docker 5.24'], userNamespace: ['CIS Docker 5.30'] } });
    // A control that names a rule without aspects selects it whole.
    assert.equal(profileRuleSettings('pss-restricted', ALL_RULES).TCB002.aspects, undefined);
  });

  it('keeps the profile\'s file kinds and aspects under a rule setting of .sbd.yaml, which sets the severity', () => {
    const options = withProfile(defaultOptions({ rules: { TCB011: { enabled: true, severity: 'warning' }, IMM001: { enabled: true } } }), 'pss-restricted');
    assert.deepEqual(options.rules.TCB011, { enabled: true, severity: 'warning', kinds: ['kubernetes'], aspects: profileRuleSettings('pss-restricted', ALL_RULES).TCB011.aspects });
    assert.deepEqual(options.rules.IMM001, { enabled: true }, 'a rule the profile does not select is the setting\'s alone');
    const off = withProfile(defaultOptions({ rules: { TCB011: { enabled: false } } }), 'pss-restricted');
    assert.deepEqual(off.rules.TCB011, { enabled: false });
  });

  it('reports only the asked aspects of a rule whose findings each carry one (TCB012 under cis-docker)', () => {
    const compose = 'services:\n  web:\n    image: nginx:1.27\n    cgroup: host\n    pid: "service:db"\n    sysctls:\n      net.core.somaxconn: 1024\n';
    const all = analyzeText(compose, defaultOptions()).filter((finding) => finding.ruleId === 'TCB012');
    assert.equal(all.length, 3, JSON.stringify(all));
    const docker = analyzeText(compose, withProfile(defaultOptions(), 'cis-docker')).filter((finding) => finding.ruleId === 'TCB012');
    assert.equal(docker.length, 1, 'CIS Docker asks about the cgroup, not a shared PID namespace or sysctls');
    assert.match(docker[0].message, /\(cgroup: host\)/);
    assert.deepEqual(analyzeText(compose, withProfile(defaultOptions(), 'pss-restricted')), [], 'the Pod Security Standards do not judge compose services');
  });

  it('pss-baseline is a subset of pss-restricted', () => {
    const rulesOf = (id: string) => new Set(profileControls(PROFILES.find((profile) => profile.id === id)!).flatMap((control) => control.rules));
    const baseline = rulesOf('pss-baseline');
    for (const id of baseline) assert.ok(rulesOf('pss-restricted').has(id), id);
    assert.ok(!baseline.has('ZT001'), 'running as non-root is a restricted control');
  });

  it('reads `profile:` from .sbd.yaml and refuses an unknown one at its place', () => {
    const ok = parseProjectConfig('profile: cis-docker\n', CONFIG_CONTEXT);
    assert.ok(ok.ok && ok.overlay.profile === 'cis-docker');
    const bad = parseProjectConfig('profile: pss-strict\n', CONFIG_CONTEXT);
    assert.ok(!bad.ok);
    assert.match(bad.problems[0].message, /profile must be one of pss-baseline, pss-restricted/);
    assert.equal(bad.problems[0].range?.start, 9);
  });

  it("lists the controls a rule serves in its docs (the text of hovers and SARIF help)", () => {
    const markdown = ruleMarkdown(RULES_BY_ID.get('TCB001')!);
    assert.match(markdown, /## Standards\n\n- \*\*PSS Privileged Containers \(baseline\)\*\*/);
    assert.match(markdown, /\*\*CIS Docker 5\.4\*\*/);
    assert.match(markdown, /- \*\*PSS Privileged Containers \(baseline\)\*\* \(Kubernetes\):/);
    assert.match(markdown, /- \*\*CIS Docker 5\.4\*\* \(Docker Compose\):/);
    const baseline = ruleMarkdown(RULES_BY_ID.get('TCB011')!);
    assert.match(baseline, /- \*\*PSS Seccomp \(restricted\)\*\* \(Kubernetes\): Seccomp profile must be explicitly set to RuntimeDefault or Localhost; asks this rule only for no seccomp profile/);
    assert.ok(controlsOfRule('IMM101').length === 0 && !ruleMarkdown(RULES_BY_ID.get('IMM101')!).includes('## Standards'));
  });
});
