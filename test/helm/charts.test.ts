import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, parseAllDocuments, type Document } from 'yaml';
import { HelmChart, type ChartRender, type RenderedTemplate } from '../../server/src/frontends/helm/chart';
import { mapGeneratedRange } from '../../server/src/frontends/sourceMap';
import { diskFiles } from './support/diskFiles';

const repoRoot = path.resolve(__dirname, '..', '..');
const chartsRoot = path.join(repoRoot, '..', 'shared', 'charts');
const present = fs.existsSync(chartsRoot);

interface RenderedObject {
  readonly kind: string;
  readonly name: string;
  readonly template: RenderedTemplate;
  readonly doc: Document;
  /** Offset of the document in the template's generated text. */
  readonly offset: number;
}

function objects(result: ChartRender): RenderedObject[] {
  const out: RenderedObject[] = [];
  for (const template of result.templates) {
    for (const span of template.documents) {
      for (const doc of parseAllDocuments(template.text.slice(span.start, span.end))) {
        assert.deepEqual(doc.errors.map((e) => e.message), [], `${template.name} does not parse as YAML`);
        if (doc.contents === null) continue;
        const kind = doc.get('kind');
        assert.ok(typeof kind === 'string' && kind !== '', `${template.name} renders a document without kind`);
        out.push({ kind, name: String(doc.getIn(['metadata', 'name']) ?? ''), template, doc, offset: span.start });
      }
    }
  }
  return out;
}

/** The values-file line a rendered field maps to (`spec.replicas` of an object). */
function valueLine(object: RenderedObject, fieldPath: Array<string | number>): { file: string; line: string } {
  const node = object.doc.getIn(fieldPath, true);
  assert.ok(isScalar(node) && node.range, `${object.kind}/${object.name} has no ${fieldPath.join('.')}`);
  const place = mapGeneratedRange(object.template, { start: object.offset + node.range[0], end: object.offset + node.range[1] });
  assert.ok(place);
  const text = fs.readFileSync(place.primary.file, 'utf8');
  const start = text.lastIndexOf('\n', place.primary.range.start - 1) + 1;
  const end = text.indexOf('\n', place.primary.range.start);
  return { file: path.relative(chartsRoot, place.primary.file), line: text.slice(start, end === -1 ? undefined : end) };
}

function valueSets(chart: string): string[][] {
  const sets: string[][] = [[]];
  const ci = path.join(chartsRoot, chart, 'ci');
  if (fs.existsSync(ci)) for (const file of fs.readdirSync(ci).sort()) sets.push([path.join(ci, file)]);
  return sets;
}

function render(chart: string, valuesFiles: string[] = []): ChartRender {
  return new HelmChart(diskFiles(chartsRoot), path.join(chartsRoot, chart), { valuesFiles }).render();
}

describe('real Helm charts', function () {
  this.timeout(300_000);
  before(function () {
    if (present) return;
    if (process.env.CI === 'true') throw new Error(`the shared charts are missing (expected beside the repository at ${path.relative(repoRoot, chartsRoot)})`);
    console.log('    (skipped: the shared charts are not beside the repository)');
    this.skip();
  });

  const charts = present ? fs.readdirSync(chartsRoot).filter((d) => fs.existsSync(path.join(chartsRoot, d, 'Chart.yaml'))).sort() : [];

  for (const chart of charts) {
    for (const valuesFiles of valueSets(chart)) {
      const label = valuesFiles.length ? `ci/${path.basename(valuesFiles[0])}` : 'its defaults';
      it(`${chart} renders with ${label} into YAML objects with a kind`, () => {
        const started = performance.now();
        const result = render(chart, valuesFiles);
        const ms = performance.now() - started;
        const errors = result.problems.filter((p) => p.severity === 'error');
        if (chart === 'prometheus-postgres-exporter' && valuesFiles.length === 0) {
          // The chart itself requires a password (helm template fails the same way): one error, where `required` is.
          assert.equal(errors.length, 1, errors.map((e) => e.message).join('\n'));
          assert.match(errors[0].message, /config\.datasource\.password is required/);
          assert.equal(path.basename(errors[0].file), 'secrets.yaml');
        } else {
          assert.deepEqual(errors.map((e) => `${e.file}: ${e.message}`), []);
        }
        const rendered = objects(result);
        assert.ok(rendered.length > 0);
        console.log(`      ${chart} (${label}): ${result.templates.length} templates, ${rendered.length} objects, ${ms.toFixed(0)} ms`);
      });
    }
  }

  it('argo-cd: the expected workloads appear, and server replicas map to their values.yaml line', () => {
    const rendered = objects(render('argo-cd'));
    const names = (kind: string) => rendered.filter((o) => o.kind === kind).map((o) => o.name).sort();
    assert.deepEqual(names('StatefulSet'), ['release-name-argocd-application-controller']);
    for (const name of ['release-name-argocd-server', 'release-name-argocd-repo-server', 'release-name-argocd-redis', 'release-name-argocd-dex-server']) {
      assert.ok(names('Deployment').includes(name), `no Deployment ${name}: ${names('Deployment')}`);
    }
    assert.ok(names('CustomResourceDefinition').includes('applications.argoproj.io'));
    const server = rendered.find((o) => o.kind === 'Deployment' && o.name === 'release-name-argocd-server')!;
    assert.deepEqual(valueLine(server, ['spec', 'replicas']), { file: 'argo-cd/values.yaml', line: '  replicas: 1' });
  });

  it('bitnami-redis: master and replicas StatefulSets through the common library chart', () => {
    const rendered = objects(render('bitnami-redis'));
    const statefulSets = rendered.filter((o) => o.kind === 'StatefulSet').map((o) => o.name).sort();
    assert.deepEqual(statefulSets, ['release-name-redis-master', 'release-name-redis-replicas']);
    const master = rendered.find((o) => o.name === 'release-name-redis-master')!;
    const container = master.doc.getIn(['spec', 'template', 'spec', 'containers', 0], true);
    assert.ok(isMap(container));
    assert.equal(master.doc.getIn(['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'runAsNonRoot']), true);
    const line = valueLine(master, ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'runAsNonRoot']);
    assert.equal(line.file, 'bitnami-redis/values.yaml');
    assert.match(line.line, /^\s+runAsNonRoot: true$/);
  });

  it('bitnami-postgresql: the primary StatefulSet and its Services', () => {
    const rendered = objects(render('bitnami-postgresql'));
    assert.deepEqual(rendered.filter((o) => o.kind === 'StatefulSet').map((o) => o.name), ['release-name-postgresql']);
    assert.deepEqual(rendered.filter((o) => o.kind === 'Service').map((o) => o.name).sort(), ['release-name-postgresql', 'release-name-postgresql-hl']);
  });

  it('kube-state-metrics: toYaml of securityContext maps each line to values.yaml', () => {
    const rendered = objects(render('kube-state-metrics'));
    const deployment = rendered.find((o) => o.kind === 'Deployment')!;
    assert.equal(deployment.name, 'release-name-kube-state-metrics');
    assert.deepEqual(valueLine(deployment, ['spec', 'template', 'spec', 'securityContext', 'runAsUser']), { file: 'kube-state-metrics/values.yaml', line: '  runAsUser: 65534' });
  });

  it('kube-state-metrics with ci/03: a ServiceMonitor with the job label from the values file', () => {
    const rendered = objects(render('kube-state-metrics', [path.join(chartsRoot, 'kube-state-metrics/ci/03-servicemonitor-values.yaml')]));
    const monitor = rendered.find((o) => o.kind === 'ServiceMonitor')!;
    assert.equal(monitor.doc.getIn(['spec', 'jobLabel']), 'app.kubernetes.io/name');
    assert.deepEqual(valueLine(monitor, ['spec', 'jobLabel']), { file: 'kube-state-metrics/ci/03-servicemonitor-values.yaml', line: '    jobLabel: app.kubernetes.io/name' });
  });

  it('prometheus-blackbox-exporter with ci/daemonset-values.yml renders a DaemonSet instead of a Deployment', () => {
    const kinds = objects(render('prometheus-blackbox-exporter', [path.join(chartsRoot, 'prometheus-blackbox-exporter/ci/daemonset-values.yml')])).map((o) => o.kind);
    assert.ok(kinds.includes('DaemonSet'));
    assert.ok(!kinds.includes('Deployment'));
  });
});

describe('re-rendering argo-cd after edits', function () {
  this.timeout(300_000);
  before(function () {
    if (present) return;
    if (process.env.CI === 'true') throw new Error('the shared charts are missing');
    console.log('    (skipped: the shared charts are not beside the repository)');
    this.skip();
  });

  it('gives what a fresh render gives, re-rendering only what the edit affects', () => {
    const overrides = new Map<string, string>();
    const files = diskFiles(chartsRoot, overrides);
    const root = path.join(chartsRoot, 'argo-cd');
    const chart = new HelmChart(files, root);
    let started = performance.now();
    chart.render();
    const fullMs = performance.now() - started;
    const same = (label: string) => {
      const incremental = chart.render();
      const fresh = new HelmChart(diskFiles(chartsRoot, overrides), root).render();
      assert.deepEqual(JSON.parse(JSON.stringify(incremental.templates)), JSON.parse(JSON.stringify(fresh.templates)), label);
      return incremental;
    };
    // A template edit.
    const deployment = path.join(root, 'templates/argocd-server/deployment.yaml');
    overrides.set(deployment, fs.readFileSync(deployment, 'utf8').replace('kind: Deployment', 'kind: Deployment\n# edited'));
    chart.invalidate(deployment);
    started = performance.now();
    let result = chart.render();
    const templateMs = performance.now() - started;
    assert.equal(result.rendered, 1);
    chart.invalidate(deployment);
    same('template edit');
    // A values edit that changes one value and moves every line below the top.
    const values = path.join(root, 'values.yaml');
    const text = fs.readFileSync(values, 'utf8');
    const serverReplicas = text.indexOf('  replicas: 1', text.indexOf('\nserver:'));
    overrides.set(values, '# edited\n' + text.slice(0, serverReplicas) + '  replicas: 3' + text.slice(serverReplicas + '  replicas: 1'.length));
    chart.invalidate(values);
    started = performance.now();
    result = chart.render();
    const valuesMs = performance.now() - started;
    const valuesRendered = result.rendered;
    assert.ok(valuesRendered < 20, `a one-value edit re-rendered ${valuesRendered} templates`);
    chart.invalidate(values);
    result = same('values edit');
    const server = objects(result).find((o) => o.kind === 'Deployment' && o.name === 'release-name-argocd-server')!;
    assert.equal(server.doc.getIn(['spec', 'replicas']), 3);
    console.log(`      argo-cd: full render ${fullMs.toFixed(0)} ms, template edit ${templateMs.toFixed(1)} ms, values edit ${valuesMs.toFixed(0)} ms (${valuesRendered} templates)`);
  });
});
