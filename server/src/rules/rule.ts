import type { FileKind, Fix, OffsetRange, PatternId, Severity } from '../core/types';
import type { AnalysisOptions } from '../core/options';
import type { ComposeModel } from '../model/compose';
import type { KubernetesObject } from '../model/kubernetes';
import type { ArchitectureModel } from '../model/architecture';
import { checkThreagileModels } from './shared/threagileModels';
import type { WorkspaceDocument } from '../workspace/documents';
import type { YamlTree } from '../core/tree';

/** What hovers, docs and SARIF show: the pattern's principle applied to this rule. */
export interface RuleGuidance {
  /** Why this matters, in terms of the pattern. */
  readonly why: string;
  /** How to fix it, imperative. */
  readonly fix: string;
  /** ❌ a minimal YAML example that triggers the rule. */
  readonly bad: string;
  /** ✅ the same example, fixed. */
  readonly good: string;
  /**
   * For rules that read Threagile models: which of Threagile's risk rules it follows, and where
   * and why it judges differently (shown in the docs beside Threagile's own id).
   */
  readonly threagile?: string;
}

export interface RelatedInput {
  readonly message: string;
  readonly range: OffsetRange;
  /** The document the range is in, when the model spans several files (defaults to the finding's). */
  readonly tree?: YamlTree;
}

export interface ReportInput {
  /** The offending key or value; for something missing, the key that should hold it. */
  readonly range: OffsetRange;
  readonly message: string;
  readonly related?: readonly RelatedInput[];
  readonly fixes?: readonly Fix[];
  /** Milder than the rule's severity for a weaker form of the finding (a missing hardening setting rather than an explicitly insecure one). */
  readonly severity?: Severity;
  /** The document the range is in, when the model spans several files (Threagile `includes:`). */
  readonly tree?: YamlTree;
  /**
   * The id Threagile gives the same risk (`missing-authentication@link@source@target`): shown to
   * the user, and matched against the model's `risk_tracking` (Threagile models only).
   */
  readonly threagileRiskId?: string;
}

export interface RuleContext {
  readonly options: AnalysisOptions;
  report(input: ReportInput): void;
}

export interface WorkspaceReportInput extends ReportInput {
  /** The document the finding belongs to; ranges are relative to it. */
  readonly document: WorkspaceDocument;
  readonly relatedElsewhere?: ReadonlyArray<{ readonly message: string; readonly document: WorkspaceDocument; readonly range: OffsetRange }>;
}

export interface WorkspaceRuleContext {
  readonly options: AnalysisOptions;
  /** Every file of the analysis, with or without a document of a known kind (a Threagile include may be empty). */
  readonly analysedFiles?: readonly string[];
  report(input: WorkspaceReportInput): void;
}

export interface Rule {
  /** `ZT001`, `IMM002`, …: the pattern's prefix and a number. */
  readonly id: string;
  readonly pattern: PatternId;
  /** A second pattern the rule also teaches. */
  readonly alsoPattern?: PatternId;
  readonly severity: Severity;
  readonly title: string;
  /** File kinds the rule looks at. */
  readonly kinds: readonly FileKind[];
  readonly guidance: RuleGuidance;
  /** Whether findings come with a quick fix (checked by the fixture tests). */
  readonly hasFix: boolean;
  /** Names of peers' equivalent rules, for cross-reference in docs and SARIF. */
  readonly peers?: readonly string[];
  checkCompose?(model: ComposeModel, context: RuleContext): void;
  checkKubernetes?(object: KubernetesObject, context: RuleContext): void;
  checkArchitecture?(model: ArchitectureModel, context: RuleContext): void;
  /** Cross-document and cross-file checks, run over every analysed document of the workspace. */
  checkWorkspace?(documents: readonly WorkspaceDocument[], context: WorkspaceRuleContext): void;
}

const RULE_ID = /^(ZT|IMM|BND|TCB|FF)\d{3}$/;

/**
 * Checks a rule's metadata. A rule that reads Threagile models runs its `checkArchitecture` on
 * each whole Threagile model of the workspace (a model may span several files through
 * `includes:`), after any workspace check of its own.
 */
export function defineRule(rule: Rule): Rule {
  const prefix = RULE_ID.exec(rule.id)?.[1];
  if (prefix !== rule.pattern) throw new Error(`rule id ${rule.id} must be ${rule.pattern} followed by three digits`);
  if (!rule.checkCompose && !rule.checkKubernetes && !rule.checkArchitecture && !rule.checkWorkspace) {
    throw new Error(`rule ${rule.id} checks nothing`);
  }
  const checkArchitecture = rule.checkArchitecture;
  if (!rule.kinds.includes('threagile') || !checkArchitecture) return rule;
  const ownWorkspaceCheck = rule.checkWorkspace;
  return {
    ...rule,
    checkWorkspace(documents, context) {
      ownWorkspaceCheck?.(documents, context);
      checkThreagileModels(documents, context, (model, modelContext) => checkArchitecture(model, modelContext));
    },
  };
}
