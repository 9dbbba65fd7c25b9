import { strict as assert } from 'node:assert';
import { parseProjectConfig } from '../../server/src/core/configuration';
import { analyzeText } from '../../server/src/analysis/engine';
import { defaultOptions } from '../../server/src/core/options';
import { ALL_RULES, CONFIG_CONTEXT, RULES_BY_ID } from '../../server/src/rules';
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
    assert.deepEqual(settings.ZT002, { enabled: true, severity: 'error' });
    assert.deepEqual(settings.TCB001, { enabled: true }, 'already an error');
    const findings = analyzeText(PRIVILEGED_POD, defaultOptions({ rules: settings }));
    const ids = new Set(findings.map((finding) => finding.ruleId));
    assert.ok(ids.has('TCB001') && ids.has('ZT002'));
    assert.ok(!ids.has('IMM001') && !ids.has('IMM003'), `only profile rules: ${[...ids].join(', ')}`);
    assert.equal(findings.find((finding) => finding.ruleId === 'ZT002')!.severity, 'error');
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
    assert.ok(controlsOfRule('IMM101').length === 0 && !ruleMarkdown(RULES_BY_ID.get('IMM101')!).includes('## Standards'));
  });
});
