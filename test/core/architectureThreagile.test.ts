import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFiles, analyzeText, type FileResult } from '../../server/src/analysis/engine';
import { Analyzer } from '../../server/src/analysis/analyze';
import { defaultOptions } from '../../server/src/core/options';
import { ALL_RULES } from '../../server/src/rules';
import type { ArchitectureModel } from '../../server/src/model/architecture';
import { ModelIndex } from '../../server/src/model/architecture';

const repoRoot = path.join(__dirname, '..', '..');
const threagileCorpus = path.join(repoRoot, '..', 'shared', 'corpus', 'threagile');
const options = defaultOptions({ today: '2026-06-01' });

function modelsOf(file: string, text: string): ArchitectureModel[] {
  return new Analyzer(ALL_RULES).analyzeFile(file, text, options).documents.flatMap((d) => (d.architecture ? [d.architecture] : []));
}

const AUTHORED = `threagile_version: 1.0.0
data_assets:
  Customer Data:
    id: customer-data
    confidentiality: confidential
technical_assets:
  Browser:
    id: browser
    type: external-entity
    internet: true
    communication_links:
      Web:
        target: lb
        protocol: https
        authentication: session-id
        authorization: end-user-identity-propagation
  Load Balancer:
    id: lb
    type: process
    technology: load-balancer
    communication_links:
      App:
        target: app
        protocol: https
        authentication: none
        authorization: none
        ip_filtered: true
  App:
    id: app
    type: process
    data_assets_processed: [customer-data]
  Vault:
    id: vault
    type: process
    technology: vault
trust_boundaries:
  Cloud:
    id: cloud
    type: network-cloud-provider
    technical_assets_inside: [lb]
    trust_boundaries_nested: [app-net, vault-env]
  App Net:
    id: app-net
    type: network-cloud-security-group
    technical_assets_inside: [app]
  Vault Env:
    id: vault-env
    type: execution-environment
    technical_assets_inside: [vault]
shared_runtimes:
  VM:
    id: vm
    technical_assets_running: [app]
`;

describe('Threagile models', () => {
  it('read technical assets, trust boundaries and links into zones, components and flows', () => {
    const [model] = modelsOf('threagile.yaml', AUTHORED);
    assert.equal(model.dialect, 'threagile');
    assert.deepEqual(
      model.components.map((c) => [c.id, c.componentType, c.zone?.value, c.inTcb]),
      [
        ['browser', 'external-system', 'outside', false],
        ['lb', 'gateway', 'cloud', false],
        ['app', 'service', 'app-net', false],
        ['vault', 'vault', 'vault-env', true],
      ],
    );
    assert.equal(model.components[2].dataLevel?.value, 'confidential');
    assert.deepEqual(model.components[2].sharedRuntimes, ['vm']);
    assert.deepEqual(model.flows.map((f) => [f.from?.value, f.to?.value]), [['browser', 'lb'], ['lb', 'app']]);
    // An unauthenticated link behind an IP filter is trust by network location.
    assert.deepEqual(model.flows[1].authentication.map((m) => m.value), ['ip-allowlist']);
    assert.equal(model.flows[0].authorization?.value, 'resource-level');
  });

  it('derives trust levels: outside untrusted, top-level boundaries semi-trusted, nesting and execution environments more', () => {
    const [model] = modelsOf('threagile.yaml', AUTHORED);
    const index = new ModelIndex(model);
    assert.deepEqual(
      model.zones.map((z) => [z.id, index.trustOf(z)]),
      [
        ['outside', 'untrusted'],
        ['cloud', 'semi-trusted'],
        ['app-net', 'trusted'],
        ['vault-env', 'highly-trusted'],
      ],
    );
  });

  it("puts Threagile's own risk id in a finding's related information", () => {
    const finding = analyzeText(AUTHORED, options).find((f) => f.ruleId === 'ZT102');
    assert.ok(finding, 'the IP-filtered link into sensitive data is reported');
    assert.equal(AUTHORED.slice(finding.range.start, finding.range.end), 'none');
    assert.deepEqual(finding.related?.map((r) => r.message), ['Threagile risk category: missing-authentication']);
  });

  it('reads the parsed form Threagile writes out (links as a list with target_id, technologies as a list)', () => {
    const parsed = `threagile_version: 1.0.0
technical_assets:
  web:
    id: web
    type: process
    technologies:
      - name: web-server
    communication_links:
      - id: web>db
        source_id: web
        target_id: db
        protocol: jdbc
        authentication: credentials
  db:
    id: db
    type: datastore
    technologies:
      - name: database
`;
    const [model] = modelsOf('parsed.yaml', parsed);
    assert.deepEqual(model.flows.map((f) => [f.id, f.from?.value, f.to?.value, f.authentication.map((m) => m.value)]), [['web>db', 'web', 'db', ['credentials']]]);
    assert.equal(model.components[1].componentType, 'datastore');
  });
});

describe('the Threagile models of the shared corpus', function () {
  this.timeout(60_000);
  let results: FileResult[] = [];

  before(function () {
    if (!fs.existsSync(threagileCorpus)) {
      if (process.env.CI === 'true') throw new Error('the shared Threagile corpus is missing beside the repository');
      console.log('    (skipped: the shared corpus is not beside the repository)');
      this.skip();
    }
    const files = walk(threagileCorpus);
    results = analyzeFiles(files.map((file) => ({ file: path.relative(threagileCorpus, file), text: fs.readFileSync(file, 'utf8') })), options);
  });

  const byName = (name: string) => results.find((r) => r.analysis.file.endsWith(name))!;
  const ids = (result: FileResult) => result.findings.map((f) => f.ruleId);

  it('load without syntax errors or failing rules, each model with components', () => {
    const problems = results.flatMap((r) => r.findings.filter((f) => f.ruleId === 'SBD001' || f.ruleId === 'SBD005').map((f) => `${r.analysis.file}: ${f.message}`));
    assert.deepEqual(problems, []);
    for (const name of ['threagile__demo-example.yaml', 'threagile__test-all.yaml', 'threagile__test-parsed-model.yaml', 'threagile__demo-stub.yaml']) {
      const models = byName(name).analysis.documents.filter((d) => d.architecture);
      assert.equal(models.length, 1, name);
      assert.ok(models[0].architecture!.components.length > 0, name);
    }
  });

  it('find the demo model’s unauthenticated links into sensitive data and its ssh deployments', () => {
    const demo = byName('threagile__demo-example.yaml');
    const text = fs.readFileSync(path.join(threagileCorpus, 'threagile__demo-example.yaml'), 'utf8');
    const zt101 = demo.findings.filter((f) => f.ruleId === 'ZT101').map((f) => f.message.split('"')[1]);
    assert.deepEqual(zt101, ['CMS Content Traffic', 'NFS Filesystem Access']);
    const deployments = demo.findings.filter((f) => f.ruleId === 'IMM104');
    assert.ok(deployments.some((f) => f.message.includes('"Application Deployment" writes into "apache-webserver"')));
    for (const finding of deployments) assert.equal(text.slice(finding.range.start, finding.range.end), 'ssh');
    // Findings are few and specific: no flood of boundary findings on a model Threagile itself considers reasonable.
    assert.ok(demo.findings.length <= 10, `${demo.findings.length} findings: ${ids(demo).join(', ')}`);
  });

  it('resolve references across the files of the split model in one folder', () => {
    const split = results.filter((r) => r.analysis.file.startsWith('threagile__split-model'));
    assert.ok(split.length > 10);
    assert.deepEqual(split.flatMap((r) => r.findings.filter((f) => f.ruleId === 'BND105').map((f) => f.message)), []);
  });
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}
