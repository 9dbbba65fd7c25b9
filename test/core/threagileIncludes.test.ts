import { strict as assert } from 'node:assert';
import { analyzeFiles, type FileResult } from '../../server/src/analysis/engine';
import { defaultOptions } from '../../server/src/core/options';
import { resolveInclude } from '../../server/src/model/threagileSystem';
import { riskIdMatches } from '../../server/src/rules/shared/threagileModels';

const options = defaultOptions({ today: '2026-06-01' });

const DATA = `data_assets:
  Customers:
    id: customers
    confidentiality: confidential
    owner: Shop Team
`;

const ASSETS = `technical_assets:
  Shop:
    id: shop
    type: process
    technology: web-application
    communication_links:
      Customer DB:
        target: customer-db
        protocol: jdbc
        authentication: credentials
        authorization: technical-user
        data_assets_sent: [customers]
  Customer DB:
    id: customer-db
    type: datastore
    technology: database
    encryption: transparent
    data_assets_stored: [customers]
`;

const BOUNDARIES = `trust_boundaries:
  App:
    id: app
    type: network-cloud-security-group
    technical_assets_inside: [shop, customer-db]
`;

const WHOLE = `threagile_version: 1.0.0\ntitle: Shop\n${DATA}${ASSETS}${BOUNDARIES}`;

function analyse(files: Record<string, string>): FileResult[] {
  return analyzeFiles(
    Object.entries(files).map(([file, text]) => ({ file, text })),
    options,
  );
}

function findings(results: FileResult[], ruleId?: string): string[] {
  return results.flatMap((result) => result.findings.filter((f) => !ruleId || f.ruleId === ruleId).map((f) => `${result.analysis.file} ${f.ruleId}: ${f.message}`)).sort();
}

/** Finding identities without the file, to compare one model written as one file or as parts. */
function facts(results: FileResult[]): string[] {
  return results.flatMap((result) => result.findings.map((f) => `${f.ruleId}: ${f.message}`)).sort();
}

describe('Threagile includes', () => {
  it('resolve relative to the including file, with . and .. and for URIs', () => {
    assert.equal(resolveInclude('models/main.yaml', 'parts/assets.yaml'), 'models/parts/assets.yaml');
    assert.equal(resolveInclude('models/parts/assets.yaml', '../data.yaml'), 'models/data.yaml');
    assert.equal(resolveInclude('main.yaml', './a.yaml'), 'a.yaml');
    assert.equal(resolveInclude('C:\\proj\\model\\main.yaml', 'parts\\a.yaml'), 'C:/proj/model/parts/a.yaml');
    assert.equal(resolveInclude('file:///home/me/model/main.yaml', '../shared/data.yaml'), 'file:///home/me/shared/data.yaml');
  });

  it('read a model split into parts in nested folders exactly as the same model in one file', () => {
    const whole = analyse({ 'shop/threagile.yaml': WHOLE });
    const split = analyse({
      'shop/threagile.yaml': 'threagile_version: 1.0.0\ntitle: Shop\nincludes:\n  - model/assets.yaml\n  - model/boundaries/boundaries.yaml\n',
      'shop/model/assets.yaml': `includes:\n  - ../data/data.yaml\n${ASSETS}`,
      'shop/data/data.yaml': DATA,
      'shop/model/boundaries/boundaries.yaml': BOUNDARIES,
    });
    assert.ok(facts(whole).length > 0, 'the model has findings to compare');
    assert.deepEqual(facts(split), facts(whole));
    // The finding about the link lands in the part that defines it.
    assert.deepEqual(findings(split, 'ZT109').map((f) => f.split(' ')[0]), ['shop/model/assets.yaml']);
  });

  it('resolve references across included parts: no BND105 for assets and data defined in other files', () => {
    const split = analyse({
      'main.yaml': 'threagile_version: 1.0.0\nincludes: [assets.yaml, data.yaml, boundaries.yaml]\n',
      'assets.yaml': ASSETS,
      'data.yaml': DATA,
      'boundaries.yaml': BOUNDARIES,
    });
    assert.deepEqual(findings(split, 'BND105'), []);
    // A typo in an included part is still found.
    const typo = analyse({
      'main.yaml': 'threagile_version: 1.0.0\nincludes: [assets.yaml, data.yaml]\n',
      'assets.yaml': ASSETS.replace('target: customer-db', 'target: customer-bd'),
      'data.yaml': DATA,
    });
    assert.deepEqual(findings(typo, 'BND105').map((f) => f.split(' ')[0]), ['assets.yaml']);
  });

  it('claim nothing absent while an included part is not among the analysed files', () => {
    const partial = analyse({ 'main.yaml': 'threagile_version: 1.0.0\nincludes: [assets.yaml, data.yaml]\n', 'assets.yaml': ASSETS });
    assert.deepEqual(findings(partial, 'BND105'), []);
    assert.deepEqual(findings(partial, 'TCB107'), []);
    assert.deepEqual(findings(partial, 'BND104'), []);
    const missing = findings(partial, 'FF103');
    assert.equal(missing.length, 1);
    assert.match(missing[0], /^main\.yaml FF103: Included file "data\.yaml" is not among the analysed files/);
    // A part scanned without the file that includes it is a part, not a whole model.
    assert.deepEqual(findings(analyse({ 'assets.yaml': ASSETS }), 'BND105'), []);
    assert.deepEqual(findings(analyse({ 'assets.yaml': ASSETS }), 'TCB107'), []);
  });

  it('accept an include that is empty or holds only comments', () => {
    const results = analyse({ 'main.yaml': `${WHOLE}includes: [diagram_tweak.yaml]\n`, 'diagram_tweak.yaml': '# diagram_tweak_nodesep: 2\n' });
    assert.deepEqual(findings(results, 'FF103'), []);
  });

  it('report an include cycle once, as an error on the include that closes it', () => {
    const results = analyse({ 'a.yaml': `${WHOLE}includes: [b.yaml]\n`, 'b.yaml': 'includes: [c.yaml]\n', 'c.yaml': 'includes: [b.yaml]\n' });
    const cycles = results.flatMap((r) => r.findings.filter((f) => f.ruleId === 'FF103').map((f) => ({ file: r.analysis.file, severity: f.severity, message: f.message })));
    assert.deepEqual(cycles, [{ file: 'c.yaml', severity: 'error', message: 'Include "b.yaml" closes a cycle (b.yaml → c.yaml → b.yaml): Threagile never finishes loading this model.' }]);
  });

  it('report each finding of a part included by two models once', () => {
    const results = analyse({
      'one.yaml': 'threagile_version: 1.0.0\nincludes: [assets.yaml, data.yaml]\n',
      'two.yaml': 'threagile_version: 1.0.0\nincludes: [assets.yaml, data.yaml]\n',
      'assets.yaml': ASSETS,
      'data.yaml': DATA,
    });
    assert.equal(findings(results, 'ZT109').length, 1);
  });
});

describe('Threagile risk_tracking', () => {
  const MODEL = `${WHOLE}risk_tracking:\n`;

  it('suppresses a finding whose risk is tracked as accepted, in progress, mitigated or a false positive, with a justification', () => {
    for (const status of ['accepted', 'in-progress', 'mitigated', 'false-positive']) {
      const text = `${MODEL}  unencrypted-communication@shop>customer-db@shop@customer-db:\n    status: ${status}\n    justification: The link runs over the host's loopback only\n    date: 2026-01-10\n    checked_by: Jane Doe\n`;
      assert.deepEqual(findings(analyse({ 'm.yaml': text }), 'ZT109'), [], status);
    }
  });

  it('matches wildcards between @ like Threagile, one part per *', () => {
    assert.ok(riskIdMatches('unencrypted-communication@*@*@*', 'unencrypted-communication@shop>db@shop@db'));
    assert.ok(riskIdMatches('missing-hardening@*', 'missing-hardening@erp-system'));
    assert.ok(!riskIdMatches('missing-hardening@*', 'missing-hardening-extra@erp-system'));
    assert.ok(!riskIdMatches('unencrypted-communication@*', 'unencrypted-communication@shop>db@shop@db'));
    const text = `${MODEL}  unencrypted-communication@*@shop@*:\n    status: mitigated\n    justification: TLS terminates in the sidecar\n`;
    assert.deepEqual(findings(analyse({ 'm.yaml': text }), 'ZT109'), []);
  });

  it('keeps reporting a risk tracked as unchecked or in discussion', () => {
    for (const status of ['unchecked', 'in-discussion']) {
      const text = `${MODEL}  unencrypted-communication@*@*@*:\n    status: ${status}\n    justification: To be decided\n`;
      assert.equal(findings(analyse({ 'm.yaml': text }), 'ZT109').length, 1, status);
    }
  });

  it('reports a tracked risk without a justification like a suppression without a reason (SBD002), and keeps the finding', () => {
    const text = `${MODEL}  unencrypted-communication@*@*@*:\n    status: accepted\n    date: 2026-01-10\n`;
    const results = analyse({ 'm.yaml': text });
    assert.equal(findings(results, 'ZT109').length, 1);
    const sbd = results[0].findings.filter((f) => f.ruleId === 'SBD002');
    assert.equal(sbd.length, 1);
    assert.equal(text.slice(sbd[0].range.start, sbd[0].range.end), 'unencrypted-communication@*@*@*');
    assert.match(sbd[0].message, /has no justification, so it suppresses nothing/);
  });

  it('applies risk tracking written in an included part', () => {
    const results = analyse({
      'main.yaml': `${WHOLE}includes: [tracking.yaml]\n`,
      'tracking.yaml': 'risk_tracking:\n  unencrypted-communication@*@*@*:\n    status: mitigated\n    justification: Loopback only\n',
    });
    assert.deepEqual(findings(results, 'ZT109'), []);
  });
});
