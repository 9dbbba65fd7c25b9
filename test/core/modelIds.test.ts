import { strict as assert } from 'node:assert';
import { Analyzer } from '../../server/src/analysis/analyze';
import { defaultOptions } from '../../server/src/core/options';
import { ALL_RULES } from '../../server/src/rules';
import { threagileModelsOf } from '../../server/src/rules/shared/threagileModels';
import { describeId, idAt, idOccurrences, secretsHeld, zonesReaching } from '../../server/src/model/modelIds';

const options = defaultOptions({ today: '2026-06-01' });

function documents(files: Record<string, string>) {
  const analyzer = new Analyzer(ALL_RULES);
  return Object.entries(files).flatMap(([file, text]) => analyzer.analyzeFile(file, text, options).documents);
}

const MAIN = `threagile_version: 1.0.0
includes: [assets.yaml]
data_assets:
  Card Data:
    id: cards
    confidentiality: strictly-confidential
    integrity: critical
trust_boundaries:
  Internal:
    id: internal
    type: network-cloud-security-group
    technical_assets_inside: [payments]
risk_tracking:
  missing-vault@payments:
    status: accepted
    justification: Keys live in the HSM of the card processor
`;
const ASSETS = `technical_assets:
  Shop:
    id: shop
    type: process
    internet: true
    communication_links:
      Pay:
        target: payments
        protocol: https
        authentication: token
        authorization: technical-user
  Payments:
    id: payments
    type: process
    data_assets_stored: [cards]
`;

describe('model ids: definitions, references, descriptions', () => {
  const docs = documents({ 'main.yaml': MAIN, 'assets.yaml': ASSETS });
  const [{ architecture }] = threagileModelsOf(docs, ['main.yaml', 'assets.yaml']);
  const treeOf = (file: string) => docs.find((d) => d.file === file)!.architecture!.tree;

  it('finds every occurrence of an asset id across the files of a Threagile model, risk ids included', () => {
    const payments = idOccurrences(architecture).filter((o) => o.kind === 'component' && o.id === 'payments');
    const where = payments.map((o) => `${o.role} ${o.tree === treeOf('main.yaml') ? 'main' : 'assets'} ${o.tree.text.slice(o.range.start, o.range.end)}`);
    assert.deepEqual(where.sort(), ['definition assets payments', 'reference assets payments', 'reference main payments', 'reference main payments'].sort());
    const inRisk = payments.find((o) => o.tree === treeOf('main.yaml') && o.tree.text.slice(o.range.start - 14, o.range.start) === 'missing-vault@');
    assert.ok(inRisk, 'the asset id inside the tracked risk id is a reference');
  });

  it('finds the id under the cursor, in a list or as a link target', () => {
    const main = treeOf('main.yaml');
    const at = idAt(architecture, main, MAIN.indexOf('[payments]') + 3);
    assert.deepEqual(at && { kind: at.kind, id: at.id, role: at.role }, { kind: 'component', id: 'payments', role: 'reference' });
    assert.equal(idAt(architecture, main, MAIN.indexOf('id: cards') + 5)?.kind, 'data asset');
  });

  it('describes a zone, a component and a data asset for hovers', () => {
    assert.match(describeId(architecture, 'zone', 'internal')!, /Trust boundary.*internal.*network-cloud-security-group[\s\S]*Trust: \*\*semi-trusted\*\*/);
    assert.match(describeId(architecture, 'component', 'payments')!, /zone `internal` \(semi-trusted\) · data: \*\*strictly-confidential\*\*/);
    assert.match(describeId(architecture, 'data asset', 'cards')!, /confidentiality \*\*strictly-confidential\*\* · integrity \*\*critical\*\*/);
  });

  it('counts the zones a component is reachable from and the secrets it holds', () => {
    assert.deepEqual(zonesReaching(architecture, 'payments'), ['outside']);
    assert.deepEqual(secretsHeld(architecture, 'payments'), ['cards']);
  });
});
