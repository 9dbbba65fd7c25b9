import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, visit } from 'yaml';
import { findKustomizations, KustomizeBuilder, type KustomizeBuild } from '../../server/src/frontends/kustomize';
import { mapGeneratedRange, type SourceSpan } from '../../server/src/frontends/sourceMap';
import { diskFiles } from './support';

const fixtures = path.join(__dirname, 'fixtures');
const builder = new KustomizeBuilder(diskFiles());

/** The [start, end) of `value` where it follows `key: ` inside the built document of kind/name. */
function locate(build: KustomizeBuild, kind: string, name: string, key: string, value: string, occurrence = 0): { start: number; end: number } {
  assert.ok(build.ok, build.problems.map((problem) => problem.message).join('; '));
  const object = build.objects.find((candidate) => candidate.kind === kind && candidate.name.startsWith(name));
  assert.ok(object, `no ${kind} ${name} in the build`);
  const text = build.source!.text;
  const needle = `${key}: ${value}`;
  let at = text.indexOf(needle, object.range.start);
  for (let i = 0; i < occurrence && at >= 0; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0 && at < object.range.end, `"${needle}" is not in ${kind} ${name}`);
  const start = at + key.length + 2;
  return { start, end: start + value.length };
}

/** The source line a span starts on: file name relative to fixtures, 1-based line, and its text. */
function line(span: SourceSpan): { file: string; line: number; text: string } {
  const text = fs.readFileSync(span.file, 'utf8');
  const before = text.slice(0, span.range.start);
  const number = before.split('\n').length;
  const start = before.lastIndexOf('\n') + 1;
  const end = text.indexOf('\n', span.range.start);
  return { file: path.relative(fixtures, span.file), line: number, text: text.slice(start, end === -1 ? text.length : end).trim() };
}

function mapped(build: KustomizeBuild, range: { start: number; end: number }) {
  const place = mapGeneratedRange(build.source!, range);
  assert.ok(place, 'the range maps nowhere');
  return { primary: line(place.primary), related: place.related.map((related) => ({ role: related.role, ...line(related.span) })) };
}

describe('Kustomize source maps', () => {
  const prod = builder.build(path.join(fixtures, 'webapp/overlays/prod'));
  const dev = builder.build(path.join(fixtures, 'webapp/overlays/dev'));

  it('maps a value a patch file set to the patch line, with the base place as related information', () => {
    const place = mapped(prod, locate(prod, 'Deployment', 'prod-web', 'memory', '512Mi'));
    assert.deepEqual(place.primary, { file: 'webapp/overlays/prod/resources-patch.yaml', line: 14, text: 'memory: 512Mi' });
    assert.equal(place.related.length, 1);
    assert.equal(place.related[0].role, 'used-in');
    assert.equal(place.related[0].file, 'webapp/base/deployment.yaml');
  });

  it('maps a value only the base sets to the base line', () => {
    const place = mapped(prod, locate(prod, 'Deployment', 'prod-web', 'allowPrivilegeEscalation', 'false'));
    assert.deepEqual(place.primary, { file: 'webapp/base/deployment.yaml', line: 39, text: 'allowPrivilegeEscalation: false' });
    assert.deepEqual(place.related, []);
  });

  it('maps an image set by images: to the kustomization line, the image line of the base related', () => {
    const range = locate(dev, 'Deployment', 'dev-web', 'image', 'nginx:1.25-debug');
    const place = mapped(dev, range);
    assert.deepEqual(place.primary, { file: 'webapp/overlays/dev/kustomization.yaml', line: 34, text: 'newTag: 1.25-debug' });
    assert.deepEqual(place.related, [{ role: 'used-in', file: 'webapp/base/deployment.yaml', line: 18, text: 'image: nginx:1.25' }]);
    const digest = mapped(prod, locate(prod, 'Deployment', 'prod-web', 'image', 'registry.example.com/mirror/nginx@sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac'));
    assert.equal(digest.primary.file, 'webapp/overlays/prod/kustomization.yaml');
    assert.match(digest.primary.text, /^digest: sha256:/);
  });

  it('maps a value of an inline patch to its line inside the kustomization', () => {
    const place = mapped(dev, locate(dev, 'Deployment', 'dev-web', 'value', 'debug'));
    assert.deepEqual(place.primary, { file: 'webapp/overlays/dev/kustomization.yaml', line: 25, text: 'value: debug' });
  });

  it('maps a value a JSON 6902 operation added to the operation line', () => {
    const place = mapped(prod, locate(prod, 'Deployment', 'prod-web', 'runAsNonRoot', 'true'));
    assert.deepEqual(place.primary, { file: 'webapp/overlays/prod/kustomization.yaml', line: 24, text: 'value: true' });
    assert.equal(place.related[0].file, 'webapp/base/deployment.yaml');
  });

  it('maps namespace, name prefix and replicas to the kustomization lines that set them', () => {
    const namespace = mapped(prod, locate(prod, 'Service', 'prod-web', 'namespace', 'web-prod'));
    assert.deepEqual(namespace.primary, { file: 'webapp/overlays/prod/kustomization.yaml', line: 3, text: 'namespace: web-prod' });
    const name = mapped(prod, locate(prod, 'Service', 'prod-web', 'name', 'prod-web-v2'));
    assert.equal(name.primary.file, 'webapp/overlays/prod/kustomization.yaml');
    assert.match(name.primary.text, /^name(Prefix|Suffix): /);
    assert.deepEqual(name.related, [{ role: 'used-in', file: 'webapp/base/service.yaml', line: 4, text: 'name: web' }]);
    const replicas = mapped(prod, locate(prod, 'Deployment', 'prod-web', 'replicas', '5'));
    assert.deepEqual(replicas.primary, { file: 'webapp/overlays/prod/kustomization.yaml', line: 29, text: 'count: 5' });
  });

  it('maps a label key and value commonLabels added to the commonLabels line', () => {
    const build = builder.build(path.join(fixtures, 'webapp/base'));
    const value = mapped(build, locate(build, 'Service', 'web', 'app.kubernetes.io/name', 'web', 1));
    assert.deepEqual(value.primary, { file: 'webapp/base/kustomization.yaml', line: 12, text: 'app.kubernetes.io/name: web' });
  });

  it('maps generated ConfigMap data to the literal, env-file line or file it came from', () => {
    const build = builder.build(path.join(fixtures, 'webapp/base'));
    assert.deepEqual(mapped(build, locate(build, 'ConfigMap', 'web-config', 'LOG_LEVEL', 'info')).primary, { file: 'webapp/base/kustomization.yaml', line: 16, text: '- LOG_LEVEL=info' });
    assert.deepEqual(mapped(build, locate(build, 'ConfigMap', 'web-config', 'CACHE_TTL', '"300"')).primary, { file: 'webapp/base/config/app.env', line: 3, text: 'CACHE_TTL=300' });
  });

  it('maps every key and every value of every fixture build somewhere', () => {
    const folders = findKustomizations(diskFiles(), fixtures).filter((folder) => !folder.includes(`${path.sep}errors`));
    let checked = 0;
    for (const folder of folders) {
      const build = builder.build(folder);
      if (!build.ok) continue;
      const segments = build.source!.segments;
      for (const document of parseAllDocuments(build.source!.text)) {
        visit(document, {
          Scalar(_key, node) {
            const [start, end] = node.range!;
            const covered = segments.some((segment) => segment.start <= start && segment.end >= end);
            assert.ok(covered, `${path.relative(fixtures, folder)}: "${build.source!.text.slice(start, end)}" at ${start} has no source`);
            checked++;
          },
        });
      }
    }
    assert.ok(checked > 2000, `only ${checked} scalars checked`);
  });

  it('keeps segments sorted, disjoint and inside their files', () => {
    for (const build of [prod, dev]) {
      const segments = build.source!.segments;
      assert.ok(segments.length > 100);
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i];
        assert.ok(segment.start < segment.end && segment.end <= build.source!.text.length);
        if (i > 0) assert.ok(segments[i - 1].end <= segment.start, 'segments overlap');
        for (const span of [segment.producer, segment.value].filter((span): span is SourceSpan => span !== undefined)) {
          const length = fs.readFileSync(span.file, 'utf8').length;
          assert.ok(span.range.start <= span.range.end && span.range.end <= length, `${span.file} ${span.range.start}-${span.range.end} is outside the file`);
        }
      }
    }
  });
});
