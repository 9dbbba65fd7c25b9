import type { YamlTree } from '../../core/tree';
import type { ArchitectureModel } from '../../model/architecture';
import { SUPPRESSING_RISK_STATUSES, type ThreagileRiskTracking } from '../../model/threagile';
import { threagileArchitecture } from '../../model/threagileArchitecture';
import { assembleThreagileSystems, type ThreagilePart, type ThreagileSystem } from '../../model/threagileSystem';
import type { AnalyzedDocument } from '../../model/documents';
import type { ReportInput, RuleContext, WorkspaceRuleContext } from '../rule';

/**
 * Threagile models as rules see them: assembled across files (includes), each with its
 * architecture model, and findings routed back to the file each element is written in.
 */

export interface ThreagileWorkspacePart extends ThreagilePart {
  readonly workspaceDocument: AnalyzedDocument;
}

export interface ThreagileWorkspaceModel {
  readonly system: ThreagileSystem<ThreagileWorkspacePart>;
  readonly architecture: ArchitectureModel;
  /** The workspace document each syntax tree of the model belongs to. */
  readonly documentOf: ReadonlyMap<YamlTree, AnalyzedDocument>;
}

const MODELS = new WeakMap<readonly AnalyzedDocument[], ThreagileWorkspaceModel[]>();

/** Every Threagile model of the workspace, assembled once per analysis run and shared by the rules. */
export function threagileModelsOf(documents: readonly AnalyzedDocument[], analysedFiles: readonly string[] | undefined): ThreagileWorkspaceModel[] {
  const cached = MODELS.get(documents);
  if (cached) return cached;
  const parts: ThreagileWorkspacePart[] = [];
  for (const workspaceDocument of documents) {
    const document = workspaceDocument.architecture?.threagile?.documents[0];
    if (document) parts.push({ file: workspaceDocument.file, document, workspaceDocument });
  }
  const models = assembleThreagileSystems(parts, analysedFiles ?? []).map((system) => {
    const documentOf = new Map<YamlTree, AnalyzedDocument>(system.parts.map((part) => [part.document.tree, part.workspaceDocument]));
    return { system, architecture: threagileArchitecture(system.model), documentOf };
  });
  MODELS.set(documents, models);
  return models;
}

/**
 * Runs a model check on every Threagile model of the workspace. Findings land in the file their
 * range is in; a finding that names its Threagile risk id is dropped when the model tracks that
 * risk as accepted, in progress, mitigated or a false positive with a justification (Threagile's
 * `risk_tracking`), and otherwise shows the id so it can be tracked. A part included by two
 * models is checked in both but reported once.
 */
export function checkThreagileModels(documents: readonly AnalyzedDocument[], context: WorkspaceRuleContext, check: (model: ArchitectureModel, context: RuleContext) => void): void {
  const seen = new Set<string>();
  for (const { system, architecture, documentOf } of threagileModelsOf(documents, context.analysedFiles)) {
    const report = (input: ReportInput) => {
      const document = documentOf.get(input.tree ?? architecture.tree);
      if (!document) return;
      const key = `${document.file}\u0000${input.range.start}\u0000${input.message}`;
      if (seen.has(key)) return;
      if (input.threagileRiskId && tracks(system.model.riskTracking, input.threagileRiskId)) return;
      seen.add(key);
      const related = [...(input.related ?? [])];
      if (input.threagileRiskId) related.push({ message: `Threagile risk id: ${input.threagileRiskId} (track it in risk_tracking once reviewed)`, range: input.range, tree: input.tree });
      const here = related.filter((item) => (documentOf.get(item.tree ?? architecture.tree) ?? document) === document);
      const elsewhere = related.filter((item) => !here.includes(item)).flatMap((item) => {
        const other = documentOf.get(item.tree!);
        return other ? [{ message: item.message, range: item.range, document: other }] : [];
      });
      context.report({ ...input, document, related: here.map(({ message, range }) => ({ message, range })), relatedElsewhere: elsewhere });
    };
    check(architecture, { options: context.options, report });
  }
}

/** Whether a tracking entry covers the risk with a status that ends reporting it and says why. */
export function tracks(entries: readonly ThreagileRiskTracking[], riskId: string): boolean {
  return entries.some((entry) => entry.status !== undefined && SUPPRESSING_RISK_STATUSES.has(entry.status.value) && (entry.justification?.value.trim() ?? '') !== '' && riskIdMatches(entry.pattern, riskId));
}

/** Threagile's matching of a tracked id against a risk id: `*` stands for one `@`-separated part. */
export function riskIdMatches(pattern: string, riskId: string): boolean {
  const source = pattern
    .trim()
    .split('*')
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^@]+');
  return new RegExp(`^${source}$`).test(riskId);
}
