import { defineRule, type WorkspaceRuleContext } from '../rule';
import { MODEL_HEADER, closestName } from '../shared/architecture';
import { modelsByFolder } from '../../model/systems';
import { threagileModelsOf } from '../shared/threagileModels';
import type { ArchitectureModel, ArchitectureReference, ReferenceKind } from '../../model/architecture';
import type { AnalyzedDocument } from '../../model/documents';

export const archUnknownReference = defineRule({
  id: 'BND105',
  pattern: 'BND',
  severity: 'error',
  title: 'Model refers to a zone, component or data asset it does not define',
  kinds: ['architecture', 'threagile'],
  hasFix: true,
  guidance: {
    why: 'A flow to a component that does not exist, or a component in a zone nobody defined, is a boundary the model only pretends to have: every check that relies on it silently skips it.',
    fix: 'Correct the name, or define the zone/component it refers to. A model may be split over several files of one folder; names resolve across them. A Threagile model resolves across the files its `includes:` name; while an included file is not among the analysed files, nothing is reported missing.',
    bad: `${MODEL_HEADER}zones:\n  services:\n    trust: trusted\ncomponents:\n  orders:\n    zone: service`,
    good: `${MODEL_HEADER}zones:\n  services:\n    trust: trusted\ncomponents:\n  orders:\n    zone: services`,
    threagile:
      'Threagile refuses to load a model with a dangling reference. Names resolve across every file the model\'s `includes:` name (relative to the including file, recursively); while an included file is not among the analysed files, nothing is reported missing (FF103 reports the missing include).',
  },
  checkWorkspace(documents, context) {
    for (const parts of modelsByFolder(documents, 'securebydesign').values()) {
      const models = parts.map(({ model }) => model);
      for (const { document, model } of parts) reportUnknown(context, models, model.references, () => document);
    }
    for (const { system, architecture, documentOf } of threagileModelsOf(documents, context.analysedFiles)) {
      if (!system.model.complete) continue;
      reportUnknown(context, [architecture], architecture.references, (reference) => documentOf.get(reference.tree ?? architecture.tree));
    }
  },
});

function reportUnknown(context: WorkspaceRuleContext, models: readonly ArchitectureModel[], references: readonly ArchitectureReference[], documentOf: (reference: ArchitectureReference) => AnalyzedDocument | undefined): void {
  const defined: Record<ReferenceKind, Set<string>> = { zone: new Set(), component: new Set(), 'data asset': new Set() };
  for (const model of models) {
    for (const zone of model.zones) if (!zone.synthetic) defined.zone.add(zone.id);
    for (const component of model.components) defined.component.add(component.id);
    for (const asset of model.dataAssets.keys()) defined['data asset'].add(asset);
  }
  for (const reference of references) {
    const known = defined[reference.kind];
    const document = documentOf(reference);
    if (known.has(reference.name) || !document) continue;
    const suggestion = closestName(reference.name, known);
    const hint = suggestion ? ` Did you mean "${suggestion}"?` : known.size === 0 ? ` The model defines no ${reference.kind}s yet.` : '';
    context.report({
      document,
      range: reference.range,
      message: `${capitalize(reference.from)} refers to ${reference.kind} "${reference.name}", which the model does not define: checks that depend on it are skipped.${hint}`,
      fixes: suggestion ? [{ title: `Change to "${suggestion}"`, edits: [{ ...reference.range, newText: suggestion }], safe: false }] : undefined,
    });
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
