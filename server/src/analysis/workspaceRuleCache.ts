import type { AnalysisOptions } from '../core/options';
import type { OffsetRange } from '../core/types';
import type { AnalyzedDocument } from '../model/documents';
import type { ComposeModel } from '../model/compose';
import type { KubernetesObject } from '../model/kubernetes';
import type { ArchitectureModel } from '../model/architecture';
import type { Rule, WorkspaceReportInput } from '../rules/rule';

/**
 * What lets a workspace rule's findings be reused across edits: each rule runs on recording views of
 * the documents (`RuleRun`), and its findings are kept with the models, offsets and file list it read
 * (`WorkspaceRuleCache`); the next run reuses them while those are the same objects. Used by
 * `runWorkspaceRules` (analyze.ts).
 */

/** What a workspace rule read of one document (bits). */
const READ_COMPOSE = 1;
const READ_KUBERNETES = 2;
const READ_ARCHITECTURE = 4;
const READ_OFFSET = 8;

/** A finding a rule reported, with documents as indices into the run's document list. */
export interface RecordedReport {
  readonly document: number;
  readonly input: Omit<WorkspaceReportInput, 'document' | 'relatedElsewhere' | 'tree'>;
  readonly elsewhere: ReadonlyArray<{ readonly message: string; readonly document: number; readonly range: OffsetRange }>;
}

/**
 * A document as one rule run sees it: reading its models or its offset is noted, so the run can
 * tell later whether a new workspace differs in anything the rule looked at.
 */
class ReadDocument implements AnalyzedDocument {
  constructor(
    readonly target: AnalyzedDocument,
    readonly index: number,
    private readonly reads: Uint8Array,
  ) {}

  get file(): string {
    return this.target.file;
  }
  get offset(): number {
    this.reads[this.index] |= READ_OFFSET;
    return this.target.offset;
  }
  get compose(): ComposeModel | undefined {
    this.reads[this.index] |= READ_COMPOSE;
    return this.target.compose;
  }
  get kubernetes(): readonly KubernetesObject[] {
    this.reads[this.index] |= READ_KUBERNETES;
    return this.target.kubernetes;
  }
  get architecture(): ArchitectureModel | undefined {
    this.reads[this.index] |= READ_ARCHITECTURE;
    return this.target.architecture;
  }
}

/** One rule's run: its own view of the documents (so nothing it caches per list is shared with another rule), what it read, what it reported. */
export class RuleRun {
  readonly reads: Uint8Array;
  readonly view: readonly ReadDocument[];
  readFiles = false;
  /** A report named a document that is not one of the run's: the run is not kept. */
  foreign = false;

  constructor(
    readonly documents: readonly AnalyzedDocument[],
    readonly analysedFiles: readonly string[],
  ) {
    this.reads = new Uint8Array(documents.length);
    this.view = documents.map((document, index) => new ReadDocument(document, index, this.reads));
  }

  private indexOf(document: AnalyzedDocument): number {
    if (document instanceof ReadDocument && this.view[document.index] === document) return document.index;
    // Another rule's view of a document (a fact one rule kept and another read back): this run's reads are incomplete.
    this.foreign = true;
    const target = document instanceof ReadDocument ? document.target : document;
    const index = this.documents.indexOf(target);
    if (index === -1) throw new Error('reported on a document that is not in the workspace');
    return index;
  }

  record(input: WorkspaceReportInput): RecordedReport {
    const { document, relatedElsewhere, tree: _tree, ...rest } = input;
    return {
      document: this.indexOf(document),
      input: rest,
      elsewhere: (relatedElsewhere ?? []).map((r) => ({ message: r.message, document: this.indexOf(r.document), range: r.range })),
    };
  }
}

/**
 * The state of the workspace a kept run saw, per document: its file, offset and the identities of
 * its models (`modelId`), never the models themselves, so a kept run holds no replaced document's
 * tree while its successor is parsed.
 */
interface KeptRun {
  readonly files: readonly string[];
  readonly offsets: Float64Array;
  /** Per document, three model ids: compose, Kubernetes objects, architecture. */
  readonly models: Float64Array;
  readonly reads: Uint8Array;
  readonly fileList: string | undefined;
  readonly reports: ReadonlyMap<Rule, readonly RecordedReport[]>;
}

const MODEL_IDS = new WeakMap<object, number>();
let nextModelId = 1;

/** A number that stands for one model object as long as it lives (0: none, or no Kubernetes objects). */
function modelId(model: object | undefined): number {
  if (model === undefined || (Array.isArray(model) && model.length === 0)) return 0;
  let id = MODEL_IDS.get(model);
  if (id === undefined) {
    id = nextModelId++;
    MODEL_IDS.set(model, id);
  }
  return id;
}

/**
 * Per workspace rule (or group of rules that run together), its last run: what it read and what
 * each rule reported (see `runWorkspaceRules`). Held by a long-lived caller (the language
 * server's workspace analysis); new options drop it all.
 */
export class WorkspaceRuleCache {
  private readonly runs = new Map<object, KeptRun>();
  private options: AnalysisOptions | undefined;
  /** How many rules the last `runWorkspaceRules` ran and how many it reused. */
  last = { ran: 0, reused: 0 };

  begin(options: AnalysisOptions): void {
    if (options !== this.options) this.runs.clear();
    this.options = options;
    this.last = { ran: 0, reused: 0 };
  }

  /** Each member's recorded reports when nothing the unit read has changed; undefined when it must run. */
  reusable(unit: object, members: readonly Rule[], documents: readonly AnalyzedDocument[], analysedFiles: readonly string[]): ReadonlyMap<Rule, readonly RecordedReport[]> | undefined {
    const kept = this.runs.get(unit);
    if (!kept || members.some((rule) => !kept.reports.has(rule)) || !sameInputs(kept, documents, analysedFiles)) {
      this.last.ran += members.length;
      return undefined;
    }
    this.last.reused += members.length;
    return kept.reports;
  }

  store(unit: object, run: RuleRun, reports: ReadonlyMap<Rule, readonly RecordedReport[]>): void {
    const documents = run.documents;
    const offsets = new Float64Array(documents.length);
    const models = new Float64Array(documents.length * 3);
    documents.forEach((document, i) => {
      offsets[i] = document.offset;
      models[i * 3] = modelId(document.compose);
      models[i * 3 + 1] = modelId(document.kubernetes);
      models[i * 3 + 2] = modelId(document.architecture);
    });
    this.runs.set(unit, { files: documents.map((document) => document.file), offsets, models, reads: run.reads, fileList: run.readFiles ? run.analysedFiles.join('\n') : undefined, reports });
  }

  forget(unit: object): void {
    this.runs.delete(unit);
  }
}

function sameInputs(kept: KeptRun, documents: readonly AnalyzedDocument[], analysedFiles: readonly string[]): boolean {
  if (kept.files.length !== documents.length) return false;
  if (kept.fileList !== undefined && kept.fileList !== analysedFiles.join('\n')) return false;
  for (let i = 0; i < documents.length; i++) {
    const now = documents[i];
    if (kept.files[i] !== now.file) return false;
    const read = kept.reads[i];
    if (read === 0) continue;
    if (read & READ_COMPOSE && kept.models[i * 3] !== modelId(now.compose)) return false;
    if (read & READ_KUBERNETES && kept.models[i * 3 + 1] !== modelId(now.kubernetes)) return false;
    if (read & READ_ARCHITECTURE && kept.models[i * 3 + 2] !== modelId(now.architecture)) return false;
    if (read & READ_OFFSET && kept.offsets[i] !== now.offset) return false;
  }
  return true;
}

