import { parseSegment, reparseSegment, splitDocuments, type ParsedSegment, type Segment } from '../core/parse';
import { detectKind } from '../core/detect';
import { LineIndex, replacedStretch, shiftRange, type ReplacedStretch } from '../core/positions';
import { utf8ByteLength } from '../core/utf8';
import { findSuppressions, isExpired, type Suppression } from '../core/suppressions';
import { ownValue, type AnalysisOptions } from '../core/options';
import type { FileKind, Finding, Fix, OffsetRange, RelatedLocation, Severity } from '../core/types';
import { MAX_MERGE_DEPTH, type YamlTree } from '../core/tree';
import { isMap } from '../core/yaml';
import { buildComposeModel, carryServiceReadings, type ComposeModel, type ComposeService } from '../model/compose';
import { buildKubernetesObjects, type KubernetesObject } from '../model/kubernetes';
import { buildArchitectureModel } from '../model/buildArchitecture';
import type { ArchitectureModel } from '../model/architecture';
import { SUPPRESSING_RISK_STATUSES, type ThreagileModel } from '../model/threagile';
import { ruleSeverities, type ReportInput, type Rule, type RuleContext, type WorkspaceReportInput } from '../rules/rule';
import { META, type MetaRule } from '../rules/meta';
import type { AnalyzedDocument } from '../model/documents';
import { RuleRun, type RecordedReport, type WorkspaceRuleCache } from './workspaceRuleCache';

/** One YAML document with the model built for its kind. */
export interface SegmentDocument {
  readonly tree: YamlTree;
  readonly kind?: FileKind;
  readonly compose?: ComposeModel;
  readonly kubernetes: readonly KubernetesObject[];
  readonly architecture?: ArchitectureModel;
  /** Findings of the service-scoped compose rules, per service, for the next analysis of this document to reuse. */
  readonly serviceFindings?: ServiceFindings;
}

/**
 * What the service-scoped compose rules (`Rule.composeScope`) found in one compose document, per
 * service, with what each result was read from: a service's result is reused while its own text
 * (from its key's line to one character past its definition) and the document outside
 * `services:` are unchanged, and, when the service holds an alias, while every service that
 * defines an anchor is too. Offsets are relative to the segment, as the document's findings are.
 */
interface ServiceFindings {
  /** The document's text before and after the `services:` map. */
  readonly before: string;
  readonly after: string;
  /** The texts of the services that may define an anchor, in order. */
  readonly anchors: string;
  readonly services: ReadonlyMap<string, CachedService>;
  /** Rules that had a finding outside the service it was reported for (a merged `x-` block): run on the whole document. */
  readonly whole: ReadonlySet<Rule>;
  /** By rule index: what `Rule.composeContext` gave, for the rules that have one. */
  readonly contexts: ReadonlyArray<string | undefined>;
}

interface CachedService {
  /** The service's model, whose readings (`carryServiceReadings`) the next model of the same text reuses. */
  readonly service: ComposeService;
  /** Where `text` starts in the segment. */
  readonly start: number;
  readonly text: string;
  /** What the model read from the service's Dockerfile (`ComposeBuild.dockerfileUser`), as JSON. */
  readonly dockerfile: string;
  /** By the rule's place in the analyzer's rule list. */
  readonly findings: ReadonlyArray<readonly Finding[] | undefined>;
}

/** Everything derived from one segment; all offsets are relative to the segment's start. */
export interface SegmentAnalysis {
  readonly segment: Segment;
  readonly parsed: ParsedSegment;
  readonly documents: readonly SegmentDocument[];
  /** Findings of the per-document rules and parse problems, relative to the segment. */
  readonly findings: readonly Finding[];
  /** Files its models read through the host (a build's Dockerfile), by path relative to the analysed file, with the text read. */
  readonly buildFiles?: ReadonlyMap<string, string | undefined>;
}

/**
 * Reads a file a document refers to (a compose build's Dockerfile) by its path relative to the
 * analysed file's folder; undefined when there is none. Supplied by the host (the CLI reads the
 * disk, the language server its workspace index), so the analysis stays free of I/O.
 */
export type ReadBuildFile = (file: string, relativePath: string) => string | undefined;

export interface FileAnalysis {
  readonly file: string;
  readonly text: string;
  readonly lines: LineIndex;
  readonly segments: readonly SegmentAnalysis[];
  readonly kinds: ReadonlySet<FileKind>;
  /** Per-document findings in file offsets, before suppressions and settings are applied. */
  readonly documentFindings: readonly Finding[];
  readonly suppressions: readonly Suppression[];
  readonly documents: readonly AnalyzedDocument[];
  /** Set when the file was not analysed at all (binary, too large). */
  readonly skippedReason?: string;
}

/** What the analyzer keeps of a file between calls. */
interface CachedFile {
  readonly text: string;
  readonly segments: readonly SegmentAnalysis[];
  readonly byText: Map<string, SegmentAnalysis>;
  /** The text's UTF-8 size, when it was counted (the limit check counts only texts near the limit). */
  readonly bytes?: number;
}

/**
 * The analysis pipeline: text → segments → parse → detect kind → model → rules → findings.
 * Results are cached per segment text, so an edit re-parses and re-checks only the documents it
 * touched, and within the edited document only the block collection the edit fell in is parsed
 * again (`reparseSegment`); results are kept relative to their segment and rebased on output.
 * Within an edited compose document, the service-scoped rules re-check only the services whose
 * text or context changed (`ServiceRuns`); the others' findings are reused, moved by the edit.
 */
export class Analyzer {
  private readonly cache = new Map<string, CachedFile>();
  private cachedOptions: AnalysisOptions | undefined;

  constructor(
    readonly rules: readonly Rule[],
    private readonly readBuildFile?: ReadBuildFile,
  ) {}

  /** Whether the files a cached segment read still hold the text it saw. */
  buildFilesCurrent(file: string, segment: SegmentAnalysis): boolean {
    if (!segment.buildFiles) return true;
    for (const [relativePath, text] of segment.buildFiles) if (this.readBuildFile?.(file, relativePath) !== text) return false;
    return true;
  }

  /** `bytes`: the file's size on disk when the host read only part of it (over the limit). */
  analyzeFile(file: string, text: string, options: AnalysisOptions, bytes?: number): FileAnalysis {
    if (options !== this.cachedOptions) {
      this.cache.clear();
      this.cachedOptions = options;
    }
    const counted = bytes === undefined ? utf8Size(text, options, this.cache.get(file)) : undefined;
    const skippedReason = reasonNotToAnalyse(text, options, bytes ?? counted);
    if (skippedReason) {
      this.cache.delete(file);
      const finding = metaFinding(META.notAnalysed, `File not analysed: ${skippedReason}.`, { start: 0, end: 0 });
      return { file, text, lines: new LineIndex(text), segments: [], kinds: new Set(), documentFindings: [finding], suppressions: [], documents: [], skippedReason };
    }
    const previous = this.cache.get(file);
    // The same text is the same analysis, unless a Dockerfile one of its builds read has changed.
    if (previous?.text === text && previous.segments.every((segment) => this.buildFilesCurrent(file, segment))) return assembleFile(file, text, [...previous.segments]);
    const next = new Map<string, SegmentAnalysis>();
    const reused: Array<SegmentAnalysis | Segment> = [];
    for (const segment of splitDocuments(text)) {
      const cached = previous?.byText.get(segment.text);
      if (!cached || !this.buildFilesCurrent(file, cached)) {
        reused.push(segment);
        continue;
      }
      const analysis = cached.segment.start === segment.start ? cached : { ...cached, segment };
      next.set(segment.text, analysis);
      reused.push(analysis);
    }
    const edit = previous ? replacedStretch(previous.text, text) : undefined;
    // Let go of the replaced documents' trees before parsing their successors: a huge document
    // would otherwise be held twice while it is re-parsed on every keystroke.
    this.cache.delete(file);
    const segments: SegmentAnalysis[] = [];
    for (const item of reused) {
      if ('parsed' in item) {
        segments.push(item);
        continue;
      }
      const repeated = next.get(item.text);
      const read = this.readBuildFile;
      const spliced = previous && edit ? reparsed(previous, next, item, edit) : undefined;
      const before = previous?.segments.find((candidate) => candidate.segment.start === item.start);
      const analysis = repeated ? { ...repeated, segment: item } : analyzeSegment(item, this.rules, options, read && ((relativePath) => read(file, relativePath)), spliced, before);
      next.set(item.text, analysis);
      segments.push(analysis);
    }
    this.cache.set(file, { text, segments, byText: next, bytes: counted });
    return assembleFile(file, text, segments);
  }

  forget(file: string): void {
    this.cache.delete(file);
  }
}

/**
 * The new segment's parse by splicing into the old segment the edit fell in, when that segment
 * starts at the same place, the edit lies inside it and nothing else shares its tree (which
 * `reparseSegment` changes in place); otherwise undefined (parse it whole).
 */
function reparsed(previous: CachedFile, reusedByText: ReadonlyMap<string, SegmentAnalysis>, segment: Segment, edit: ReplacedStretch): ParsedSegment | undefined {
  const old = previous.segments.find((candidate) => candidate.segment.start === segment.start);
  if (!old) return undefined;
  const oldEnd = old.segment.start + old.segment.text.length;
  if (edit.start <= old.segment.start || edit.end >= oldEnd) return undefined;
  if (reusedByText.has(old.segment.text) || previous.segments.some((other) => other !== old && other.parsed === old.parsed)) return undefined;
  const local: ReplacedStretch = { start: edit.start - segment.start, end: edit.end - segment.start, insertedLength: edit.insertedLength };
  return reparseSegment(old.parsed, segment, local);
}

/**
 * The text's size in UTF-8 bytes as the limit needs it: at least one and at most three per UTF-16
 * unit, so only a text between a third of the limit and the limit is counted; a keystroke in such
 * a text counts only the stretch it replaced (a 1.5 MB manifest is not walked per keystroke).
 */
function utf8Size(text: string, options: AnalysisOptions, previous: CachedFile | undefined): number | undefined {
  if (text.length * 3 <= options.maxFileBytes || text.length > options.maxFileBytes) return undefined;
  if (previous?.bytes === undefined) return utf8ByteLength(text);
  const before = previous.text;
  let { start, end, insertedLength } = replacedStretch(before, text);
  // Widened so that no surrogate pair is cut at either end: the three parts then count separately.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) {
    start--;
    insertedLength++;
  }
  if (end < before.length && isLowSurrogate(before.charCodeAt(end))) {
    end++;
    insertedLength++;
  }
  return previous.bytes - utf8ByteLength(before.slice(start, end)) + utf8ByteLength(text.slice(start, start + insertedLength));
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

function reasonNotToAnalyse(text: string, options: AnalysisOptions, knownBytes?: number): string | undefined {
  const bytes = knownBytes ?? text.length;
  if (bytes > options.maxFileBytes) {
    return `it is ${formatSize(bytes)}, over the ${formatSize(options.maxFileBytes)} limit (raise maxFileBytes in .sbd.yaml to analyse it)`;
  }
  const probe = text.slice(0, 8192);
  if (probe.includes('\u0000') || /\uFFFD{4,}/.test(probe)) return 'it looks like binary data, not YAML text';
  return undefined;
}

function formatSize(length: number): string {
  return length >= 1024 * 1024 ? `${(length / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(length / 1024)} KB`;
}

/** `before`: the analysis of the segment this one replaces, whose per-service findings are reused where they still hold. */
function analyzeSegment(segment: Segment, rules: readonly Rule[], options: AnalysisOptions, readBuildFile?: (relativePath: string) => string | undefined, spliced?: ParsedSegment, before?: SegmentAnalysis): SegmentAnalysis {
  const parsed = spliced ?? parseSegment(segment);
  let buildFiles: Map<string, string | undefined> | undefined;
  const recordingReader = readBuildFile && ((relativePath: string) => {
    const text = readBuildFile(relativePath);
    (buildFiles ??= new Map()).set(relativePath, text);
    return text;
  });
  const findings: Finding[] = [];
  for (const problem of parsed.problems) {
    const meta = problem.code === 'DUPLICATE_KEY' ? META.duplicateKey : META.syntax;
    findings.push(metaFinding(meta, problem.message, problem.range, problem.severity === 'warning' ? 'warning' : meta.severity));
  }
  const documents: SegmentDocument[] = [];
  for (const [index, tree] of parsed.trees.entries()) {
    const kind = detectKind(tree);
    const compose = kind === 'compose' ? buildComposeModel(tree, recordingReader) : undefined;
    const serviceFindings = compose ? new ServiceRuns(compose, before?.documents[index]?.serviceFindings) : undefined;
    const document: SegmentDocument = {
      tree,
      kind,
      compose,
      kubernetes: kind === 'kubernetes' ? buildKubernetesObjects(tree) : [],
      architecture: kind === 'architecture' || kind === 'threagile' ? buildArchitectureModel(tree, kind) : undefined,
    };
    if (kind) runDocumentRules(document, rules, options, findings, serviceFindings);
    documents.push(serviceFindings?.decomposed ? { ...document, serviceFindings: serviceFindings.result() } : document);
    if (document.architecture?.threagile) findings.push(...riskTrackingProblems(document.architecture.threagile));
    if (tree.mergeTooDeep) findings.push(metaFinding(META.mergeTooDeep, `This map's \`<<\` merge chain is more than ${MAX_MERGE_DEPTH} levels deep; keys merged beyond that are not checked. Flatten the anchors.`, tree.mergeTooDeep));
  }
  return { segment, parsed, documents, findings, buildFiles };
}

/** A tracked Threagile risk without a justification is a suppression without a reason (it suppresses nothing). */
function riskTrackingProblems(model: ThreagileModel): Finding[] {
  return model.riskTracking
    .filter((entry) => (entry.justification?.value.trim() ?? '') === '' && entry.status && SUPPRESSING_RISK_STATUSES.has(entry.status.value))
    .map((entry) =>
      metaFinding(META.suppressionWithoutReason, `Risk tracking of ${entry.pattern} (${entry.status!.value}) has no justification, so it suppresses nothing: add justification: why this is acceptable.`, entry.range),
    );
}

function runDocumentRules(document: SegmentDocument, rules: readonly Rule[], options: AnalysisOptions, findings: Finding[], services?: ServiceRuns): void {
  for (const [index, rule] of rules.entries()) {
    const setting = ownValue(options.rules, rule.id);
    if (setting?.enabled === false || (setting?.kinds && document.kind && !setting.kinds.includes(document.kind))) continue;
    const aspects = setting?.aspects;
    // A finding about one aspect its setting does not ask for (a profile's control) is left out.
    const shown = (input: ReportInput): Finding | undefined => {
      const finding = toFinding(rule, input);
      return !input.aspect || !aspects || Object.hasOwn(aspects, input.aspect) ? finding : undefined;
    };
    if (document.compose && rule.checkCompose && rule.composeScope === 'service' && services?.run(rule, index, { options, aspects }, shown, findings)) continue;
    const context: RuleContext = {
      options,
      aspects,
      report: (input) => {
        const finding = shown(input);
        if (finding) findings.push(finding);
      },
    };
    try {
      if (document.compose && rule.checkCompose) rule.checkCompose(document.compose, context);
      if (rule.checkKubernetes) for (const object of document.kubernetes) rule.checkKubernetes(object, context);
      // Threagile models may span files (includes), so their rules run on whole models in the workspace pass.
      if (document.architecture?.dialect === 'securebydesign' && rule.checkArchitecture) rule.checkArchitecture(document.architecture, context);
    } catch (error) {
      findings.push(ruleFailure(rule, error, document.tree.root?.range?.[0] ?? 0));
    }
  }
}

/** A service of the document with what its findings are read from. */
interface ServiceSlot {
  readonly service: ComposeService;
  /** The service's text from its key's line to one character past its definition, and where that starts. */
  readonly start: number;
  readonly text: string;
  /** The last offset a finding about the service alone may touch (the end of its definition). */
  readonly end: number;
  readonly dockerfile: string;
  /** Its cached findings, when they still hold. */
  readonly cached?: CachedService;
  /** A one-service view of the model the rules run on. */
  readonly model: ComposeModel;
}

/** Anchor and alias marks (`&name`, `*name`) where YAML allows a node property; quoted text may match too, which only costs a reuse. */
const ANCHOR_MARK = /(?:^|[\s[{,])&\S/m;
const ALIAS_MARK = /(?:^|[\s[{,])\*\S/m;

/**
 * Runs service-scoped compose rules (`Rule.composeScope: 'service'`) on one compose document one
 * service at a time, reusing the previous analysis's findings for services whose text and context
 * are unchanged. The findings are those of a run on the whole model: each rule reports a service's
 * findings while visiting it, in service order, so concatenating the one-service runs gives the
 * same list. That holds only while every finding stays inside its service's own definition: a
 * finding elsewhere (a merged `x-` block two services share, which a rule reports once) sends the
 * rule back to the whole model. Documents with two services of one name, or a `services:` map
 * with a duplicate key or a `<<` merge, are not split at all.
 */
class ServiceRuns {
  readonly decomposed: boolean;
  private readonly slots: ServiceSlot[] = [];
  private readonly before: string = '';
  private readonly after: string = '';
  private readonly anchors: string = '';
  /** Per slot, by rule index: what this analysis found or reused. */
  private readonly fresh: Array<Array<readonly Finding[] | undefined>> = [];
  private readonly whole = new Set<Rule>();
  private readonly previousWhole: ReadonlySet<Rule>;
  private readonly contexts: Array<string | undefined> = [];
  private readonly previousContexts: ReadonlyArray<string | undefined> = [];

  constructor(private readonly model: ComposeModel, previous: ServiceFindings | undefined) {
    const tree = model.tree;
    const text = tree.text;
    const map = tree.get(model.root, 'services');
    const names = new Set(model.services.map((service) => service.name));
    // Every entry of the map is a service of the model (no duplicate key the model leaves out, no
    // `<<` merge into the map), so every text an anchor may sit in is a service's or outside the map.
    this.decomposed = isMap(map) && map.range !== undefined && map.range !== null && map.items.length === model.services.length && names.size === model.services.length;
    this.previousWhole = new Set();
    if (!this.decomposed) return;
    this.before = text.slice(0, map!.range![0]);
    this.after = text.slice(map!.range![2]);
    const anchors: string[] = [];
    const pending: Array<Omit<ServiceSlot, 'cached'>> = [];
    for (const service of model.services) {
      const keyStart = service.keyRange.start;
      const end = Math.max(service.key.range?.[2] ?? keyStart, service.node?.range?.[2] ?? keyStart);
      const start = text.lastIndexOf('\n', keyStart - 1) + 1;
      const slot = { service, start, end, text: text.slice(start, end + 1), dockerfile: JSON.stringify(service.build?.dockerfileUser) ?? '', model: { ...model, services: [service], document: model } };
      if (ANCHOR_MARK.test(slot.text)) anchors.push(`${service.name}\u0000${slot.text}`);
      pending.push(slot);
    }
    this.anchors = anchors.join('\u0000');
    const contextHolds = previous !== undefined && previous.before === this.before && previous.after === this.after;
    if (contextHolds) {
      this.previousWhole = previous.whole;
      this.previousContexts = previous.contexts;
    }
    for (const slot of pending) {
      const old = contextHolds ? previous.services.get(slot.service.name) : undefined;
      const holds = old !== undefined && old.text === slot.text && old.dockerfile === slot.dockerfile && (previous!.anchors === this.anchors || !ALIAS_MARK.test(slot.text));
      if (holds) carryServiceReadings(old.service, slot.service);
      this.slots.push(holds ? { ...slot, cached: old } : slot);
    }
  }

  /**
   * Appends the rule's findings to `findings` and answers true; false when the rule must run on
   * the whole model instead (nothing appended then).
   */
  run(rule: Rule, index: number, base: Omit<RuleContext, 'report'>, shown: (input: ReportInput) => Finding | undefined, findings: Finding[]): boolean {
    if (!this.decomposed || this.previousWhole.has(rule)) {
      this.whole.add(rule);
      return false;
    }
    const results: Array<readonly Finding[]> = [];
    const documentFact = rule.composeContext?.(this.model);
    this.contexts[index] = documentFact;
    const reusable = documentFact === this.previousContexts[index];
    let own: Finding[] = [];
    const context: RuleContext = {
      ...base,
      report: (input) => {
        const finding = shown(input);
        if (finding) own.push(finding);
      },
    };
    for (const slot of this.slots) {
      const cached = reusable ? slot.cached?.findings[index] : undefined;
      if (cached) {
        const delta = slot.start - slot.cached!.start;
        results.push(delta === 0 ? cached : cached.map((finding) => shiftFinding(finding, delta)));
        continue;
      }
      own = [];
      try {
        rule.checkCompose!(slot.model, context);
      } catch {
        // The whole-model run reports the failure as it always has.
        this.whole.add(rule);
        return false;
      }
      if (!own.every((finding) => findingWithin(finding, slot.start, slot.end))) {
        this.whole.add(rule);
        return false;
      }
      results.push(own);
    }
    results.forEach((list, slot) => {
      (this.fresh[slot] ??= [])[index] = list;
      for (const finding of list) findings.push(finding);
    });
    return true;
  }

  /** What the next analysis of the document may reuse. */
  result(): ServiceFindings {
    const services = new Map<string, CachedService>();
    this.slots.forEach((slot, index) => services.set(slot.service.name, { service: slot.service, start: slot.start, text: slot.text, dockerfile: slot.dockerfile, findings: this.fresh[index] ?? [] }));
    return { before: this.before, after: this.after, anchors: this.anchors, services, whole: this.whole, contexts: this.contexts };
  }
}

/** Whether every offset a finding holds (its range, related places, fix edits) lies in [start, end]. */
function findingWithin(finding: Finding, start: number, end: number): boolean {
  const within = (range: OffsetRange) => range.start >= start && range.end <= end;
  return within(finding.range) && (finding.related ?? []).every((related) => related.file === undefined && within(related.range)) && (finding.fixes ?? []).every((fix) => fix.edits.every(within));
}

function ruleFailure(rule: Rule, error: unknown, at: number): Finding {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return metaFinding(META.ruleFailed, `Rule ${rule.id} failed on this document (${reason}); the other rules still ran.`, { start: at, end: at });
}

function toFinding(rule: Rule, input: ReportInput): Finding {
  if (input.severity !== undefined && !ruleSeverities(rule).includes(input.severity)) throw new Error(`reported at ${input.severity}, which the rule does not declare`);
  if (input.aspect !== undefined && !rule.aspects?.some((aspect) => aspect.id === input.aspect)) throw new Error(`reported aspect ${input.aspect}, which the rule does not declare`);
  return {
    ruleId: rule.id,
    severity: input.severity ?? rule.severity,
    pattern: rule.pattern,
    message: input.message,
    range: input.range,
    related: input.related,
    fixes: input.fixes && input.fixes.length > 0 ? input.fixes : undefined,
  };
}

export function metaFinding(meta: MetaRule, message: string, range: OffsetRange, severity: Severity = meta.severity): Finding {
  return { ruleId: meta.id, severity, message, range };
}

function assembleFile(file: string, text: string, segments: SegmentAnalysis[]): FileAnalysis {
  const kinds = new Set<FileKind>();
  const documentFindings: Finding[] = [];
  const documents: AnalyzedDocument[] = [];
  for (const analysis of segments) {
    const offset = analysis.segment.start;
    for (const finding of analysis.findings) documentFindings.push(shiftFinding(finding, offset));
    for (const document of analysis.documents) {
      if (!document.kind) continue;
      kinds.add(document.kind);
      documents.push({ file, offset, compose: document.compose, kubernetes: document.kubernetes, architecture: document.architecture });
    }
  }
  return { file, text, lines: new LineIndex(text), segments, kinds, documentFindings, suppressions: text.includes('sbd-ignore') ? findSuppressions(text) : [], documents };
}

export function shiftFinding(finding: Finding, delta: number): Finding {
  if (delta === 0) return finding;
  return {
    ...finding,
    range: shiftRange(finding.range, delta),
    related: finding.related?.map((related) => (related.file ? related : { ...related, range: shiftRange(related.range, delta) })),
    fixes: finding.fixes?.map((fix) => shiftFix(fix, delta)),
  };
}

function shiftFix(fix: Fix, delta: number): Fix {
  return { ...fix, edits: fix.edits.map((edit) => ({ ...edit, start: edit.start + delta, end: edit.end + delta })) };
}

/**
 * Cross-document and cross-file rules over every analysed document. Returns findings per file,
 * in file offsets, before suppressions.
 *
 * With a `cache` (kept by the caller between runs over the same workspace), a rule whose inputs
 * are unchanged is not run again: its last findings are placed at the documents' current offsets.
 * A rule's inputs are what it read of each document (its compose model, Kubernetes objects,
 * architecture model, offset), the list of files when it read that, and the options; models
 * are cached per document text by the Analyzer, so an unchanged document has the very same model
 * objects, and comparing identities tells whether the rule could see a change. The findings are
 * the ones a run would give (rules are pure functions of what they read). Rules that share facts
 * cached per document list (the Threagile models, `threagileModelsOf`) run together on one view
 * and are reused or run again together.
 */
export function runWorkspaceRules(files: readonly FileAnalysis[], rules: readonly Rule[], options: AnalysisOptions, cache?: WorkspaceRuleCache): Map<string, Finding[]> {
  const byFile = new Map<string, Finding[]>();
  const documents = files.flatMap((file) => file.documents);
  const analysedFiles = files.map((file) => file.file);
  const add = (file: string, finding: Finding) => {
    const list = byFile.get(file) ?? [];
    list.push(finding);
    byFile.set(file, list);
  };
  const place = (rule: Rule, document: AnalyzedDocument, input: Omit<WorkspaceReportInput, 'document' | 'relatedElsewhere'>, elsewhere: ReadonlyArray<{ readonly message: string; readonly document: AnalyzedDocument; readonly range: OffsetRange }>) => {
    // A profile's rule settings narrow what is shown: the kinds of file its standard judges, the aspects its controls ask for.
    const { kinds, aspects } = ownValue(options.rules, rule.id) ?? {};
    if (kinds && !kinds.includes(documentKind(document))) return;
    if (input.aspect && aspects && !Object.hasOwn(aspects, input.aspect)) return;
    const offset = document.offset;
    const related: RelatedLocation[] = [
      ...(input.related ?? []).map((r) => ({ message: r.message, range: shiftRange(r.range, offset) })),
      ...elsewhere.map((r) => ({ message: r.message, range: shiftRange(r.range, r.document.offset), file: r.document.file === document.file ? undefined : r.document.file })),
    ];
    const finding = toFinding(rule, { ...input, related: related.length > 0 ? related : undefined });
    add(document.file, { ...finding, range: shiftRange(finding.range, offset), fixes: finding.fixes?.map((fix) => shiftFix(fix, offset)) });
  };
  const enabled = rules.filter((rule) => rule.checkWorkspace && ownValue(options.rules, rule.id)?.enabled !== false);
  if (!cache) {
    for (const rule of enabled) {
      try {
        rule.checkWorkspace!(documents, { options, analysedFiles, aspects: ownValue(options.rules, rule.id)?.aspects, report: (input) => place(rule, input.document, input, input.relatedElsewhere ?? []) });
      } catch (error) {
        const first = files[0];
        if (first) add(first.file, ruleFailure(rule, error, 0));
      }
    }
    return byFile;
  }
  cache.begin(options);
  const outcomes = new Map<Rule, { readonly reports: readonly RecordedReport[]; readonly error?: unknown }>();
  for (const rule of enabled) {
    if (!outcomes.has(rule)) runUnit(unitOf(rule), enabled, documents, analysedFiles, options, cache, outcomes);
    const outcome = outcomes.get(rule)!;
    for (const report of outcome.reports) {
      place(rule, documents[report.document], report.input, report.elsewhere.map((r) => ({ message: r.message, range: r.range, document: documents[r.document] })));
    }
    if (outcome.error !== undefined) {
      const first = files[0];
      if (first) add(first.file, ruleFailure(rule, outcome.error, 0));
    }
  }
  return byFile;
}

/** The kind of file an analysed document was read as. */
function documentKind(document: AnalyzedDocument): FileKind {
  if (document.compose) return 'compose';
  if (document.architecture) return document.architecture.dialect === 'threagile' ? 'threagile' : 'architecture';
  return 'kubernetes';
}

/** Rules that read the Threagile models, which `threagileModelsOf` caches per document list for all of them. */
const THREAGILE_MODELS = { unit: 'rules reading the Threagile models' };

/** The rules that run on one view and are reused together: the rule itself, or the Threagile group. */
function unitOf(rule: Rule): object {
  return rule.kinds.includes('threagile') && rule.checkArchitecture ? THREAGILE_MODELS : rule;
}

/** Reuses or runs every enabled rule of `unit`, and notes each one's reports (and error) in `outcomes`. */
function runUnit(unit: object, enabled: readonly Rule[], documents: readonly AnalyzedDocument[], analysedFiles: readonly string[], options: AnalysisOptions, cache: WorkspaceRuleCache, outcomes: Map<Rule, { readonly reports: readonly RecordedReport[]; readonly error?: unknown }>): void {
  const members = enabled.filter((rule) => unitOf(rule) === unit);
  const reused = cache.reusable(unit, members, documents, analysedFiles);
  if (reused) {
    for (const rule of members) outcomes.set(rule, { reports: reused.get(rule) ?? [] });
    return;
  }
  const run = new RuleRun(documents, analysedFiles);
  const byRule = new Map<Rule, RecordedReport[]>();
  let failed = false;
  for (const rule of members) {
    const reports: RecordedReport[] = [];
    byRule.set(rule, reports);
    try {
      rule.checkWorkspace!(run.view, {
        options,
        aspects: ownValue(options.rules, rule.id)?.aspects,
        get analysedFiles() {
          run.readFiles = true;
          return analysedFiles;
        },
        report: (input: WorkspaceReportInput) => {
          // A finding the rule may not report fails the rule here, as it would without the cache.
          toFinding(rule, input);
          reports.push(run.record(input));
        },
      });
      outcomes.set(rule, { reports });
    } catch (error) {
      failed = true;
      outcomes.set(rule, { reports, error });
    }
  }
  if (failed || run.foreign) cache.forget(unit);
  else cache.store(unit, run, byRule);
}

/**
 * Applies settings (rules off, severity overrides) and suppressions, and reports suppressions
 * that need attention. The result is what users see.
 */
export function finalizeFindings(file: FileAnalysis, raw: readonly Finding[], options: AnalysisOptions, knownRuleIds: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  const lineSuppressions = new Map<number, Suppression[]>();
  const fileSuppressions: Suppression[] = [];
  for (const suppression of file.suppressions) {
    const problem = suppressionProblem(suppression, options, knownRuleIds);
    if (problem) out.push(problem);
    if (!suppression.reason || suppression.problem || isExpired(suppression, options.today)) continue;
    if (suppression.scope === 'file') fileSuppressions.push(suppression);
    else {
      const list = lineSuppressions.get(suppression.targetLine) ?? [];
      list.push(suppression);
      lineSuppressions.set(suppression.targetLine, list);
    }
  }
  for (const finding of raw) {
    const setting = ownValue(options.rules, finding.ruleId);
    if (setting?.enabled === false) continue;
    if (finding.pattern && isSuppressed(finding, file, lineSuppressions, fileSuppressions)) continue;
    out.push(setting?.severity ? { ...finding, severity: setting.severity } : finding);
  }
  return out.sort((a, b) => a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId));
}

function isSuppressed(finding: Finding, file: FileAnalysis, byLine: Map<number, Suppression[]>, fileWide: Suppression[]): boolean {
  if (fileWide.some((s) => s.ruleIds.includes(finding.ruleId))) return true;
  if (byLine.size === 0) return false;
  const line = file.lines.positionAt(finding.range.start).line;
  return byLine.get(line)?.some((s) => s.ruleIds.includes(finding.ruleId)) ?? false;
}

function suppressionProblem(suppression: Suppression, options: AnalysisOptions, known: ReadonlySet<string>): Finding | undefined {
  const ids = suppression.ruleIds.join(', ') || '(no rule id)';
  if (suppression.ruleIds.length === 0) {
    return metaFinding(META.suppressionUnknownRule, 'This suppression names no rule: write `# sbd-ignore RULE-ID reason="…"`.', suppression.range);
  }
  const unknown = suppression.ruleIds.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    return metaFinding(META.suppressionUnknownRule, `Unknown rule ${unknown.join(', ')} in suppression; it suppresses nothing (run \`sbd rules\` for the list).`, suppression.range);
  }
  if (!suppression.reason) {
    const message = suppression.placeholderReason
      ? `Suppression of ${ids} gives the placeholder "${suppression.placeholderReason}" as its reason, so it suppresses nothing: write why the finding is acceptable here.`
      : `Suppression of ${ids} has no reason, so it suppresses nothing: write in reason="…" why the finding is acceptable here.`;
    return metaFinding(META.suppressionWithoutReason, message, suppression.range);
  }
  if (suppression.problem) {
    return metaFinding(META.suppressionMalformed, `Suppression of ${ids} is malformed, so it suppresses nothing: ${suppression.problem}.`, suppression.range);
  }
  if (isExpired(suppression, options.today)) {
    return metaFinding(META.suppressionExpired, `Suppression of ${ids} expired on ${suppression.until}; the finding is reported again.`, suppression.range);
  }
  return undefined;
}
