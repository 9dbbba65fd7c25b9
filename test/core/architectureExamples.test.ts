import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFiles } from '../../server/src/analysis/engine';
import { RULES_BY_ID } from '../../server/src/rules';
import { PATTERNS } from '../../server/src/rules/patterns';
import { FIXTURES, FIXTURE_OPTIONS, analyzeFixture } from '../fixtureSupport';

const repoRoot = path.join(__dirname, '..', '..');

/**
 * The architecture examples the patterns are taught with (DESIGN.md, "The examples the patterns
 * are taught with"): each ❌ written in our format is reported with its pattern's guidance, and
 * each ✅ is clean of every finding.
 */
const TAUGHT_EXAMPLES: ReadonlyArray<{ example: string; ruleId: string }> = [
  { example: 'service A calls service B on the same network with no authentication', ruleId: 'ZT101' },
  { example: 'IP allowlists as the only authentication', ruleId: 'ZT102' },
  { example: 'deploy by ssh into the server, git pull, restart', ruleId: 'IMM101' },
  { example: 'configuration edited on servers', ruleId: 'IMM102' },
  { example: 'the database accepts connections from every service', ruleId: 'BND103' },
  { example: 'a data pipeline that trusts data from an "internal" queue', ruleId: 'ZT105' },
  { example: 'every service fetches, decrypts, rotates and caches secrets itself', ruleId: 'TCB101' },
  { example: "a pipeline whose source level exceeds the sink's maximum", ruleId: 'FF101' },
  { example: 'a service starts without checking its TLS certificate, keys and permissions', ruleId: 'FF102' },
  { example: 'components with no trust zone; boundaries nobody drew', ruleId: 'BND104' },
  { example: 'a crossing without validation', ruleId: 'BND101' },
];

describe('the architecture examples the patterns are taught with', () => {
  for (const { example, ruleId } of TAUGHT_EXAMPLES) {
    const directory = path.join(FIXTURES, 'architecture', ruleId);
    const read = (name: string) => {
      const file = path.join(directory, name);
      return analyzeFixture(file, fs.readFileSync(file, 'utf8'), []);
    };

    it(`❌ ${example}: reported by ${ruleId} with the pattern's guidance`, () => {
      const findings = read('bad.yaml').filter((f) => f.ruleId === ruleId);
      assert.ok(findings.length > 0);
      const rule = RULES_BY_ID.get(ruleId)!;
      assert.ok(PATTERNS[rule.pattern], `no pattern ${rule.pattern}`);
      assert.ok(rule.guidance.why.length > 40 && rule.guidance.fix.length > 20);
    });

    it(`✅ ${example}: the corrected model is clean`, () => {
      assert.deepEqual(read('good.yaml').map((f) => `${f.ruleId}: ${f.message}`), []);
    });
  }
});

describe('examples/architecture', () => {
  const root = path.join(repoRoot, 'examples', 'architecture');
  const load = (dir: string) =>
    walk(dir)
      .filter((file) => dir !== root || !file.startsWith(path.join(root, 'fixed')))
      .map((file) => ({ file: path.relative(repoRoot, file), text: fs.readFileSync(file, 'utf8') }));

  it('the shop deployments drift from the model in the ways the comments say', () => {
    const results = analyzeFiles(load(root), FIXTURE_OPTIONS);
    // Drift and model rules only: the compose and Kubernetes rules see the drifted manifests too.
    const architectureRule = /^[A-Z]+1\d\d$/;
    const found = results.flatMap((r) => r.findings.filter((f) => architectureRule.test(f.ruleId)).map((f) => `${path.basename(r.analysis.file)} ${f.ruleId} ${f.message.split('"')[1]}`)).sort();
    assert.deepEqual(found, [
      'compose.yaml BND106 adminer',
      'compose.yaml BND107 catalog',
      'compose.yaml TCB106 payments',
      'shop.yaml BND106 debug-tools',
      'shop.yaml BND107 orders-db',
      'shop.yaml ZT106 orders',
      'shop.yaml ZT106 orders-db',
    ]);
  });

  it('the corrected shop under fixed/ is clean', () => {
    const results = analyzeFiles(load(path.join(root, 'fixed')), FIXTURE_OPTIONS);
    assert.equal(results.length, 3);
    assert.deepEqual(results.flatMap((r) => r.findings.map((f) => `${r.analysis.file}: ${f.ruleId} ${f.message}`)), []);
  });
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}
