import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultOptions } from '../../server/src/core/options';
import { ALL_RULES, KNOWN_RULE_IDS } from '../../server/src/rules';
import { WorkspaceAnalysis } from '../../server/src/analysis/workspaceAnalysis';
import { trustBoundaryView } from '../../server/src/views/trustBoundaries';
import type { ArchitectureFlowView } from '../../server/src/views/trustBoundaries/architecture';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'architecture');

/** The analysed documents of fixture files of one folder, as the language server holds them. */
function documentsOf(files: Record<string, string>) {
  const options = defaultOptions({ today: '2026-01-01' });
  const model = new WorkspaceAnalysis(ALL_RULES, KNOWN_RULE_IDS, options, { text: () => undefined });
  for (const [file, text] of Object.entries(files)) model.setDiskText(file, text);
  return { options, documents: model.fileIds().flatMap((file) => model.analysis(file)!.documents), findings: (file: string) => model.findings(file) };
}

function browseFlow(deployment: string): { flow: ArchitectureFlowView; ruleIds: string[] } {
  const model = fs.readFileSync(path.join(FIXTURES, 'ZT046', 'model.arch.yaml'), 'utf8');
  const manifest = fs.readFileSync(path.join(FIXTURES, deployment), 'utf8');
  const { options, documents, findings } = documentsOf({ 'file:///shop/model.arch.yaml': model, 'file:///shop/deploy.yaml': manifest });
  const view = trustBoundaryView(documents, options);
  const flow = view.zones.flatMap((zone) => zone.components).flatMap((component) => component.inbound).find((item) => item.label.startsWith('browse:')) as ArchitectureFlowView;
  return { flow, ruleIds: findings('file:///shop/deploy.yaml').map((finding) => finding.ruleId).filter((id) => /^ZT(?:046|047|106)$/.test(id)).sort() };
}

describe('model ↔ mesh drift in the trust-boundary view', () => {
  it('shows on the flow the controls the mesh does not enforce, as the drift rules report them', () => {
    const token = browseFlow('ZT046/bad.yaml');
    assert.deepEqual(token.flow.deploymentDrift, ['token required: Deployment "orders" validates tokens but accepts requests without one']);
    assert.deepEqual(token.ruleIds, ['ZT046']);
    const authorization = browseFlow('ZT047/bad.yaml');
    assert.deepEqual(authorization.flow.deploymentDrift, ['per-resource authorization: Deployment "orders" lets the callers its ALLOW policy admits use every path and method']);
    assert.deepEqual(authorization.ruleIds, ['ZT047']);
  });

  it('shows no drift where the mesh enforces mTLS, requires the token and authorizes per path and method', () => {
    const { flow, ruleIds } = browseFlow('ZT046/good.yaml');
    assert.deepEqual(flow.deploymentDrift, []);
    assert.deepEqual(ruleIds, []);
  });
});
