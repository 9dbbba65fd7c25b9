import { isRuleId, type FileKind, type Fix, type OffsetRange, type PatternId, type Severity } from '../core/types';
import { ownValue, type AnalysisOptions } from '../core/options';
import type { ThresholdParameter } from '../core/configuration';
import type { ComposeModel } from '../model/compose';
import type { KubernetesObject } from '../model/kubernetes';
import type { ArchitectureModel } from '../model/architecture';
import type { AnalyzedDocument } from '../model/documents';
import { checkThreagileModels } from './shared/threagileModels';
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
  /** The `.sbd.yaml` both examples are read with, for a rule that acts on configuration (`trustedRegistries:`). */
  readonly configuration?: string;
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
  /** One of the rule's `milderSeverities`, for a weaker form of the finding; the rule's severity when absent. */
  readonly severity?: Severity;
  /** The document the range is in, when the model spans several files (Threagile `includes:`). */
  readonly tree?: YamlTree;
  /**
   * The id Threagile gives the same risk (`missing-authentication@link@source@target`): shown to
   * the user, and matched against the model's `risk_tracking` (Threagile models only).
   */
  readonly threagileRiskId?: string;
  /**
   * The one aspect (of the rule's declared `aspects`) the finding is about: a finding about an
   * aspect its rule setting does not select is left out. A finding that lists several aspects
   * leaves this unset and builds its message from `RuleContext.aspects`.
   */
  readonly aspect?: string;
}

export interface RuleContext {
  readonly options: AnalysisOptions;
  /**
   * The aspects to report, each with the labels of the controls asking for it
   * (`{ seccomp: ['PSS Seccomp (restricted)'] }`); undefined: all of them (no profile narrows the rule).
   */
  readonly aspects?: Readonly<Record<string, readonly string[]>>;
  report(input: ReportInput): void;
}

export interface WorkspaceReportInput extends ReportInput {
  /** The document the finding belongs to; ranges are relative to it. */
  readonly document: AnalyzedDocument;
  readonly relatedElsewhere?: ReadonlyArray<{ readonly message: string; readonly document: AnalyzedDocument; readonly range: OffsetRange }>;
}

export interface WorkspaceRuleContext {
  readonly options: AnalysisOptions;
  /** As `RuleContext.aspects`. */
  readonly aspects?: Readonly<Record<string, readonly string[]>>;
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
  /** The severity of its findings (the most severe, when some are milder). */
  readonly severity: Severity;
  /**
   * Milder severities some of its findings have (a read-only mount beside a writable one), each
   * for a weaker form the guidance describes. A finding at a severity not declared here is a bug
   * (the analysis reports the rule as failed), so hovers, `sbd rules`, the docs and SARIF can
   * say which severities the rule's findings have.
   */
  readonly milderSeverities?: readonly Severity[];
  readonly title: string;
  /** File kinds the rule looks at. */
  readonly kinds: readonly FileKind[];
  readonly guidance: RuleGuidance;
  /** Whether findings come with a quick fix (checked by the fixture tests). */
  readonly hasFix: boolean;
  /** Names of peers' equivalent rules, for cross-reference in docs and SARIF. */
  readonly peers?: readonly string[];
  /** Thresholds the rule's check reads (through `parameterValue`); docs, settings and validation come from these. */
  readonly parameters?: readonly RuleParameter[];
  /**
   * Parts of the check a standard's control may ask for alone (TCB011's seccomp profile, of the
   * whole hardening baseline): ids for `RuleSetting.aspects` and `ReportInput.aspect`, titles for docs.
   */
  readonly aspects?: readonly RuleAspect[];
  /**
   * What `checkCompose` reads: `'service'` when each finding it reports about a service follows
   * from that service's own definition and the document outside `services:` (top-level networks,
   * volumes, secrets, `x-` blocks and the anchors it merges), reported while the rule visits that
   * service, in service order. Its findings for a service are then kept and reused while that
   * text is unchanged (the analysis runs it on one service at a time, so it must not read
   * anything that walks the whole document, such as `defaultedInterpolations`: that would be
   * paid once per service). Absent: the rule compares services (shared volumes, one finding per
   * image) and runs on the whole document every time.
   */
  readonly composeScope?: 'service';
  /**
   * For a service-scoped rule that also reads a fact of the whole document (the names set or
   * interpolated anywhere in the file): that fact as text, from the whole document's model. Its
   * findings for a service are reused only while this text is unchanged too.
   */
  composeContext?(model: ComposeModel): string;
  checkCompose?(model: ComposeModel, context: RuleContext): void;
  checkKubernetes?(object: KubernetesObject, context: RuleContext): void;
  checkArchitecture?(model: ArchitectureModel, context: RuleContext): void;
  /** Cross-document and cross-file checks, run over every analysed document of the workspace. */
  checkWorkspace?(documents: readonly AnalyzedDocument[], context: WorkspaceRuleContext): void;
}

/** One aspect of a rule's check: `{ id: 'seccomp', title: 'no seccomp profile' }`. */
export interface RuleAspect {
  /** camelCase, unique within the rule. */
  readonly id: string;
  /** What a finding about it reports, as docs list it. */
  readonly title: string;
}

/** Whether `context` asks for `aspect` of its rule (every aspect when no profile narrows it). */
export function asksFor(context: Pick<RuleContext, 'aspects'>, aspect: string): boolean {
  return context.aspects === undefined || Object.hasOwn(context.aspects, aspect);
}

/**
 * A rule's numeric parameter, declared next to its check as kube-linter declares a template's
 * parameters: the key under `thresholds:` (`.sbd.yaml`, `secureByDesign.thresholds`), default,
 * bounds, unit and meaning. Several rules may read one parameter: each lists the same object.
 */
export type RuleParameter = ThresholdParameter;

export function defineParameter(parameter: RuleParameter): RuleParameter {
  const { name, minimum, maximum } = parameter;
  if (!/^[a-z][A-Za-z]*$/.test(name)) throw new Error(`parameter name ${name} must be camelCase`);
  if (!Number.isInteger(parameter.default) || parameter.default < minimum || parameter.default > maximum) throw new Error(`parameter ${name}: default ${parameter.default} is not a whole number from ${minimum} to ${maximum}`);
  return parameter;
}

/** The value of a parameter in effect: the user's setting, else the declared default. */
export function parameterValue(options: AnalysisOptions, parameter: RuleParameter): number {
  return ownValue(options.thresholds, parameter.name) ?? parameter.default;
}

/** The severities a rule's findings can have, most severe first. */
export function ruleSeverities(rule: Pick<Rule, 'severity' | 'milderSeverities'>): readonly Severity[] {
  return [rule.severity, ...(rule.milderSeverities ?? [])];
}

/** `error`, or `error or warning` for a rule with milder findings: what docs and `sbd rules` print. */
export function severityLabel(rule: Pick<Rule, 'severity' | 'milderSeverities'>): string {
  return ruleSeverities(rule).join(' or ');
}

/**
 * Checks a rule's metadata. A rule that reads Threagile models runs its `checkArchitecture` on
 * each whole Threagile model of the workspace (a model may span several files through
 * `includes:`), after any workspace check of its own.
 */
export function defineRule(rule: Rule): Rule {
  if (!isRuleId(rule.id) || !rule.id.startsWith(rule.pattern) || !/^\d{3}$/.test(rule.id.slice(rule.pattern.length))) throw new Error(`rule id ${rule.id} must be ${rule.pattern} followed by three digits`);
  const order: readonly Severity[] = ['error', 'warning', 'info'];
  if (rule.milderSeverities?.some((milder) => order.indexOf(milder) <= order.indexOf(rule.severity))) throw new Error(`rule ${rule.id}: milderSeverities must be milder than ${rule.severity}`);
  const aspectIds = (rule.aspects ?? []).map((aspect) => aspect.id);
  if (aspectIds.some((id, index) => !/^[a-z][A-Za-z]*$/.test(id) || aspectIds.indexOf(id) !== index)) throw new Error(`rule ${rule.id}: aspect ids must be camelCase and unique`);
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
