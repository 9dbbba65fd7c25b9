import { strict as assert } from 'node:assert';
import { analyzeText } from '../../server/src/analysis/engine';
import { CONFIG_LIMITS, parseProjectConfig } from '../../server/src/core/configuration';
import { ignoreMatcher } from '../../server/src/core/ignore';
import { defaultOptions } from '../../server/src/core/options';
import { findSuppressions } from '../../server/src/core/suppressions';
import type { Finding } from '../../server/src/core/types';
import { CONFIG_CONTEXT } from '../../server/src/rules';
import { untrustedOverlay, weakeningOf, describeWeakening } from '../../server/src/rules/weakening';
import { keyDocumentation } from '../../server/src/views/keyDocumentation';
import { bestSeconds, bounded, MB } from './support/bounds';

const options = defaultOptions({ today: '2026-06-01' });
const ids = (findings: readonly Finding[]) => [...new Set(findings.map((f) => f.ruleId))].sort();
const privileged = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';

describe('hostile repositories: silencing (core)', () => {
  const smuggled: Array<[string, string]> = [
    ['a block scalar', `${privileged}    command: |\n      # sbd-ignore-file TCB001 reason="hidden"\n      run\n`],
    ['a folded block scalar', `${privileged}    entrypoint: >-\n      # sbd-ignore TCB001 reason="hidden"\n`],
    ['a double-quoted string', `${privileged}    labels: {note: "x # sbd-ignore-file TCB001 reason=hidden"}\n`],
    ['a single-quoted multi-line string', `${privileged}    labels:\n      note: 'first\n        # sbd-ignore-file TCB001 reason=hidden'\n`],
  ];
  for (const [where, text] of smuggled) {
    it(`a suppression inside ${where} is data, not a comment: the finding stays`, () => {
      assert.ok(ids(analyzeText(text, options)).includes('TCB001'));
      assert.deepEqual(findSuppressions(text), []);
    });
  }

  it('a suppression inside a Threagile description block is data', () => {
    const threagile = 'threagile_version: 1.0.0\ntitle: Shop\ndescription: |\n  # sbd-ignore-file TM001 reason="hidden"\n  text\n';
    assert.deepEqual(findSuppressions(threagile), []);
  });

  it('real comments still suppress, one or several per comment', () => {
    const text = 'services:\n  web:\n    image: nginx:1.27\n    # sbd-ignore TCB001 reason="lab machine" until=2027-01-31\n    privileged: true\n';
    assert.ok(!ids(analyzeText(text, options)).includes('TCB001'));
    const two = findSuppressions('a: 1 # sbd-ignore TCB001 reason="x" # sbd-ignore IMM001 reason=\'y # sbd-ignore-file ZT001\'\n');
    assert.deepEqual(two.map((s) => [s.scope, s.ruleIds.join(), s.reason, s.problem]), [
      ['line', 'TCB001', 'x', undefined],
      ['line', 'IMM001', 'y # sbd-ignore-file ZT001', undefined],
    ]);
  });

  const malformed: Array<[string, RegExp]> = [
    ['until=2026-02-30', /not a real YYYY-MM-DD date/],
    ['until=2026-13-01', /not a real YYYY-MM-DD date/],
    ['until=someday', /not a real YYYY-MM-DD date/],
    ['scope=all', /unknown attribute "scope"/],
    ['reason="again"', /reason= is given twice/],
    ['because I say so', /unexpected text/],
  ];
  for (const [extra, message] of malformed) {
    it(`a suppression with ${extra} is reported (SBD010) and suppresses nothing`, () => {
      const text = `services:\n  web:\n    image: nginx:1.27\n    privileged: true # sbd-ignore TCB001 reason="ok" ${extra}\n`;
      const findings = analyzeText(text, options);
      assert.ok(ids(findings).includes('TCB001'), 'the finding was suppressed');
      const problem = findings.find((f) => f.ruleId === 'SBD010');
      assert.ok(problem, `no SBD010 in ${ids(findings).join(', ')}`);
      assert.equal(problem.severity, 'error');
      assert.match(problem.message, message);
    });
  }

  it('merge chains are resolved to any depth that matters: 7 levels find privileged: true', () => {
    const anchors = Array.from({ length: 7 }, (_, i) => (i === 0 ? 'x-0: &l0 {privileged: true}' : `x-${i}: &l${i} {<<: *l${i - 1}}`)).join('\n');
    const text = `${anchors}\nservices:\n  web:\n    image: nginx:1.27\n    <<: *l6\n`;
    assert.ok(ids(analyzeText(text, options)).includes('TCB001'));
  });

  it('a merge chain beyond the bound is reported (SBD011), not silently cut', () => {
    const anchors = Array.from({ length: 80 }, (_, i) => (i === 0 ? 'x-0: &l0 {privileged: true}' : `x-${i}: &l${i} {<<: *l${i - 1}}`)).join('\n');
    const findings = bounded('an 80-level merge chain', { seconds: 10, megabytes: 200 }, () => analyzeText(`${anchors}\nservices:\n  web:\n    image: nginx:1.27\n    <<: *l79\n`, options));
    assert.ok(ids(findings).includes('SBD011'), ids(findings).join(', '));
  });

  it('cyclic merges end: no crash, the other keys are still checked', () => {
    const text = 'services: &a\n  web: &b\n    image: nginx:1.27\n    privileged: true\n    <<: *a\n  <<: *b\nx: &c\n  <<: [*c, *a, *b]\n';
    const findings = bounded('cyclic merges', { seconds: 10, megabytes: 200 }, () => analyzeText(text, options));
    assert.deepEqual(findings.filter((f) => f.ruleId === 'SBD005').map((f) => f.message), []);
    assert.ok(ids(findings).includes('TCB001'));
  });

  it('untrusted: the repository configuration may make analysis stricter, never laxer', () => {
    const parsed = parseProjectConfig('rules:\n  TCB001: off\n  IMM002: error\n  ZT001: info\nignore: ["**"]\nthresholds: {secretHolders: 100}\nmaxFileBytes: 104857600\nprofile: pss-restricted\n', CONFIG_CONTEXT);
    assert.ok(parsed.ok);
    const weakening = weakeningOf(parsed.overlay, defaultOptions());
    assert.ok(weakening.rulesOff.includes('TCB001'));
    assert.match(describeWeakening(weakening, '.sbd.yaml') ?? '', /^\d+ rules off, 1 rule milder, \d+ rules narrowed to the profile's files or parts, 1 ignore glob, 1 threshold raised by \.sbd\.yaml$/);
    const restricted = untrustedOverlay(parsed.overlay);
    assert.deepEqual(restricted.rules, { IMM002: { enabled: true, severity: 'error' } });
    assert.deepEqual([restricted.ignore, restricted.maxFileBytes, restricted.profile, restricted.thresholds], [undefined, undefined, undefined, {}]);
    assert.equal(describeWeakening(weakeningOf(restricted, defaultOptions()), '.sbd.yaml'), undefined);
  });
});

describe('hostile repositories: cost (core)', function () {
  this.timeout(300_000);

  /** A compose file of `services` services that all hold the same two secrets (TCB010's input). */
  function secretHolders(services: number): string {
    const lines = ['secrets:', '  db_password: {file: ./db.txt}', '  api_key: {file: ./api.txt}', 'services:'];
    for (let i = 0; i < services; i++) lines.push(`  s${i}:`, `    image: registry.example/s${i}:1.${i}`, '    secrets: [db_password, api_key]', `    environment: {DB_PASSWORD_FILE: /run/secrets/db_password}`);
    return lines.join('\n') + '\n';
  }

  it('the secret-holders rule is not quadratic: 1 MB costs about ten times 100 KB, not a hundred', () => {
    const big = secretHolders(8_000);
    const small = secretHolders(800);
    assert.ok(big.length > MB * 0.9 && big.length < 1.2 * MB, `${big.length} bytes`);
    const large = { ...options, maxFileBytes: 32 * MB };
    const smallSeconds = bestSeconds(() => analyzeText(small, large), 2);
    const started = performance.now();
    bounded('the 1 MB compose file', { seconds: 150, megabytes: 1500 }, () => assert.ok(ids(analyzeText(big, large)).includes('TCB010')));
    const bigSeconds = (performance.now() - started) / 1000;
    // Linear is 10×; quadratic 100×. 35× leaves room for garbage collection and a loaded machine.
    assert.ok(bigSeconds < Math.max(35 * smallSeconds, 3), `1 MB took ${bigSeconds.toFixed(2)} s, 100 KB ${smallSeconds.toFixed(2)} s`);
  });

  it('an ignore glob built to backtrack is refused; the globs allowed cost little against a long name', () => {
    for (const glob of ['*a*a*a*a*a*a*a*a*a*a*a*a*b', 'x/*a*a*b/**', '+(a|aa)*b', 'dir/@(a|b)']) {
      const result = parseProjectConfig(`ignore: ["${glob}"]\n`, CONFIG_CONTEXT);
      assert.ok(!result.ok && /too costly to match/.test(result.problems[0].message), `accepted ${glob}`);
    }
    const allowed = ['*a*b', '**/*a*c/**', '**/x*/**/y*/**/*.yaml'];
    const config = parseProjectConfig(`ignore: [${allowed.map((glob) => JSON.stringify(glob)).join(', ')}]\n`, CONFIG_CONTEXT);
    assert.ok(config.ok);
    const matches = ignoreMatcher(config.overlay.ignore ?? []);
    const name = `${'a'.repeat(5_000)}.yaml`;
    bounded('matching allowed globs against 5,000-character names', { seconds: 10, megabytes: 200 }, () => {
      for (let i = 0; i < 20; i++) assert.equal(matches(`dir${i}/${'x/'.repeat(50)}${name}`), false);
    });
  });

  it('a configuration with as many keys as fit in its size limit is refused or read quickly', () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `k${i}: 1`).join('\n');
    const flow = `rules: {${Array.from({ length: 20_000 }, (_, i) => `R${i}: off`).join(', ')}}`;
    for (const text of [keys, flow, flow.slice(0, CONFIG_LIMITS.textBytes - 10) + '}']) {
      const result = bounded('a configuration of many keys', { seconds: 5, megabytes: 300 }, () => parseProjectConfig(text, CONFIG_CONTEXT));
      assert.equal(result.ok, false);
    }
  });

  it('a file over the byte limit is declined even when its UTF-16 length is under it', () => {
    const text = `services:\n  web:\n    image: nginx:1.27\n    labels: {note: "${'é'.repeat(1000)}"}\n`;
    assert.ok(text.length < 1100 && Buffer.byteLength(text) > 2000);
    assert.deepEqual(ids(analyzeText(text, { ...options, maxFileBytes: 1500 })), ['SBD006']);
  });
});

describe('hostile repositories: prototype keys (core)', () => {
  for (const key of ['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf']) {
    it(`"${key}" is no key we document, and no configuration or zone name reaches the prototype`, () => {
      assert.equal(keyDocumentation(key, 'compose'), undefined);
      assert.equal(keyDocumentation(key, 'kubernetes'), undefined);
      assert.equal(keyDocumentation(key, 'architecture'), undefined);
      const text = `services:\n  ${key}:\n    image: nginx:1.27\n    networks: [${key}]\n    privileged: true\nnetworks:\n  ${key}: {}\n`;
      const config = parseProjectConfig(`zones:\n  networks:\n    "${key}": trusted\n  namespaces:\n    "${key}": untrusted\n`, CONFIG_CONTEXT);
      assert.ok(config.ok);
      assert.equal(Object.getPrototypeOf(config.overlay.networkZones), Object.prototype, 'the prototype was replaced');
      const findings = analyzeText(text, { ...options, networkZones: config.overlay.networkZones ?? {} });
      assert.deepEqual(findings.filter((f) => f.ruleId === 'SBD005').map((f) => f.message), []);
      assert.ok(ids(findings).includes('TCB001'));
    });
  }
});
