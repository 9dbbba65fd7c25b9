import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyOverlay, CONFIG_LIMITS, parseProjectConfig, readEditorSettings, type ConfigResult } from '../../server/src/core/configuration';
import { defaultOptions } from '../../server/src/core/options';
import { CONFIG_CONTEXT } from '../../server/src/rules';

const messages = (result: ConfigResult) => (result.ok ? [] : result.problems.map((problem) => problem.message));

/** A value under `key` as `.sbd.yaml` text (JSON is YAML). */
const yaml = (key: string, value: unknown) => `${key}: ${JSON.stringify(value)}\n`;

describe('configuration: one description for .sbd.yaml and the editor settings', () => {
  const cases: Array<[string, unknown]> = [
    ['maxFileBytes', 12],
    ['maxFileBytes', 1024],
    ['maxFileBytes', 5 * 1024 * 1024],
    ['maxFileBytes', 200 * 1024 * 1024],
    ['maxFileBytes', 1.5],
    ['maxFileBytes', 'big'],
    ['thresholds', { secretHolders: 0 }],
    ['thresholds', { secretHolders: 5 }],
    ['thresholds', { secretHolders: 1001 }],
    ['thresholds', { colour: 3 }],
    ['rules', { IMM001: 'sometimes' }],
    ['rules', { imm001: 'off', TCB001: 'error' }],
    ['rules', { NOPE42: 'off' }],
    ['zones', { namespaces: { prod: 'very-trusted' } }],
    ['zones', { networks: { edge: 'semi-trusted' } }],
    ['zones', { regions: {} }],
    ['ignore', ['vendor/**']],
    ['ignore', ['']],
    ['ignore', ['*'.repeat(3) + '/?'.repeat(20)]],
    ['ignore', 'vendor/**'],
  ];
  for (const [key, value] of cases) {
    it(`${key}: ${JSON.stringify(value)} is judged alike in both, with the same message`, () => {
      const project = parseProjectConfig(yaml(key, value), CONFIG_CONTEXT);
      const editor = readEditorSettings({ [key]: value }, CONFIG_CONTEXT);
      assert.equal(project.ok, editor.ok, `${JSON.stringify(messages(project))} vs ${JSON.stringify(messages(editor))}`);
      assert.deepEqual(messages(editor), messages(project).map((message) => (message.startsWith(key) ? `secureByDesign.${message}` : message)));
      if (project.ok && editor.ok) assert.deepEqual(project.overlay, editor.overlay);
    });
  }

  it('keys of one host are refused in the other: the project has no debounce, the editor no architecture path', () => {
    assert.deepEqual(messages(parseProjectConfig('debounceMs: 10\n', CONFIG_CONTEXT)), ['unknown setting "debounceMs"; expected one of rules, thresholds, zones, ignore, architecture, maxFileBytes, profile, helm']);
    // The editor sends the whole section, including the client's own keys: those are not the server's to judge.
    assert.deepEqual(readEditorSettings({ architecture: ['x.yaml'], trace: { server: 'off' } }, CONFIG_CONTEXT), { ok: true, overlay: {} });
  });

  it('helm: values files (one path or a list) and a Kubernetes version, which must be quoted', () => {
    const result = parseProjectConfig('helm:\n  valuesFiles: deploy/prod.yaml\n  kubeVersion: "1.30"\n', CONFIG_CONTEXT);
    assert.ok(result.ok);
    assert.deepEqual(result.overlay.helm, { valuesFiles: ['deploy/prod.yaml'], kubeVersion: 'v1.30' });
    assert.deepEqual(messages(parseProjectConfig('helm:\n  kubeVersion: 1.30\n  values: x.yaml\n', CONFIG_CONTEXT)), [
      'helm.kubeVersion must be a Kubernetes version such as "1.30" or "v1.30.2" (quote it: an unquoted 1.30 is a number), got 1.3',
      'helm: unknown entry "values"; expected valuesFiles or kubeVersion',
    ]);
  });

  it('parses to an overlay of what the file sets, which applies on top of any base', () => {
    const result = parseProjectConfig('rules:\n  IMM002: off\nthresholds:\n  secretHolders: 2\nzones:\n  networks: {data: highly-trusted}\n', CONFIG_CONTEXT);
    assert.ok(result.ok);
    assert.deepEqual(result.overlay, { rules: { IMM002: { enabled: false } }, thresholds: { secretHolders: 2 }, namespaceZones: {}, networkZones: { data: 'highly-trusted' } });
    const base = defaultOptions({ rules: { BND001: { enabled: true, severity: 'error' } }, networkZones: { edge: 'untrusted' }, maxFileBytes: 4096 });
    const options = applyOverlay(base, result.overlay);
    assert.deepEqual(options.rules, { BND001: { enabled: true, severity: 'error' }, IMM002: { enabled: false } });
    assert.deepEqual(options.networkZones, { edge: 'untrusted', data: 'highly-trusted' });
    assert.equal(options.maxFileBytes, 4096, 'a key the file does not set keeps the base value');
  });

  it('a key set twice is a problem at the second key, not a silent override', () => {
    const text = 'rules:\n  IMM001: off\n  IMM001: error\nmaxFileBytes: 2048\nmaxFileBytes: 4096\n';
    const result = parseProjectConfig(text, CONFIG_CONTEXT);
    assert.equal(result.ok, false);
    const places = result.ok ? [] : result.problems.map((problem) => text.slice(problem.range!.start, problem.range!.end));
    assert.deepEqual(places, ['IMM001', 'maxFileBytes']);
  });
});

describe('configuration: what a hostile repository can make it cost', () => {
  function timed<T>(work: () => T): { result: T; ms: number } {
    const started = process.hrtime.bigint();
    const result = work();
    return { result, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  }

  it('a configuration over the size limit is refused before it is parsed', () => {
    const text = `ignore:\n${'  - "vendor/**"\n'.repeat(6000)}`;
    assert.ok(text.length > CONFIG_LIMITS.textBytes);
    const { result, ms } = timed(() => parseProjectConfig(text, CONFIG_CONTEXT));
    assert.deepEqual(messages(result), [`the configuration is ${Math.ceil(text.length / 1024)} KB, over the 64 KB a configuration may have`]);
    assert.ok(ms < 50, `${ms} ms`);
  });

  it('deep flow nesting is refused before the parser recurses into it', () => {
    const text = `rules: ${'['.repeat(5000)}`;
    const { result, ms } = timed(() => parseProjectConfig(text, CONFIG_CONTEXT));
    assert.deepEqual(messages(result), [`the configuration is nested more than ${CONFIG_LIMITS.flowDepth} levels deep`]);
    assert.ok(ms < 50, `${ms} ms`);
    assert.equal(parseProjectConfig('zones: {namespaces: {"a[": trusted}}  # [[[[[[[[[[[[[[[[[[[\n', CONFIG_CONTEXT).ok, true, 'brackets in strings and comments do not count');
  });

  it('too many zones, globs with too many wildcards, and floods of problems are bounded', () => {
    const zones = Object.fromEntries(Array.from({ length: CONFIG_LIMITS.entries + 1 }, (_, i) => [`n${i}`, 'trusted']));
    assert.deepEqual(messages(readEditorSettings({ zones: { namespaces: zones } }, CONFIG_CONTEXT)), [`secureByDesign.zones.namespaces has more than ${CONFIG_LIMITS.entries} entries`]);
    assert.equal(readEditorSettings({ ignore: ['**/'.repeat(17)] }, CONFIG_CONTEXT).ok, false);
    const unknown = `rules:\n${Array.from({ length: CONFIG_LIMITS.entries }, (_, i) => `  NOPE${i}: off\n`).join('')}`;
    const { result, ms } = timed(() => parseProjectConfig(unknown, CONFIG_CONTEXT));
    assert.equal(messages(result).length, CONFIG_LIMITS.problems + 1);
    assert.match(messages(result).at(-1)!, /more problems are not listed/);
    assert.ok(ms < 1000, `${ms} ms`);
  });

  it('thousands of repeated keys are found in linear time', () => {
    const text = 'zones:\n  namespaces:\n' + '    a: trusted\n'.repeat(4000);
    const { result, ms } = timed(() => parseProjectConfig(text, CONFIG_CONTEXT));
    assert.equal(result.ok, false);
    assert.ok(ms < 1000, `${ms} ms`);
  });
});

describe('configuration examples in the docs', () => {
  it('the README\'s .sbd.yaml example is valid configuration', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration: `.sbd.yaml`'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)![1];
    const result = parseProjectConfig(example, CONFIG_CONTEXT);
    assert.ok(result.ok, messages(result).join('; '));
  });
});
