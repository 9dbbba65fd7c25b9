import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { parse } from 'yaml';
import { sourceFilesFromMap, type SourceFiles } from '../../server/src/frontends/files';
import { findKustomizations, KustomizeBuilder, kustomizeFileRoles, type KustomizeBuild } from '../../server/src/frontends/kustomize';
import { formatScalar } from '../../server/src/frontends/kustomize/emit';
import { objectsOf } from './support';

/** A workspace in memory: path → text; edits to `files` are what the host's next read returns. */
function workspace(files: Record<string, string>): { files: Map<string, string>; source: SourceFiles } {
  const map = new Map(Object.entries(files));
  return { files: map, source: sourceFilesFromMap(map) };
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.25
          securityContext:
            privileged: true
`;

function errors(build: KustomizeBuild): Array<{ message: string; file: string; line: number }> {
  return build.problems
    .filter((problem) => problem.severity === 'error')
    .map((problem) => ({ message: problem.message, file: problem.file, line: lineOf(build, problem.file, problem.range.start) }));
}

let texts = new Map<string, string>();
function lineOf(_build: KustomizeBuild, file: string, offset: number): number {
  const text = texts.get(file) ?? '';
  return text.slice(0, offset).split('\n').length;
}

function build(files: Record<string, string>, folder = '/w/overlay'): KustomizeBuild {
  const space = workspace(files);
  texts = space.files;
  return new KustomizeBuilder(space.source).build(folder);
}

describe('Kustomize builder', () => {
  describe('errors are problems at the line that caused them', () => {
    it('a missing resource file points at its entry in resources', () => {
      const result = build({ '/w/overlay/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - missing.yaml\n', '/w/overlay/deployment.yaml': deployment });
      assert.equal(result.ok, false);
      assert.deepEqual(errors(result), [{ message: 'missing.yaml does not exist or cannot be read', file: '/w/overlay/kustomization.yaml', line: 3 }]);
      assert.deepEqual(result.objects, []);
      assert.equal(result.source, undefined);
    });

    it('a strategic merge patch that matches nothing points at the patch, in its file', () => {
      const result = build({
        '/w/overlay/kustomization.yaml': 'resources: [deployment.yaml]\npatches:\n  - path: patch.yaml\n',
        '/w/overlay/deployment.yaml': deployment,
        '/w/overlay/patch.yaml': '# wrong name\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: webb\nspec:\n  replicas: 2\n',
      });
      assert.deepEqual(errors(result), [{ message: 'no object matches the strategic merge patch for apps/v1/Deployment webb', file: '/w/overlay/patch.yaml', line: 2 }]);
    });

    it('a base that fails is reported in the base and on the overlay line naming it', () => {
      const result = build({
        '/w/base/kustomization.yaml': 'resources:\n  - nothere.yaml\n',
        '/w/overlay/kustomization.yaml': 'namePrefix: dev-\nresources:\n  - ../base\n',
      });
      assert.deepEqual(errors(result), [
        { message: '../base does not build: nothere.yaml does not exist or cannot be read', file: '/w/overlay/kustomization.yaml', line: 3 },
        { message: 'nothere.yaml does not exist or cannot be read', file: '/w/base/kustomization.yaml', line: 2 },
      ]);
    });

    it('a cycle of bases is an error, not a hang', () => {
      const result = build({ '/w/a/kustomization.yaml': 'resources: [../b]\n', '/w/b/kustomization.yaml': 'resources: [../a]\n' }, '/w/a');
      assert.equal(result.ok, false);
      assert.ok(errors(result).some((error) => /include each other: \/w\/a → \/w\/b → \/w\/a/.test(error.message)));
    });

    it('a component that lists itself is a cycle', () => {
      const result = build(
        {
          '/w/app/kustomization.yaml': 'resources: [d.yaml]\ncomponents: [../c]\n',
          '/w/app/d.yaml': deployment,
          '/w/c/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncomponents: [../c]\n',
        },
        '/w/app',
      );
      assert.ok(errors(result).some((error) => error.message.includes('include each other')));
    });

    it('bases nested past the depth limit are an error', () => {
      const files: Record<string, string> = { '/w/l0/kustomization.yaml': 'resources: [d.yaml]\n', '/w/l0/d.yaml': deployment };
      for (let i = 1; i <= 40; i++) files[`/w/l${i}/kustomization.yaml`] = `resources: [../l${i - 1}]\n`;
      const result = build(files, '/w/l40');
      assert.ok(errors(result).some((error) => /nested more than 32 deep/.test(error.message)));
    });

    it('an alias bomb is refused by the node budget', () => {
      const bomb = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: bomb}', 'data:', '  a: &a [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i <= 9; i++) bomb.push(`  ${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}]`);
      const before = process.cpuUsage();
      const result = build({ '/w/overlay/kustomization.yaml': 'resources: [bomb.yaml]\n', '/w/overlay/bomb.yaml': `${bomb.join('\n')}\n` });
      const cpu = process.cpuUsage(before);
      assert.ok(cpu.user + cpu.system < 5_000_000, 'the refusal took more than 5 s of CPU');
      assert.ok(errors(result).some((error) => /too many nodes/.test(error.message)), JSON.stringify(result.problems));
    });

    it('invalid kustomization fields point at the field', () => {
      const result = build({ '/w/overlay/kustomization.yaml': 'resources: [d.yaml]\nnamePrefix: dev-\ncommonLabel:\n  a: b\n', '/w/overlay/d.yaml': deployment });
      assert.deepEqual(errors(result), [{ message: 'invalid kustomization: unknown field "commonLabel" in kustomization', file: '/w/overlay/kustomization.yaml', line: 3 }]);
    });

    it('half-typed and binary kustomizations fail with a message, never an exception', () => {
      for (const text of ['resources:\n  - [', 'namePrefix: {', '\u0000\u0001\u0002 binary', 'resources: 5\n', '- just\n- a list\n', '', 'patches:\n  - target: {kind: Deployment}\n']) {
        const result = build({ '/w/overlay/kustomization.yaml': text });
        assert.equal(result.ok, false, JSON.stringify(text));
        assert.ok(errors(result).length === 1 && errors(result)[0].message.length > 10, JSON.stringify(result.problems));
      }
    });
  });

  describe('what the builder does not analyse is said, not hidden', () => {
    it('a remote base is a warning on its line and the local objects still build', () => {
      const result = build({
        '/w/overlay/kustomization.yaml': 'resources:\n  - https://github.com/example/app//config/default?ref=v1.2.0\n  - deployment.yaml\npatches:\n  - path: remote-patch.yaml\n',
        '/w/overlay/deployment.yaml': deployment,
        '/w/overlay/remote-patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: controller-manager\nspec:\n  replicas: 2\n',
      });
      assert.equal(result.ok, true);
      assert.deepEqual(
        result.problems.map((problem) => [problem.severity, problem.code, lineOf(result, problem.file, problem.range.start)]),
        [
          ['warning', 'remote-not-analysed', 2],
          ['warning', 'no-patch-target', 1],
        ],
      );
      assert.match(result.problems[0].message, /is remote and is not fetched or analysed/);
      assert.deepEqual(
        result.objects.map((object) => object.name),
        ['web'],
      );
    });

    it('fields the builder does not apply are warnings on their keys', () => {
      const result = build({ '/w/overlay/kustomization.yaml': 'resources: [d.yaml]\nreplacements:\n  - source: {kind: Deployment, name: web}\n', '/w/overlay/d.yaml': deployment });
      assert.equal(result.ok, true);
      assert.deepEqual(
        result.problems.map((problem) => [problem.code, lineOf(result, problem.file, problem.range.start)]),
        [['not-supported', 2]],
      );
    });

    it('a patch target that matches nothing is a warning (Kustomize applies it to nothing)', () => {
      const result = build({ '/w/overlay/kustomization.yaml': 'resources: [d.yaml]\npatches:\n  - target: {kind: StatefulSet}\n    patch: |-\n      - op: remove\n        path: /spec\n', '/w/overlay/d.yaml': deployment });
      assert.equal(result.ok, true);
      assert.deepEqual(
        result.problems.map((problem) => problem.code),
        ['no-patch-target'],
      );
    });
  });

  describe('file roles', () => {
    const files = {
      '/w/base/kustomization.yaml': 'resources: [deployment.yaml]\nconfigMapGenerator:\n  - name: cfg\n    envs: [app.env]\n',
      '/w/base/deployment.yaml': deployment,
      '/w/base/app.env': 'A=1\n',
      '/w/overlays/prod/kustomization.yaml': 'resources: [../../base]\ncomponents: [../../components/limits]\npatches:\n  - path: memory.yaml\n',
      '/w/overlays/prod/memory.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          resources: {limits: {memory: 1Gi}}\n',
      '/w/components/limits/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: cpu.yaml\n',
      '/w/components/limits/cpu.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          resources: {limits: {cpu: "1"}}\n',
      '/w/plain/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n',
    };

    it('finds the kustomization folders of a tree, and tells components from the roots to build', () => {
      const source = sourceFilesFromMap(new Map(Object.entries(files)));
      const folders = findKustomizations(source, '/w');
      assert.deepEqual(folders, ['/w/base', '/w/components/limits', '/w/overlays/prod']);
      const builder = new KustomizeBuilder(source);
      assert.deepEqual(
        folders.map((folder) => builder.kindOf(folder)),
        ['Kustomization', 'Component', 'Kustomization'],
      );
      assert.equal(builder.kindOf('/w/plain'), undefined);
    });

    it('tells patches, kustomizations and generator inputs from plain resources of a base', () => {
      const space = workspace(files);
      const builder = new KustomizeBuilder(space.source);
      const roles = kustomizeFileRoles(['/w/base', '/w/overlays/prod'].map((folder) => builder.build(folder)));
      assert.deepEqual(Object.fromEntries([...roles].map(([path, entry]) => [path, entry.roles])), {
        '/w/base/kustomization.yaml': ['kustomization'],
        '/w/base/deployment.yaml': ['resource'],
        '/w/base/app.env': ['generator-input'],
        '/w/overlays/prod/kustomization.yaml': ['kustomization'],
        '/w/overlays/prod/memory.yaml': ['patch'],
        '/w/components/limits/kustomization.yaml': ['component'],
        '/w/components/limits/cpu.yaml': ['patch'],
      });
      assert.deepEqual(roles.get('/w/base/deployment.yaml')!.builds, ['/w/base', '/w/overlays/prod']);
      assert.deepEqual(roles.get('/w/overlays/prod/memory.yaml')!.builds, ['/w/overlays/prod']);
    });
  });

  describe('caching and rebuilds', () => {
    it('an unchanged build is returned from the cache; an edit to a patch rebuilds only its overlay', () => {
      const space = workspace({
        '/w/base/kustomization.yaml': 'resources: [deployment.yaml]\n',
        '/w/base/deployment.yaml': deployment,
        '/w/dev/kustomization.yaml': 'resources: [../base]\npatches: [{path: patch.yaml}]\n',
        '/w/dev/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 1}\n',
        '/w/prod/kustomization.yaml': 'resources: [../base]\nnamePrefix: prod-\n',
      });
      const builder = new KustomizeBuilder(space.source);
      const dev = builder.build('/w/dev');
      const prod = builder.build('/w/prod');
      assert.equal(builder.build('/w/dev'), dev);
      assert.deepEqual(builder.dependentsOf('/w/dev/patch.yaml'), ['/w/dev']);
      assert.deepEqual(builder.dependentsOf('/w/base/deployment.yaml'), ['/w/base', '/w/dev', '/w/prod'].filter((folder) => folder !== '/w/base'));

      space.files.set('/w/dev/patch.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n');
      const rebuilt = builder.build('/w/dev');
      assert.notEqual(rebuilt, dev);
      assert.match(rebuilt.source!.text, /replicas: 3/);
      assert.equal(builder.build('/w/prod'), prod, 'prod did not read the patch and is unchanged');

      space.files.set('/w/base/deployment.yaml', deployment.replace('nginx:1.25', 'nginx:1.26'));
      assert.match(builder.build('/w/prod').source!.text, /nginx:1\.26/);
      assert.match(builder.build('/w/dev').source!.text, /nginx:1\.26/);
    });

    it('a file created where a build looked for one rebuilds it', () => {
      const space = workspace({ '/w/app/kustomization.yaml': 'resources: [d.yaml]\n' });
      const builder = new KustomizeBuilder(space.source);
      assert.equal(builder.build('/w/app').ok, false);
      space.files.set('/w/app/d.yaml', deployment);
      assert.equal(builder.build('/w/app').ok, true);
    });

    it('a Component built on its own is still refused where an overlay lists it as a resource', () => {
      const space = workspace({
        '/w/c/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [d.yaml]\n',
        '/w/c/d.yaml': deployment,
        '/w/app/kustomization.yaml': 'resources: [../c]\n',
      });
      const builder = new KustomizeBuilder(space.source);
      assert.equal(builder.build('/w/c').ok, true);
      const app = builder.build('/w/app');
      assert.equal(app.ok, false);
      assert.match(app.problems.at(-1)!.message, /is a Component; list it under components/);
    });

    it('a cached base is not changed by the overlays built on it', () => {
      const space = workspace({
        '/w/base/kustomization.yaml': 'resources: [deployment.yaml]\n',
        '/w/base/deployment.yaml': deployment,
        '/w/a/kustomization.yaml': 'resources: [../base]\nnamePrefix: a-\ncommonLabels: {team: a}\n',
        '/w/b/kustomization.yaml': 'resources: [../base]\n',
      });
      const builder = new KustomizeBuilder(space.source);
      builder.build('/w/a');
      const b = objectsOf(builder.build('/w/b').source!.text) as Array<{ metadata: { name: string; labels?: unknown } }>;
      assert.equal(b[0].metadata.name, 'web');
      assert.equal(b[0].metadata.labels, undefined);
    });
  });

  describe('the built YAML', () => {
    it('quotes every string that YAML 1.1 or 1.2 would read as something else, and only those need it', () => {
      const readsBack = (text: string) => {
        const written = formatScalar(text);
        for (const version of ['1.1', '1.2'] as const) assert.equal(parse(`k: ${written}`, { version }).k, text, `${JSON.stringify(text)} written as ${written} (YAML ${version})`);
      };
      fc.assert(fc.property(fc.string({ maxLength: 30 }), readsBack), { numRuns: 1500 });
      fc.assert(fc.property(fc.string({ maxLength: 12, unit: 'binary' }), readsBack), { numRuns: 500 });
      for (const text of ['512Mi', 'nginx:1.25-debug', 'registry.example.com/app@sha256:abc', 'search,checkout']) assert.equal(formatScalar(text), text);
    });

    it('is Kustomize output: numbers and dates read as yaml.v3 reads them, and a generated name carries the content hash', () => {
      const result = build({
        '/w/overlay/kustomization.yaml': 'resources: [cm.yaml]\nconfigMapGenerator:\n  - name: settings\n    literals: [MODE=debug]\n',
        '/w/overlay/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: values}\ndata:\n  mode: 0755\n  hex: 0x1F\n  day: 2024-05-01\n  flag: yes\n',
      });
      const objects = objectsOf(result.source!.text) as Array<{ metadata: { name: string }; data: Record<string, unknown> }>;
      assert.deepEqual(objects[1].data, { mode: 493, hex: 31, day: '2024-05-01T00:00:00Z', flag: 'yes' });
      // Kustomize 5.5 names the ConfigMap {MODE: debug} settings-<hash> with this hash (kubectl 1.32).
      assert.equal(objects[0].metadata.name, 'settings-6km8h95bh5');
    });
  });
});
