import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFiles, analyzeText } from '../../server/src/analysis/engine';
import { defaultOptions } from '../../server/src/core/options';
import type { Finding } from '../../server/src/core/types';
import { applyEdits, FIXTURE_OPTIONS } from '../fixtureSupport';

const repoRoot = path.join(__dirname, '..', '..');
const corpus = path.join(repoRoot, '..', 'shared', 'corpus');

function findingsOf(ruleId: string, text: string, options = FIXTURE_OPTIONS): Finding[] {
  return analyzeText(text, options).filter((finding) => finding.ruleId === ruleId);
}

function textAt(text: string, finding: Finding): string {
  return text.slice(finding.range.start, finding.range.end);
}

/** Applies the finding's first fix and returns the new text. */
function fixed(text: string, finding: Finding): string {
  assert.ok(finding.fixes && finding.fixes.length > 0, `${finding.ruleId} has a fix`);
  return applyEdits(text, finding.fixes[0].edits);
}

const pod = (containerBody: string, podBody = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${podBody}  containers:\n    - name: c\n      image: example/c:1.0.0\n${containerBody}`;

describe('Immutable, TCB and Fail-Fast rules: behaviour beyond the fixtures', () => {
  it('a self-modifying command inside a block scalar is pointed at exactly', () => {
    const text = 'services:\n  setup:\n    image: alpine:3.20.3\n    command: |\n      set -e\n      apk add --no-cache curl\n      ./run.sh\n';
    const [finding] = findingsOf('IMM005', text);
    assert.equal(textAt(text, finding), 'apk add');
  });

  it('insecure_skip_verify inside an embedded block of configuration is pointed at and fixed in place', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: prometheus\ndata:\n  prometheus.yml: |\n    scrape_configs:\n      - job_name: nodes\n        tls_config:\n          insecure_skip_verify: true\n';
    const [finding] = findingsOf('FF006', text);
    assert.equal(textAt(text, finding), 'insecure_skip_verify: true');
    const after = fixed(text, finding);
    assert.ok(after.includes('          insecure_skip_verify: false\n'), after);
    assert.deepEqual(findingsOf('FF006', after), []);
  });

  it('the writable-mount fix turns rw into ro, keeps other options and sets read_only on the long form', () => {
    const text = 'services:\n  web:\n    image: nginx:1.27.2\n    volumes:\n      - ./html:/usr/share/nginx/html:rw\n      - ./conf.d:/etc/nginx/conf.d:z\n      - type: bind\n        source: ./nginx.conf\n        target: /etc/nginx/nginx.conf\n';
    const findings = findingsOf('IMM004', text);
    assert.equal(findings.length, 3);
    assert.ok(fixed(text, findings[0]).includes('- ./html:/usr/share/nginx/html:ro\n'));
    assert.ok(fixed(text, findings[1]).includes('- ./conf.d:/etc/nginx/conf.d:ro,z\n'));
    const longForm = fixed(text, findings[2]);
    assert.deepEqual(findingsOf('IMM004', longForm).length, 2, longForm);
    assert.ok(/read_only: true/.test(longForm));
  });

  it('a Kubernetes hostPath mounted by two containers is one finding, and its fix makes both mounts read-only', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: example/a:1.0.0\n      volumeMounts:\n        - {name: cfg, mountPath: /etc/a/app.yaml}\n    - name: b\n      image: example/b:1.0.0\n      volumeMounts:\n        - name: cfg\n          mountPath: /etc/b/app.yaml\n  volumes:\n    - name: cfg\n      hostPath: {path: /srv/app.yaml}\n';
    const [finding, ...rest] = findingsOf('IMM004', text);
    assert.deepEqual(rest, []);
    assert.match(finding.message, /containers "a", "b"/);
    const after = fixed(text, finding);
    assert.deepEqual(findingsOf('IMM004', after), [], after);
  });

  it('the literal-secret fix for compose requires the variable, for every form of environment', () => {
    const text = 'services:\n  api:\n    image: example/api:2.3.1\n    environment:\n      DB_PASSWORD: hunter2-example\n  worker:\n    image: example/worker:1.0.0\n    environment:\n      - "spring.datasource.password=other-example"\n';
    const [mapForm, listForm] = findingsOf('TCB009', text);
    assert.ok(fixed(text, mapForm).includes('DB_PASSWORD: "${DB_PASSWORD:?DB_PASSWORD must be set}"'));
    assert.ok(fixed(text, listForm).includes('"spring.datasource.password=${SPRING_DATASOURCE_PASSWORD:?SPRING_DATASOURCE_PASSWORD must be set}"'));
    for (const finding of [mapForm, listForm]) {
      const after = fixed(text, finding);
      assert.equal(findingsOf('TCB009', after).length, 1);
      assert.deepEqual(findingsOf('FF001', after), [], 'a required variable is not a fail-open default');
    }
  });

  it('a known hash salt default is a warning, a known credential default an error', () => {
    const text = 'services:\n  api:\n    image: example/api:2.0.1\n    environment:\n      PASSWORD_SALT: ${PASSWORD_SALT:-pepperless}\n      SESSION_SECRET: ${SESSION_SECRET:-changeme}\n';
    const bySeverity = findingsOf('FF001', text).map((finding) => `${textAt(text, finding)} ${finding.severity}`);
    assert.deepEqual(bySeverity, ['${PASSWORD_SALT:-pepperless} warning', '${SESSION_SECRET:-changeme} error']);
  });

  it('the Kubernetes literal-secret suggestion swaps the value for a secretKeyRef', () => {
    const text = pod('      env:\n        - name: DB_PASSWORD\n          value: hunter2-example\n');
    const [finding] = findingsOf('TCB009', text);
    assert.equal(finding.fixes?.[0].safe, false);
    const after = fixed(text, finding);
    assert.ok(after.includes('valueFrom: {secretKeyRef: {name: p-secrets, key: db-password}}'), after);
    assert.deepEqual(findingsOf('TCB009', after), []);
  });

  it('a switch fixed to a secure value stays a string, as compose and Kubernetes require', () => {
    const text = 'services:\n  grafana:\n    image: grafana/grafana:11.3.0\n    environment:\n      GF_AUTH_ANONYMOUS_ENABLED: true\n';
    const [finding] = findingsOf('FF004', text);
    assert.ok(fixed(text, finding).includes('GF_AUTH_ANONYMOUS_ENABLED: "false"'));
  });

  it('secrets shared through a merged anchor are one finding naming every service that merges it', () => {
    const text = 'x-db: &db\n  DB_PASSWORD: hunter2-example\nservices:\n  a:\n    image: example/a:1.0.0\n    environment: *db\n  b:\n    image: example/b:1.0.0\n    environment: *db\n';
    assert.equal(findingsOf('TCB009', text).length, 1);
    const holders = findingsOf('TCB010', text, defaultOptions({ today: '2026-06-01', thresholds: { secretHolders: 1, datastoreReach: 3, tcbSize: 5 } }));
    assert.equal(holders.length, 1);
    assert.match(holders[0].message, /held by 2 services \(Service "a", Service "b"\)/);
    assert.deepEqual(holders[0].related ?? [], [], 'both services take it from one place: nothing else to point at');
  });

  it('one literal value set in several services is one finding, the other places related, and one fix replaces them all', () => {
    const text = 'services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD: hunter2-example\n  app:\n    image: example/app:1.0.0\n    environment:\n      DB_PASS: hunter2-example\n';
    const [finding, ...others] = findingsOf('TCB009', text);
    assert.deepEqual(others, []);
    assert.equal(finding.related?.length, 1);
    assert.deepEqual(findingsOf('TCB009', fixed(text, finding)), []);
  });

  it('a password inside a connection URL is a literal secret whatever the variable is called, and points at the password', () => {
    const text = 'services:\n  app:\n    image: example/app:1.0.0\n    environment:\n      CELERY_BROKER: redis://:pw-example@cache:6379/0\n      PLAIN_URL: redis://cache:6379/0\n      INTERPOLATED: postgresql://app:${DB_PASSWORD:?set it}@db/app\n';
    assert.deepEqual(findingsOf('TCB009', text).map((f) => textAt(text, f)), ['pw-example']);
  });

  it('the secret-holder budget comes from the thresholds, and related locations name the other files', () => {
    const workload = (name: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: ${name}\n          image: example/${name}:1.0.0\n          envFrom:\n            - secretRef: {name: db}\n`;
    const files = [
      { file: 'a.yaml', text: workload('a') },
      { file: 'b.yaml', text: workload('b') },
    ];
    const strict = defaultOptions({ today: '2026-06-01', thresholds: { secretHolders: 1, datastoreReach: 3, tcbSize: 5 } });
    const [first] = analyzeFiles(files, strict);
    const finding = first.findings.find((f) => f.ruleId === 'TCB010');
    assert.ok(finding);
    assert.deepEqual(finding.related?.map((r) => r.file), ['b.yaml']);
    assert.deepEqual(analyzeFiles(files, FIXTURE_OPTIONS)[0].findings.filter((f) => f.ruleId === 'TCB010'), []);
  });

  it('an explicit insecure setting is worse than a missing hardening setting', () => {
    assert.deepEqual(findingsOf('IMM003', pod('      securityContext:\n        readOnlyRootFilesystem: false\n')).map((f) => f.severity), ['warning']);
    assert.deepEqual(findingsOf('IMM003', pod('')), []);
    assert.deepEqual(findingsOf('TCB011', pod('')).map((f) => f.severity), ['info']);
    assert.deepEqual(findingsOf('TCB008', 'services:\n  a:\n    image: example/a:1.0.0\n    volumes:\n      - /etc:/host/etc:ro\n      - /etc:/host/etc2\n').map((f) => f.severity), ['warning', 'error']);
  });

  it('a mongo container with --noauth is reported for the flag, not twice', () => {
    const text = 'services:\n  mongo:\n    image: mongo:7.0.14\n    command: mongod --noauth\n';
    const findings = findingsOf('FF004', text);
    assert.deepEqual(findings.map((f) => textAt(text, f)), ['--noauth']);
  });
});

describe('Immutable, TCB and Fail-Fast rules on the real-world corpus', function () {
  this.timeout(120_000);
  const byRule = new Map<string, Array<{ file: string; text: string; finding: Finding }>>();

  before(function () {
    if (!fs.existsSync(corpus)) {
      if (process.env.CI === 'true') throw new Error('the shared corpus is missing beside the repository');
      console.log('    (skipped: the shared corpus is not beside the repository)');
      this.skip();
    }
    const files: Array<{ file: string; text: string }> = [];
    for (const kind of ['compose', 'k8s']) {
      const dir = path.join(corpus, kind);
      for (const name of fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) files.push({ file: `${kind}/${name}`, text: fs.readFileSync(path.join(dir, name), 'utf8').replace(/^\uFEFF/, '') });
    }
    // Each file alone: compose projects in the corpus are unrelated to each other.
    for (const input of files) {
      for (const finding of analyzeFiles([input], defaultOptions({ today: '2026-06-01' }))[0].findings) {
        if (!/^(?:IMM|TCB|FF)0\d\d$/.test(finding.ruleId)) continue;
        byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), { file: input.file, text: input.text, finding }]);
      }
    }
  });

  it('never reports a reference (interpolation, file path, secretKeyRef) as a literal secret', () => {
    for (const { file, text, finding } of byRule.get('TCB009') ?? []) {
      const value = textAt(text, finding);
      assert.ok(!/\$\{|\$\(|^\/|\{\{/.test(value), `${file}: ${value}`);
    }
  });

  it('never reports a data directory as writable configuration or code', () => {
    for (const { file, text, finding } of byRule.get('IMM004') ?? []) {
      const line = text.slice(text.lastIndexOf('\n', finding.range.start) + 1, text.indexOf('\n', finding.range.end));
      assert.ok(!/(?:^|[/:])(?:data|db|logs?|uploads?|cache|backups?)(?:[/:]|$)/i.test(line), `${file}: ${line.trim()}`);
    }
  });

  it('reports each place once per rule, even where services share anchors', () => {
    for (const [ruleId, found] of byRule) {
      const places = found.map(({ file, finding }) => `${file}@${finding.range.start}-${finding.range.end}`);
      assert.equal(new Set(places).size, places.length, `${ruleId} reports a place twice`);
    }
  });

  it('finds the well-known dangerous settings the corpus contains', () => {
    const count = (ruleId: string) => byRule.get(ruleId)?.length ?? 0;
    // docker.sock in portainer/traefik/nginx-proxy, hostPID in node exporters, mongo without auth.
    assert.ok(count('TCB007') >= 10, `TCB007: ${count('TCB007')}`);
    assert.ok(count('TCB005') >= 3, `TCB005: ${count('TCB005')}`);
    assert.ok(count('FF004') >= 3, `FF004: ${count('FF004')}`);
  });

  it('prints per-rule counts', () => {
    const table = [...byRule].sort(([a], [b]) => a.localeCompare(b)).map(([ruleId, found]) => `${ruleId} ${found.length}`);
    console.log(`      ${table.join(', ')}`);
  });
});
