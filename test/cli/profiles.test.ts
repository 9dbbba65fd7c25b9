import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { requireBundle, sbd } from './support';

/** A Deployment that misses only a seccomp profile of what Pod Security asks, and a compose file (profiles/). */
const FILES = path.join(__dirname, 'profiles');

interface JsonFinding {
  readonly ruleId: string;
  readonly severity: string;
  readonly startLine: number;
  readonly message: string;
}

function scan(file: string, ...args: string[]): JsonFinding[] {
  const result = sbd(['scan', file, '--format', 'json', '--fail-on', 'never', ...args], FILES);
  assert.equal(result.status, 0, result.stderr);
  return (JSON.parse(result.stdout).files as Array<{ findings: JsonFinding[] }>).flatMap((entry) => entry.findings);
}

const brief = (findings: readonly JsonFinding[]) => findings.map((finding) => `${finding.startLine} ${finding.severity} ${finding.ruleId}`);

describe('sbd scan --profile: a profile reports what its standard asks, no more', () => {
  before(requireBundle);

  it('pss-restricted reports only the Seccomp control\'s error on a Deployment without seccomp and without limits', () => {
    const findings = scan('deployment.yaml', '--profile', 'pss-restricted');
    assert.deepEqual(brief(findings), ['22 error TCB011']);
    assert.equal(
      findings[0].message,
      'Container "api" in Deployment "api" misses a setting its profile asks for: no seccomp profile (no seccompProfile; Unconfined unless the node\'s kubelet sets --seccomp-default), asked by PSS Seccomp (restricted).',
    );
    assert.deepEqual(scan('deployment.yaml', '--profile', 'pss-baseline'), [], 'no baseline control asks for a setting to be present');
  });

  it('the Kubernetes standards judge no compose file, and CIS Docker judges no Kubernetes manifest', () => {
    for (const profile of ['pss-baseline', 'pss-restricted', 'nsa-cisa', 'cis-kubernetes']) assert.deepEqual(scan('compose.yaml', '--profile', profile), [], profile);
    assert.deepEqual(scan('deployment.yaml', '--profile', 'cis-docker'), []);
  });

  it('cis-docker reports the items of the hardening baseline its controls name, each named with its control, at the rule\'s own severity', () => {
    const findings = scan('compose.yaml', '--profile', 'cis-docker');
    assert.deepEqual(brief(findings), ['4 info TCB011', '6 error TCB001', '7 warning TCB012', '9 info TCB011', '12 warning ZT005'], 'the PID namespace shared with another service (TCB012) is no CIS Docker control');
    const web = findings[0].message;
    assert.match(web, /no memory limit, asked by CIS Docker 5\.10; no PID limit, asked by CIS Docker 5\.28; a writable root filesystem, asked by CIS Docker 5\.12; no non-root user .*, asked by CIS Docker 4\.1\.$/);
    assert.doesNotMatch(web, /CPU/, 'CPU priority (5.11) is not a CPU limit, and no control asks for one');
  });

  it('without a profile the same files report what they always did', () => {
    const deployment = scan('deployment.yaml');
    assert.deepEqual(brief(deployment), ['22 info TCB011']);
    assert.equal(
      deployment[0].message,
      'Container "api" in Deployment "api" misses 3 of 6 settings of the hardening baseline: no memory limit; a writable root filesystem; no seccomp profile (no seccompProfile; Unconfined unless the node\'s kubelet sets --seccomp-default).',
    );
    const compose = scan('compose.yaml');
    assert.deepEqual(brief(compose), ['4 info TCB011', '5 info IMM002', '6 error TCB001', '7 warning TCB012', '8 warning TCB012', '9 info TCB011', '10 info IMM002', '12 warning ZT005']);
    assert.match(compose[0].message, /misses 5 of 7 settings of the hardening baseline: no memory limit; no PID limit; no CPU limit; a writable root filesystem; no non-root user/);
  });

  it('sbd profiles says which files each profile judges', () => {
    const listed = sbd(['profiles']);
    assert.equal(listed.status, 0);
    assert.match(listed.stdout, /^pss-restricted +Pod Security Standards: Restricted \(includes Baseline\) \(17 controls, \d+ rules, Kubernetes files only, raised to error\)$/m);
    assert.match(listed.stdout, /^cis-docker +.*Docker Compose files only\)$/m);
  });

  it('SARIF names the part of the hardening baseline a control asks for', () => {
    const result = sbd(['scan', 'deployment.yaml', '--format', 'sarif', '--fail-on', 'never', '--profile', 'pss-restricted'], FILES);
    const tcb011 = JSON.parse(result.stdout).runs[0].tool.driver.rules.find((rule: { id: string }) => rule.id === 'TCB011');
    assert.ok(tcb011.properties.controls.includes('PSS Seccomp (restricted): no seccomp profile'), JSON.stringify(tcb011.properties.controls));
    assert.ok(tcb011.properties.controls.includes('CIS Docker 5.10: no memory limit'));
  });
});
