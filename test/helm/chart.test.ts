import * as assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { sourceFilesFromMap } from '../../server/src/frontends/files';
import { mapGeneratedRange } from '../../server/src/frontends/sourceMap';
import { findChartRoot, HelmChart, splitDocuments, type ChartRender, type HelmRenderOptions, type RenderedTemplate } from '../../server/src/frontends/helm/chart';

// A small chart written from the Helm documentation (charts, values files, subcharts and globals, dependencies).
function demoFiles(): Map<string, string> {
  return new Map(
    Object.entries({
      '/c/Chart.yaml': [
        'apiVersion: v2',
        'name: demo',
        'version: 0.1.0',
        'appVersion: "1.0"',
        'dependencies:',
        '- name: sub',
        '  condition: sub.enabled',
        '- name: lib',
        '- name: tagged',
        '  tags: [extras]',
        '',
      ].join('\n'),
      '/c/values.yaml': [
        'replicaCount: 1',
        'hostNetwork: true',
        'securityContext:',
        '  privileged: true',
        '  runAsUser: 0',
        'image:',
        '  repository: nginx',
        '  tag: ""',
        'podAnnotations: {}',
        'global:',
        '  region: eu',
        'sub:',
        '  enabled: true',
        '  greeting: hi',
        '',
      ].join('\n'),
      '/c/templates/_helpers.tpl': [
        '{{- define "demo.fullname" -}}',
        '{{ .Release.Name }}-{{ .Chart.Name }}',
        '{{- end }}',
        '{{- define "demo.unused" -}}unused{{- end }}',
        '',
      ].join('\n'),
      '/c/templates/deployment.yaml': [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: {{ include "demo.fullname" . }}',
        '  labels:',
        '    {{- include "lib.labels" . | nindent 4 }}',
        'spec:',
        '  replicas: {{ .Values.replicaCount }}',
        '  template:',
        '    spec:',
        '      hostNetwork: {{ .Values.hostNetwork }}',
        '      containers:',
        '        - name: app',
        '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"',
        '          securityContext:',
        '            {{- toYaml .Values.securityContext | nindent 12 }}',
        '',
      ].join('\n'),
      '/c/templates/service.yaml': ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: {{ include "demo.fullname" . }}', ''].join('\n'),
      '/c/templates/NOTES.txt': 'Thanks for installing {{ .Chart.Name }}',
      '/c/templates/info.yaml': [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: info',
        'data:',
        '  release: {{ .Release.Name }}/{{ .Release.Namespace }}/{{ .Release.Service }}/{{ .Release.Revision }}/{{ .Release.IsInstall }}',
        '  chart: {{ .Chart.Name }}-{{ .Chart.Version }}',
        '  kube: {{ .Capabilities.KubeVersion.Version }} {{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}',
        '  template: {{ .Template.Name }} {{ .Template.BasePath }}',
        '  file: {{ .Files.Get "files/app.conf" | trim }}',
        '  globbed: {{ .Files.Glob "files/*.conf" | len }}',
        '  sub: {{ .Subcharts.sub.Values.greeting }}',
        '---',
        '# only a comment',
        '---',
        '{{ (.Files.Glob "files/*.conf").AsConfig }}',
        '',
      ].join('\n'),
      '/c/files/app.conf': 'listen 80\n',
      '/c/charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 1.0.0\n',
      '/c/charts/sub/values.yaml': 'greeting: hello\nglobal:\n  region: us\n  zone: a\n',
      '/c/charts/sub/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub\ndata:\n  greeting: {{ .Values.greeting }}\n  region: {{ .Values.global.region }}\n  zone: {{ .Values.global.zone }}\n',
      '/c/charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\ntype: library\nversion: 1.0.0\n',
      '/c/charts/lib/templates/_lib.tpl': '{{- define "lib.labels" -}}\napp.kubernetes.io/name: {{ .Chart.Name }}\n{{- end }}\n',
      '/c/charts/lib/templates/never.yaml': 'kind: ShouldNotRender\n',
      '/c/charts/tagged/Chart.yaml': 'apiVersion: v2\nname: tagged\nversion: 1.0.0\n',
      '/c/charts/tagged/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tagged\n',
      '/c/charts/vendored-1.0.0.tgz': 'binary',
    }),
  );
}

function renderDemo(extra: Record<string, string> = {}, options: HelmRenderOptions = {}): { result: ChartRender; files: Map<string, string>; chart: HelmChart } {
  const files = demoFiles();
  for (const [path, text] of Object.entries(extra)) files.set(path, text);
  const chart = new HelmChart(sourceFilesFromMap(files), '/c', options);
  return { result: chart.render(), files, chart };
}

function template(result: ChartRender, name: string): RenderedTemplate {
  const found = result.templates.find((t) => t.name === name);
  assert.ok(found, `no rendered template ${name}; have ${result.templates.map((t) => t.name).join(', ')}`);
  return found;
}

/** Maps the first occurrence of `needle` in a template's output; returns the source text at the primary place. */
function origin(files: Map<string, string>, t: RenderedTemplate, needle: string, occurrence = 0) {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = t.text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `"${needle}" not in ${t.name}:\n${t.text}`);
  const place = mapGeneratedRange(t, { start: at, end: at + needle.length });
  assert.ok(place, `no mapping for "${needle}"`);
  const text = files.get(place.primary.file)!;
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  return {
    file: place.primary.file,
    text: text.slice(place.primary.range.start, place.primary.range.end),
    line: lineOf(place.primary.range.start),
    related: place.related,
  };
}

describe('Helm chart rendering', () => {
  it('recognises a chart by Chart.yaml and finds the outermost chart of a subchart file', () => {
    const files = sourceFilesFromMap(demoFiles());
    assert.equal(findChartRoot(files, '/c/templates/deployment.yaml'), '/c');
    assert.equal(findChartRoot(files, '/c/charts/sub/templates/cm.yaml'), '/c');
    assert.equal(findChartRoot(files, '/elsewhere/x.yaml'), undefined);
  });

  it('renders every template but partials, NOTES.txt and library templates, and splits documents', () => {
    const { result } = renderDemo();
    assert.deepEqual(
      result.templates.map((t) => t.name),
      ['demo/charts/sub/templates/cm.yaml', 'demo/charts/tagged/templates/cm.yaml', 'demo/templates/deployment.yaml', 'demo/templates/info.yaml', 'demo/templates/service.yaml'],
    );
    assert.deepEqual(result.problems.filter((p) => p.severity === 'error'), []);
    for (const t of result.templates) {
      for (const d of t.documents) assert.deepEqual(parseAllDocuments(t.text.slice(d.start, d.end)).flatMap((doc) => doc.errors), []);
    }
    assert.equal(template(result, 'demo/templates/info.yaml').documents.length, 2, 'the comment-only document is left out');
  });

  it('fills .Release, .Chart, .Capabilities, .Template, .Files and .Subcharts', () => {
    const { result } = renderDemo({}, { release: { name: 'rel', namespace: 'prod' }, kubeVersion: 'v1.29.3' });
    const text = template(result, 'demo/templates/info.yaml').text;
    assert.match(text, /release: rel\/prod\/Helm\/1\/true/);
    assert.match(text, /chart: demo-0\.1\.0/);
    assert.match(text, /kube: v1\.29\.3 true false/);
    assert.match(text, /template: demo\/templates\/info\.yaml demo\/templates/);
    assert.match(text, /file: listen 80/);
    assert.match(text, /globbed: 1/);
    assert.match(text, /sub: hi/);
    assert.match(text, /app\.conf: \|\n  listen 80/);
  });

  it('merges subchart values: parent overrides, globals flow down with the parent winning', () => {
    const { result } = renderDemo();
    const text = template(result, 'demo/charts/sub/templates/cm.yaml').text;
    assert.match(text, /greeting: hi/);
    assert.match(text, /region: eu/);
    assert.match(text, /zone: a/);
  });

  it('merges extra values files in order over values.yaml; null removes a default', () => {
    const { result, files } = renderDemo(
      { '/v/a.yaml': 'hostNetwork: false\nimage:\n  tag: "2.0"\n', '/v/b.yaml': 'image:\n  tag: "3.0"\nsecurityContext:\n  runAsUser: null\n' },
      { valuesFiles: ['/v/a.yaml', '/v/b.yaml'] },
    );
    const t = template(result, 'demo/templates/deployment.yaml');
    assert.match(t.text, /hostNetwork: false/);
    assert.match(t.text, /image: "nginx:3\.0"/);
    assert.doesNotMatch(t.text, /runAsUser/);
    const o = origin(files, t, 'false');
    assert.deepEqual([o.file, o.text, o.line], ['/v/a.yaml', 'false', 1]);
  });

  it('disables subcharts by condition and by tags', () => {
    const { result } = renderDemo({ '/v/off.yaml': 'sub:\n  enabled: false\ntags:\n  extras: false\n' }, { valuesFiles: ['/v/off.yaml'] });
    const names = result.templates.map((t) => t.name);
    assert.ok(!names.includes('demo/charts/sub/templates/cm.yaml'));
    assert.ok(!names.includes('demo/charts/tagged/templates/cm.yaml'));
  });

  it('reports a subchart archive as not analysed', () => {
    const { result } = renderDemo();
    assert.ok(result.problems.some((p) => p.severity === 'info' && /vendored-1\.0\.0\.tgz is not analysed/.test(p.message)));
  });

  it('imports a subchart value with import-values', () => {
    const { result } = renderDemo({
      '/c/Chart.yaml': demoFiles().get('/c/Chart.yaml')!.replace('- name: lib\n', '- name: lib\n- name: exp\n  import-values:\n  - child: shared\n    parent: fromChild\n'),
      '/c/charts/exp/Chart.yaml': 'apiVersion: v2\nname: exp\nversion: 1.0.0\n',
      '/c/charts/exp/values.yaml': 'shared:\n  color: blue\n',
      '/c/templates/imported.yaml': 'kind: ConfigMap\ndata:\n  color: {{ .Values.fromChild.color }}\n',
    });
    assert.match(template(result, 'demo/templates/imported.yaml').text, /color: blue/);
  });

  describe('source maps', () => {
    it('maps text that came from a value to the values line that set it, with the template place as related', () => {
      const { result, files } = renderDemo();
      const t = template(result, 'demo/templates/deployment.yaml');
      const o = origin(files, t, 'hostNetwork: true'.slice('hostNetwork: '.length), 0);
      assert.deepEqual([o.file, o.text, o.line], ['/c/values.yaml', 'true', 2]);
      assert.equal(o.related[0].role, 'used-in');
      assert.equal(files.get(o.related[0].span.file)!.slice(o.related[0].span.range.start, o.related[0].span.range.end), '{{ .Values.hostNetwork }}');
    });
    it('maps each toYaml line to its own values line, through nindent', () => {
      const { result, files } = renderDemo();
      const t = template(result, 'demo/templates/deployment.yaml');
      const privileged = origin(files, t, 'privileged: true');
      assert.deepEqual([privileged.file, privileged.text, privileged.line], ['/c/values.yaml', 'true', 4]);
      const runAsUser = origin(files, t, 'runAsUser: 0');
      assert.deepEqual([runAsUser.text, runAsUser.line], ['0', 5]);
    });
    it('maps literal template text to its template line', () => {
      const { result, files } = renderDemo();
      const t = template(result, 'demo/templates/deployment.yaml');
      const o = origin(files, t, 'kind: Deployment');
      assert.deepEqual([o.file, o.line], ['/c/templates/deployment.yaml', 2]);
      assert.equal(o.text, 'kind: Deployment\n');
    });
    it('maps text from an included named template to the partial, and values passed through default to their line', () => {
      const { result, files } = renderDemo();
      const t = template(result, 'demo/templates/deployment.yaml');
      const label = origin(files, t, 'app.kubernetes.io/name');
      assert.deepEqual([label.file, label.line], ['/c/charts/lib/templates/_lib.tpl', 2]);
      const repo = origin(files, t, 'nginx');
      assert.deepEqual([repo.file, repo.text, repo.line], ['/c/values.yaml', 'nginx', 7]);
    });
    it('gives a computed string a value origin only when one value made it', () => {
      const { result, files } = renderDemo({
        '/c/templates/names.yaml': 'kind: ConfigMap\ndata:\n  one: {{ printf "%s-x" .Values.image.repository }}\n  two: {{ printf "%s-%s" (include "demo.fullname" .) .Values.image.repository }}\n',
      });
      const t = template(result, 'demo/templates/names.yaml');
      assert.equal(origin(files, t, 'nginx-x').file, '/c/values.yaml');
      assert.equal(origin(files, t, 'release-name-demo-nginx').file, '/c/templates/names.yaml');
    });
    it('maps values rendered through tpl to the values line of the text', () => {
      const { result, files } = renderDemo({
        '/c/values.yaml': demoFiles().get('/c/values.yaml') + 'extraLabel: "{{ .Release.Name }}-extra"\n',
        '/c/templates/tpl.yaml': 'kind: ConfigMap\ndata:\n  label: {{ tpl .Values.extraLabel . }}\n',
      });
      const o = origin(files, template(result, 'demo/templates/tpl.yaml'), '-extra');
      assert.deepEqual([o.file, o.line], ['/c/values.yaml', 15]);
    });
  });

  describe('failures and bounds', () => {
    it('a failing template gives one problem where it failed; the others still render', () => {
      const { result, files } = renderDemo({ '/c/templates/broken.yaml': 'kind: ConfigMap\ndata:\n  x: {{ required "x.value is required" .Values.x }}\n' });
      const errors = result.problems.filter((p) => p.severity === 'error');
      assert.equal(errors.length, 1);
      assert.equal(errors[0].file, '/c/templates/broken.yaml');
      assert.match(errors[0].message, /x\.value is required/);
      assert.equal(files.get(errors[0].file)!.slice(errors[0].range.start, errors[0].range.end), 'required "x.value is required" .Values.x');
      assert.ok(result.templates.some((t) => t.name === 'demo/templates/deployment.yaml'));
    });
    it('a failure inside a partial is reported once at the partial, with the calling templates as related', () => {
      const { result } = renderDemo({ '/c/templates/_helpers.tpl': '{{- define "demo.fullname" -}}{{ fail "no name" }}{{- end }}' });
      const errors = result.problems.filter((p) => p.severity === 'error');
      assert.equal(errors.length, 1);
      assert.equal(errors[0].file, '/c/templates/_helpers.tpl');
      assert.ok((errors[0].related ?? []).length >= 1);
    });
    it('a half-typed {{ gives one parse error and does not stop the other templates', () => {
      const { result } = renderDemo({ '/c/templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "demo.fullname" .\n' });
      const errors = result.problems.filter((p) => p.severity === 'error');
      assert.equal(errors.length, 1);
      assert.match(errors[0].message, /template parse error: unclosed action/);
      assert.ok(result.templates.some((t) => t.name === 'demo/templates/deployment.yaml'));
    });
    it('a half-typed partial gives its parse error only, not one error per template that uses it', () => {
      const { result } = renderDemo({ '/c/templates/_helpers.tpl': '{{- define "demo.fullname" -}}{{ .Release.Name' });
      const errors = result.problems.filter((p) => p.severity === 'error');
      assert.equal(errors.length, 1);
      assert.equal(errors[0].file, '/c/templates/_helpers.tpl');
    });
    it('stops a template that includes itself at the nesting limit', () => {
      const { result } = renderDemo({ '/c/templates/loop.yaml': '{{- define "loop" }}{{ include "loop" . }}{{ end }}{{ include "loop" . }}' });
      const error = result.problems.find((p) => p.template === '/c/templates/loop.yaml');
      assert.ok(error);
      assert.match(error.message, /rendering stopped: template nesting deeper than 100/);
    });
    it('stops a huge loop at the step budget, quickly', () => {
      const started = performance.now();
      const { result } = renderDemo({ '/c/templates/huge.yaml': '{{- range until 100000 }}{{ range until 100000 }}x{{ end }}{{ end }}' }, { limits: { maxSteps: 200_000 } });
      assert.ok(performance.now() - started < 5000);
      assert.match(result.problems.find((p) => p.template === '/c/templates/huge.yaml')!.message, /more than 200000 steps/);
    });
    it('stops output that grows past the size limit', () => {
      const { result } = renderDemo({ '/c/templates/big.yaml': '{{- range until 1000 }}{{ repeat 10000 "x" }}{{ end }}' }, { limits: { maxOutput: 1_000_000 } });
      assert.match(result.problems.find((p) => p.template === '/c/templates/big.yaml')!.message, /output larger than 1000000 characters/);
    });
    it('stops an alias bomb in a values file with an error, not a hang', () => {
      const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]', 'g: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]'].join('\n');
      const started = performance.now();
      const { result } = renderDemo({ '/v/bomb.yaml': bomb }, { valuesFiles: ['/v/bomb.yaml'] });
      assert.ok(performance.now() - started < 10000);
      assert.ok(result.problems.some((p) => p.file === '/v/bomb.yaml' && /alias bomb/.test(p.message)));
    });
  });

  describe('incremental re-rendering', () => {
    it('re-renders only the edited template, and what uses an edited named template', () => {
      const { files, chart } = renderDemo();
      files.set('/c/templates/service.yaml', files.get('/c/templates/service.yaml')!.replace('kind: Service', 'kind: Service\n# edited'));
      chart.invalidate('/c/templates/service.yaml');
      let result = chart.render();
      assert.equal(result.rendered, 1);
      assert.match(template(result, 'demo/templates/service.yaml').text, /# edited/);
      // An edit to a named template re-renders the templates that include it (deployment and service), not the others.
      files.set('/c/templates/_helpers.tpl', files.get('/c/templates/_helpers.tpl')!.replace('{{ .Release.Name }}-', '{{ .Release.Name }}-x-'));
      chart.invalidate('/c/templates/_helpers.tpl');
      result = chart.render();
      assert.equal(result.rendered, 2);
      assert.match(template(result, 'demo/templates/service.yaml').text, /release-name-x-demo/);
      // A values edit re-renders only the templates that read the changed value.
      files.set('/c/values.yaml', files.get('/c/values.yaml')!.replace('hostNetwork: true', 'hostNetwork: false'));
      chart.invalidate('/c/values.yaml');
      result = chart.render();
      assert.equal(result.rendered, 1);
      assert.match(template(result, 'demo/templates/deployment.yaml').text, /hostNetwork: false/);
    });
    it('after a values edit that only moves lines, nothing re-renders and value origins follow their lines', () => {
      const { files, chart } = renderDemo();
      files.set('/c/values.yaml', '# a comment added on top\n' + files.get('/c/values.yaml'));
      chart.invalidate('/c/values.yaml');
      const result = chart.render();
      assert.equal(result.rendered, 0);
      const o = origin(files, template(result, 'demo/templates/deployment.yaml'), 'privileged: true');
      assert.deepEqual([o.file, o.text, o.line], ['/c/values.yaml', 'true', 5]);
    });
    it('a values edit that changes a global re-renders the subchart that reads it', () => {
      const { files, chart } = renderDemo();
      files.set('/c/values.yaml', files.get('/c/values.yaml')!.replace('region: eu', 'region: ap'));
      chart.invalidate('/c/values.yaml');
      const result = chart.render();
      assert.equal(result.rendered, 1);
      assert.match(template(result, 'demo/charts/sub/templates/cm.yaml').text, /region: ap/);
    });
    it('a file reported with the text it had re-renders nothing (a workspace index reads every file once more)', () => {
      const { chart } = renderDemo();
      for (const path of ['/c/values.yaml', '/c/Chart.yaml', '/c/templates/_helpers.tpl', '/c/templates/deployment.yaml', '/c/charts/sub/values.yaml']) chart.invalidate(path);
      assert.equal(chart.render().rendered, 0);
    });
    it('a file the chart never looked at re-renders nothing; a new template, or a new file .Files can see, does', () => {
      const files = new Map([
        ['/m/Chart.yaml', 'apiVersion: v2\nname: mini\nversion: 0.1.0\n'],
        ['/m/templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mini\n'],
      ]);
      const chart = new HelmChart(sourceFilesFromMap(files), '/m');
      assert.equal(chart.render().rendered, 1);
      files.set('/m/ci/test-values.yaml', 'replicas: 2\n');
      chart.invalidate('/m/ci/test-values.yaml');
      files.set('/m/README.md', '# mini\n');
      chart.invalidate('/m/README.md');
      assert.equal(chart.render().rendered, 0);
      files.set('/m/templates/sub/secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: mini\n');
      chart.invalidate('/m/templates/sub/secret.yaml');
      const result = chart.render();
      assert.ok(result.rendered >= 1);
      assert.deepEqual(result.templates.map((t) => t.name), ['mini/templates/cm.yaml', 'mini/templates/sub/secret.yaml']);
      // The demo chart globs files/*.conf: a new one there is seen.
      const demo = renderDemo();
      demo.files.set('/c/files/extra.conf', 'listen 81\n');
      demo.chart.invalidate('/c/files/extra.conf');
      assert.match(template(demo.chart.render(), 'demo/templates/info.yaml').text, /globbed: 2/);
    });
    it('gives the same output after an edit as a fresh render', () => {
      const { files, chart } = renderDemo();
      files.set('/c/templates/deployment.yaml', files.get('/c/templates/deployment.yaml')!.replace('replicas:', 'replicas:  '));
      chart.invalidate('/c/templates/deployment.yaml');
      const incremental = chart.render();
      const fresh = new HelmChart(sourceFilesFromMap(files), '/c').render();
      assert.deepEqual(JSON.parse(JSON.stringify(incremental.templates)), JSON.parse(JSON.stringify(fresh.templates)));
    });
    it('a template that used set does not change the values other templates see', () => {
      const { result } = renderDemo({
        '/c/templates/a-mutate.yaml': '{{- $_ := set .Values "hostNetwork" "mutated" }}',
        '/c/templates/z-read.yaml': 'kind: ConfigMap\ndata:\n  v: {{ .Values.hostNetwork | quote }}\n',
      });
      assert.match(template(result, 'demo/templates/z-read.yaml').text, /v: "true"/);
    });
  });

  it('splits documents at --- lines and leaves out empty ones', () => {
    const text = 'a: 1\n---\n# c\n---\nb: 2\n--- \n';
    assert.deepEqual(splitDocuments(text).map((d) => text.slice(d.start, d.end)), ['a: 1\n', 'b: 2\n']);
  });
});
