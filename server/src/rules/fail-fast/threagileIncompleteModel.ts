import { defineRule, type WorkspaceRuleContext } from '../rule';
import { THREAGILE_PROTOCOLS, type ThreagileDataAsset } from '../../model/threagile';
import type { YamlTree } from '../../core/tree';
import { canonicalTechnology } from '../../model/threagileTechnologies';
import { threagileModelsOf } from '../shared/threagileModels';
import { threagileOf } from '../shared/threagile';
import type { AnalyzedDocument } from '../../model/documents';

const PROTOCOLS = new Set(THREAGILE_PROTOCOLS);

const MODEL = 'threagile_version: 1.0.0\ndata_assets:\n  Orders:\n    id: orders\n    owner: Shop Team\ntechnical_assets:\n  Shop:\n    id: shop\n    type: process\n    technology: TECHNOLOGY\n    data_assets_processed: [orders]\n    communication_links:\n      Orders DB:\n        target: db\n        protocol: jdbc-encrypted\n        authentication: credentials\n        authorization: technical-user\n        data_assets_sent: [orders]\n  DB:\n    id: db\n    type: datastore\n    technology: database\n    data_assets_stored: [orders]\n';

export const threagileIncompleteModel = defineRule({
  id: 'FF103',
  pattern: 'FF',
  severity: 'error',
  milderSeverities: ['warning', 'info'],
  title: 'Threagile model incomplete or not loadable',
  kinds: ['threagile'],
  hasFix: false,
  peers: ['Threagile incomplete-model', 'Threagile unnecessary-technical-asset', 'Threagile unnecessary-data-asset'],
  guidance: {
    why: 'Fail fast: a model that Threagile refuses to load (an unknown technology or protocol, an include cycle) or that leaves things unknown is found wanting at review time, or never. Every check skips what the model does not say, so a gap in the model is a gap in the analysis.',
    fix: 'Use Threagile\'s names for technologies and protocols, make every include resolve (relative to the including file) without cycles, replace `unknown-technology`/`unknown-protocol`, link or remove assets nothing talks to, and give each data asset an owner.',
    bad: MODEL.replace('TECHNOLOGY', 'web-app-server'),
    good: MODEL.replace('TECHNOLOGY', 'web-application'),
    threagile:
      'Covers Threagile\'s incomplete-model (unknown technology or protocol), unnecessary-technical-asset (an in-scope asset with no link in or out) and unnecessary-data-asset (data nothing stores, processes or transfers), and what makes Threagile refuse the model: technology or protocol names it does not know (warnings), an include cycle (an error: Threagile recurses without end). Ours besides: includes not among the analysed files, and data assets without an owner.',
  },
  checkWorkspace(documents, context) {
    reportIncludeProblems(documents, context);
  },
  /** The conditions are Threagile's, with the differences `guidance.threagile` states. */
  checkArchitecture(model, context) {
    const threagile = threagileOf(model);
    if (!threagile) return;
    const { index } = threagile;
    const complete = threagile.model.complete;
    for (const asset of index.assets.values()) {
      const riskId = `incomplete-model@${asset.id}`;
      for (const technology of asset.technologies) {
        if (!canonicalTechnology(technology.value)) {
          context.report({ tree: asset.tree, range: technology.range, severity: 'warning', message: `Threagile does not know technology "${technology.value}" and refuses to load the model: use one of its technology names (or unknown-technology).` });
        } else if (canonicalTechnology(technology.value) === 'unknown-technology' && index.inScope(asset)) {
          context.report({ tree: asset.tree, range: technology.range, severity: 'info', message: `"${asset.id}" has an unknown technology: every check that depends on what the asset is (web application, datastore, vault…) skips it.`, threagileRiskId: riskId });
        }
      }
      if (asset.technologies.length === 0 && index.inScope(asset) && asset.node) {
        context.report({ tree: asset.tree, range: asset.range, severity: 'info', message: `"${asset.id}" states no technology: every check that depends on what the asset is skips it.`, threagileRiskId: riskId });
      }
      for (const link of asset.links) {
        const protocol = link.protocol;
        if (protocol && !PROTOCOLS.has(protocol.value)) {
          context.report({ tree: link.tree, range: protocol.range, severity: 'warning', message: `Threagile does not know protocol "${protocol.value}" and refuses to load the model: use one of its protocol names (or unknown-protocol).` });
        } else if (index.inScope(asset) && (!protocol || protocol.value === 'unknown-protocol')) {
          context.report({ tree: link.tree, range: protocol?.range ?? link.range, severity: 'info', message: `Link "${link.title}" of "${asset.id}" has ${protocol ? 'an unknown' : 'no'} protocol: whether it is encrypted or process-local cannot be judged.`, threagileRiskId: `incomplete-model@${link.id}@${asset.id}` });
        }
      }
      if (complete && index.inScope(asset) && asset.links.length === 0 && index.incoming(asset.id).length === 0) {
        context.report({ tree: asset.tree, range: asset.range, severity: 'info', message: `"${asset.id}" has no communication link in or out: either the model misses how it is reached, or it is not needed.`, threagileRiskId: `unnecessary-technical-asset@${asset.id}` });
      }
    }
    if (!complete) return;
    const used = new Set<string>();
    for (const asset of index.assets.values()) {
      for (const data of [...asset.dataAssetsProcessed, ...asset.dataAssetsStored]) used.add(data.value);
      for (const link of asset.links) for (const data of [...link.dataAssetsSent, ...link.dataAssetsReceived]) used.add(data.value);
    }
    const unowned = new Map<YamlTree, ThreagileDataAsset[]>();
    for (const data of index.dataAssets.values()) {
      if (!used.has(data.id)) {
        context.report({ tree: data.tree, range: data.range, severity: 'info', message: `Data asset "${data.id}" is not stored, processed, sent or received by any asset: its ratings protect nothing in the model.`, threagileRiskId: `unnecessary-data-asset@${data.id}` });
      } else if (!data.owner || data.owner.value.trim() === '') {
        unowned.set(data.tree, [...(unowned.get(data.tree) ?? []), data]);
      }
    }
    // One finding per file, not one per data asset: the fact is that the model leaves ownership open.
    for (const [tree, assets] of unowned) {
      const document = threagile.model.documents.find((item) => item.tree === tree);
      const names = assets.map((data) => `"${data.id}"`);
      context.report({
        tree,
        range: document?.sectionKeys.data_assets ?? assets[0].range,
        severity: 'info',
        message: `${assets.length === 1 ? `Data asset ${names[0]} names` : `${assets.length} data assets (${names.slice(0, 4).join(', ')}${assets.length > 4 ? ', …' : ''}) name`} no owner: nobody is named to decide ${assets.length === 1 ? 'its' : 'their'} classification or who may receive ${assets.length === 1 ? 'it' : 'them'}.`,
        related: assets.map((data) => ({ message: `"${data.id}" names no owner`, range: data.range, tree })),
      });
    }
  },
});

/** Includes that name no analysed file (the model is incomplete) or that close a cycle (Threagile never finishes loading). */
function reportIncludeProblems(documents: readonly AnalyzedDocument[], context: WorkspaceRuleContext): void {
  const seen = new Set<string>();
  for (const { system } of threagileModelsOf(documents, context.analysedFiles)) {
    for (const problem of system.problems) {
      const key = `${problem.part.file}\u0000${problem.include.range.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      context.report({
        document: problem.part.workspaceDocument,
        range: problem.include.range,
        severity: problem.kind === 'cycle' ? 'error' : 'warning',
        message:
          problem.kind === 'cycle'
            ? `Include "${problem.include.value}" closes a cycle (${problem.cycle!.map(baseName).join(' → ')}): Threagile never finishes loading this model.`
            : `Included file "${problem.include.value}" is not among the analysed files (it does not exist relative to this file, or was not scanned): the model is incomplete, so nothing in it is reported missing.`,
      });
    }
  }
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}
