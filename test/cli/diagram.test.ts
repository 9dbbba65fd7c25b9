import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireBundle, ROOT, sbd, tempDir } from './support';

const INSECURE = 'services:\n  api:\n    image: example/api:1.0.0\n    privileged: true\n    ports: ["8080:8080"]\n    networks: [front]\nnetworks:\n  front: {}\n';
const HARDENED = 'services:\n  api:\n    image: example/api:1.0.0@sha256:' + 'a'.repeat(64) + '\n    ports: ["127.0.0.1:8080:8080"]\n    networks: [front]\nnetworks:\n  front: {}\n';

describe('sbd diagram', function () {
  this.timeout(120_000);
  before(requireBundle);

  it('writes a self-contained SVG of the bundled examples: no script, no remote reference, every element from a line says which', () => {
    const dir = tempDir({});
    const out = path.join(dir, 'boundaries.svg');
    const result = sbd(['diagram', 'examples', '--output', out]);
    assert.equal(result.status, 0, result.stderr);
    const svg = fs.readFileSync(out, 'utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.doesNotMatch(svg, /<script|<foreignObject|xlink:href|href="http|url\(http|@import/i);
    assert.match(svg, /data-file="examples\/compose\/insecure\.compose\.yaml"/);
    assert.match(svg, /Trust boundaries of the workspace/);
  });

  it('keeps same-named services of two compose files apart, each with its own findings, in Mermaid', () => {
    const dir = tempDir({ 'insecure.compose.yaml': INSECURE, 'hardened.compose.yaml': HARDENED });
    const result = sbd(['diagram', '.', '--format', 'mermaid'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^flowchart LR/);
    assert.match(result.stdout, /subgraph \w+\["hardened\.compose\.yaml \(compose\)"\]/);
    assert.match(result.stdout, /subgraph \w+\["insecure\.compose\.yaml \(compose\)"\]/);
    const apis = result.stdout.split('\n').filter((line) => /\["api · service/.test(line));
    assert.equal(apis.length, 2, result.stdout);
    // The privileged api is the trusted core's; the pinned, loopback-only one is not.
    assert.equal(apis.filter((line) => /worst: error/.test(line)).length, 1, apis.join('\n'));
  });

  it('writes Graphviz DOT, and refuses an unknown format or a missing path with status 2', () => {
    const dir = tempDir({ 'compose.yaml': INSECURE });
    const dot = sbd(['diagram', '--format', 'dot'], dir);
    assert.equal(dot.status, 0, dot.stderr);
    assert.match(dot.stdout, /^digraph /);
    const format = sbd(['diagram', '--format', 'png'], dir);
    assert.equal(format.status, 2);
    assert.match(format.stderr, /png/);
    const missing = sbd(['diagram', 'nowhere.yaml'], dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nowhere\.yaml/);
  });
});

/** A chart written after Helm's chart layout docs, its templates in one folder per component. */
const CHART: Record<string, string> = {
  'web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'web/values.yaml': 'backend:\n  image: example/backend:1.4.2\n  privileged: true\nfrontend:\n  image: example/frontend:2.0.1\n',
  'web/templates/_helpers.tpl': '{{- define "web.labels" -}}\napp.kubernetes.io/instance: {{ .Release.Name }}\n{{- end }}\n',
  'web/templates/backend/deployment.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-backend\nspec:\n  selector:\n    matchLabels:\n      app: backend\n  template:\n    metadata:\n      labels:\n        app: backend\n    spec:\n      containers:\n        - name: backend\n          image: {{ .Values.backend.image }}\n          securityContext:\n            privileged: {{ .Values.backend.privileged }}\n',
  'web/templates/backend/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-backend\nspec:\n  selector:\n    app: backend\n  ports:\n    - port: 8080\n',
  'web/templates/backend/networkpolicy.yaml':
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {{ .Release.Name }}-backend\nspec:\n  podSelector:\n    matchLabels:\n      app: backend\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: frontend\n',
  'web/templates/frontend/deployment.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-frontend\nspec:\n  selector:\n    matchLabels:\n      app: frontend\n  template:\n    metadata:\n      labels:\n        app: frontend\n    spec:\n      containers:\n        - name: frontend\n          image: {{ .Values.frontend.image }}\n',
};

describe('sbd diagram: an output it cannot write', function () {
  this.timeout(120_000);
  before(requireBundle);

  it('says so in one line with status 2, for the SVG laid out later as for Mermaid', () => {
    const dir = tempDir({ 'compose.yaml': INSECURE });
    for (const format of ['svg', 'mermaid']) {
      const result = sbd(['diagram', '--format', format, '--output', 'no/such/folder/boundaries.out'], dir);
      assert.equal(result.status, 2, `${format}: ${result.stderr}`);
      assert.equal(result.stderr, 'sbd: no/such/folder/boundaries.out: cannot write the diagram (ENOENT)\n');
    }
  });
});

describe('sbd diagram and sbd export threagile of a Helm chart', function () {
  this.timeout(120_000);
  before(requireBundle);

  it('draws the rendered chart as one release: components of every template folder, the NetworkPolicy arrow between them, findings from the values line', () => {
    const dir = tempDir(CHART);
    const result = sbd(['diagram', 'web', '--format', 'mermaid'], dir);
    assert.equal(result.status, 0, result.stderr);
    const systems = [...result.stdout.matchAll(/^ {2}subgraph (s\d+)\["([^"]*)"\]/gm)].map((match) => match[2]);
    assert.deepEqual(systems, ['web/templates/, rendered Helm chart (kubernetes)'], result.stdout);
    const node = (label: string) => result.stdout.split('\n').find((line) => line.includes(`["Deployment release-name-${label} `));
    const backend = node('backend');
    const frontend = node('frontend');
    assert.ok(backend && frontend, result.stdout);
    assert.match(backend!, /worst: error/, 'the privileged backend carries its TCB005 error');
    const id = (line: string) => /^\s*(s\d+n\d+)\[/.exec(line)![1];
    assert.match(result.stdout, new RegExp(`${id(frontend!)} -->\\|"allowed by NetworkPolicy release-name-backend"\\| ${id(backend!)}`), 'the policy in backend/ lets the frontend/ workload in');
    const svg = sbd(['diagram', 'web'], dir);
    assert.equal(svg.status, 0, svg.stderr);
    assert.match(svg.stdout, /data-file="web\/templates\/backend\/deployment\.yaml" data-line="\d+"/, 'a click reveals the template, not the rendered text');
    assert.doesNotMatch(svg.stdout, /#rendered/);
  });

  it('keeps two charts a repository holds in a charts/ folder apart: each is its own release', () => {
    const files = Object.fromEntries(['web', 'shop'].flatMap((name) => Object.entries(CHART).map(([file, text]) => [file.replace(/^web\//, `charts/${name}/`), text])));
    const dir = tempDir(files);
    const result = sbd(['diagram', '--format', 'mermaid'], dir);
    assert.equal(result.status, 0, result.stderr);
    const systems = [...result.stdout.matchAll(/^ {2}subgraph s\d+\["([^"]*)"\]/gm)].map((match) => match[1]);
    assert.deepEqual(systems, ['shop/templates/, rendered Helm chart (kubernetes)', 'web/templates/, rendered Helm chart (kubernetes)'], result.stdout);
  });

  it('exports the chart\'s workloads as technical assets named by the chart', () => {
    const dir = tempDir(CHART);
    const result = sbd(['export', 'threagile', 'web'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /exported 2 technical assets/);
    assert.match(result.stdout, /^# {3}web\/templates\/, rendered Helm chart$/m);
    assert.match(result.stdout, /release-name-backend/);
    assert.doesNotMatch(result.stdout, /#rendered/);
  });
});
