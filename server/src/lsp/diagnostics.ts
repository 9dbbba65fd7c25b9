import {
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  type Diagnostic,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  type WorkspaceDiagnosticParams,
  type WorkspaceDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import type { ServerContext } from './context';
import type { Finding } from '../core/types';
import { isValidUri, toDiagnostic } from './convert';
import { META } from '../rules/meta';

/** How soon after its close a reopened document may have lost its pull (ms); a pull takes far less. */
const REOPEN_WINDOW_MS = 30_000;
/** When a quick reopen's refresh is sent again (ms after the reopen). */
const REOPEN_REFRESH_RETRIES_MS = [1_000, 4_000];

export interface DiagnosticsOptions {
  /** The client pulls diagnostics (textDocument/diagnostic); then the server does not also push them. */
  readonly pull: boolean;
  /** The client accepts workspace/diagnostic/refresh. */
  readonly refreshSupport: boolean;
  debounceMs(): number;
  /** Called after every round of publishing with the total finding count. */
  onPublished(findings: number, files: number): void;
}

/**
 * Turns findings into diagnostics. Edits are debounced per document and only the newest version
 * is analysed: a pending analysis of a superseded version is dropped, and cross-file republishing
 * runs in slices, so the server keeps answering while it works.
 */
export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** What was last sent per URI, to skip identical publishes and to total the status count. */
  private readonly sent = new Map<string, SentDiagnostics>();

  constructor(
    private readonly context: ServerContext,
    private readonly options: DiagnosticsOptions,
  ) {}

  /** When each document was last closed (ms since the epoch), to recognise a close followed by a quick reopen. */
  private readonly closedAt = new Map<string, number>();

  /** A freshly opened document is analysed at once: the first look should not wait. */
  opened(uri: string): void {
    this.cancelTimer(uri);
    this.analyseNow(uri);
    const closed = this.closedAt.get(uri);
    this.closedAt.delete(uri);
    // vscode-languageclient 9 never pulls a document reopened while the pull that followed its close
    // is still out (microsoft/vscode-languageserver-node#1821): the editor would show no findings
    // until the next edit. A refresh handled after that pull makes it pull the new one; on a loaded
    // machine the first refresh can overtake the stale pull, so it is repeated twice, later. A
    // refresh costs one cached answer per open document.
    if (closed !== undefined && Date.now() - closed < REOPEN_WINDOW_MS && this.options.pull && this.options.refreshSupport) {
      void this.context.connection.languages.diagnostics.refresh();
      for (const delay of REOPEN_REFRESH_RETRIES_MS) {
        const timer = setTimeout(() => {
          this.reopenTimers.delete(timer);
          if (this.context.documents.get(uri)) void this.context.connection.languages.diagnostics.refresh();
        }, delay);
        timer.unref?.();
        this.reopenTimers.add(timer);
      }
    }
  }

  /** Refreshes scheduled after quick reopens; cleared on dispose. */
  private readonly reopenTimers = new Set<NodeJS.Timeout>();

  changed(uri: string): void {
    this.cancelTimer(uri);
    const version = this.context.documents.get(uri)?.version;
    // The document manager reports an open as a change too; that version is already analysed.
    if (version !== undefined && this.analysedVersions.get(uri) === version) return;
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      // A newer edit would have replaced this timer; the version check guards late callbacks.
      if (this.context.documents.get(uri)?.version !== version) return;
      this.safely(() => this.analyseNow(uri));
    }, this.options.debounceMs());
    this.timers.set(uri, timer);
  }

  closed(uri: string): void {
    this.cancelTimer(uri);
    const now = Date.now();
    for (const [other, at] of this.closedAt) if (now - at >= REOPEN_WINDOW_MS) this.closedAt.delete(other);
    this.closedAt.set(uri, now);
    this.analysedVersions.delete(uri);
    if (this.context.workspace.has(uri)) this.republish([uri]);
    else this.clear(uri);
  }

  /** Everything may have changed (settings, config, index finished): republish all known files. */
  all(): void {
    if (this.options.pull) {
      this.context.workspace.refreshWorkspaceFindings();
      if (this.options.refreshSupport) void this.context.connection.languages.diagnostics.refresh();
      return this.report();
    }
    const uris = new Set([...this.context.workspace.fileIds(), ...this.sent.keys()]);
    this.republish([...uris]);
  }

  /**
   * Queues files for republishing. The queue drains in slices of a few milliseconds so requests
   * and edits get in between; a file queued twice is published once, from its latest state.
   */
  republish(uris: readonly string[]): void {
    for (const uri of uris) this.queue.add(uri);
    if (this.draining) return;
    if (this.queue.size === 0) return this.report();
    this.draining = true;
    setImmediate(() => this.safely(() => this.drain()));
  }

  /** Timer callbacks have no caller to catch for them. */
  private safely(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.context.log(`publishing diagnostics failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  private readonly queue = new Set<string>();
  private draining = false;

  private drain(): void {
    const deadline = Date.now() + 15;
    for (const uri of this.queue) {
      this.queue.delete(uri);
      try {
        this.publish(uri);
      } catch (error) {
        this.context.log(`publishing diagnostics of ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
      if (Date.now() >= deadline) break;
    }
    if (this.queue.size > 0) setImmediate(() => this.safely(() => this.drain()));
    else {
      this.draining = false;
      this.report();
    }
  }

  /**
   * The findings behind what was last computed for each workspace file: the score reads these,
   * so it costs no analysis and never runs ahead of what the editor shows.
   */
  computedFindings(): Array<{ readonly uri: string; readonly findings: readonly Finding[] }> {
    return [...this.computed].filter(([uri]) => this.context.workspace.has(uri)).map(([uri, entry]) => ({ uri, findings: entry.findings }));
  }

  /** The findings of one file as of its current revision (computed now if they are not yet). */
  findingsOf(uri: string): readonly Finding[] {
    return this.cachedDiagnostics(uri).findings;
  }

  clear(uri: string): void {
    this.computed.delete(uri);
    if (!this.sent.has(uri)) return;
    this.sent.delete(uri);
    if (!this.options.pull) void this.context.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.report();
  }

  /** Diagnostics per file, reused while the file's revision stands (workspace pulls come every few seconds). */
  private readonly computed = new Map<string, ComputedDiagnostics>();

  private cachedDiagnostics(uri: string): ComputedDiagnostics {
    const key = `${this.context.isAnalysed(uri)}|${this.context.workspace.revision(uri) ?? 'none'}|${this.context.baselineDisplay().key}`;
    const cached = this.computed.get(uri);
    if (cached && cached.key === key) return cached;
    const findings: Finding[] = [];
    const diagnostics = this.diagnosticsFor(uri, findings);
    const entry = new ComputedDiagnostics(key, diagnostics, findings);
    if (this.context.workspace.has(uri)) this.computed.set(uri, entry);
    else this.computed.delete(uri);
    return entry;
  }

  /** `found` receives the findings behind the diagnostics (baselined and hidden ones too), for the score. */
  private diagnosticsFor(uri: string, found: Finding[]): Diagnostic[] {
    if (!this.context.isAnalysed(uri)) return [];
    try {
      const analysis = this.context.analysis(uri);
      if (!analysis) return [];
      const findings = this.context.findings(uri);
      found.push(...findings);
      const other = (file: string) => {
        const lines = this.context.linesOf(file);
        return lines ? { uri: file, lines } : undefined;
      };
      const baselined = this.context.baselined(uri, analysis, findings);
      const { mode } = this.context.baselineDisplay();
      return findings.flatMap((finding, index) => {
        const diagnostic = toDiagnostic(finding, analysis.lines, other, uri);
        if (!baselined[index]) return [diagnostic];
        // Recorded in the baseline: visible but out of the way (or hidden), so new findings stand out.
        return mode === 'hide' ? [] : [{ ...diagnostic, severity: DiagnosticSeverity.Hint, message: `${diagnostic.message} (in the baseline)`, data: { ...(diagnostic.data as object), baselined: true } }];
      });
    } catch (error) {
      // A bug in the analysis must not cost the user the editor: say so on the file, keep serving.
      this.context.log(`analysis of ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      const start = { line: 0, character: 0 };
      return [{ range: { start, end: start }, severity: DiagnosticSeverity.Error, source: 'sbd', code: META.ruleFailed.id, message: `The analysis failed on this file (${error instanceof Error ? error.message : String(error)}); please report the input. Other files are still analysed.` }];
    }
  }

  /** textDocument/diagnostic: always the current text, so pull clients never see stale findings. */
  pullDocument(params: DocumentDiagnosticParams): DocumentDiagnosticReport {
    const uri = params?.textDocument?.uri;
    if (!isValidUri(uri)) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    this.cancelTimer(uri);
    const { diagnostics: items, fingerprint: resultId } = this.cachedDiagnostics(uri);
    this.remember(uri, resultId, items.length);
    this.afterAnalysis(uri);
    if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items };
  }

  /** workspace/diagnostic: indexed files that are not open (open ones are pulled per document). */
  pullWorkspace(params: WorkspaceDiagnosticParams): WorkspaceDiagnosticReport {
    const previous = new Map((params?.previousResultIds ?? []).map((entry) => [entry.uri, entry.value]));
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    for (const uri of this.context.workspace.fileIds()) {
      if (this.context.workspace.isOpen(uri)) continue;
      const { diagnostics, fingerprint: resultId } = this.cachedDiagnostics(uri);
      this.remember(uri, resultId, diagnostics.length);
      if (previous.get(uri) === resultId) items.push({ uri, version: null, kind: DocumentDiagnosticReportKind.Unchanged, resultId });
      else items.push({ uri, version: null, kind: DocumentDiagnosticReportKind.Full, resultId, items: diagnostics });
    }
    this.report();
    return { items };
  }

  private readonly analysedVersions = new Map<string, number>();

  private analyseNow(uri: string): void {
    const version = this.context.documents.get(uri)?.version;
    if (version !== undefined) this.analysedVersions.set(uri, version);
    this.publish(uri);
    this.afterAnalysis(uri);
  }

  /** Cross-file findings follow from the cached models; republish only the files they changed for. */
  private afterAnalysis(uri: string): void {
    const affected = [...this.context.workspace.refreshWorkspaceFindings()].filter((file) => file !== uri);
    if (affected.length === 0) return this.report();
    if (this.options.pull) {
      if (this.options.refreshSupport) void this.context.connection.languages.diagnostics.refresh();
      return this.report();
    }
    this.republish(affected);
  }

  private publish(uri: string): void {
    if (this.options.pull) return;
    const document = this.context.documents.get(uri);
    if (document) this.context.analysis(uri); // brings the model up to the buffer's text
    const computed = this.cachedDiagnostics(uri);
    const version = document?.version ?? 'disk';
    const previous = this.sent.get(uri);
    // A new version is always sent; only a republish of the same version (a cross-file change
    // elsewhere) needs the fingerprint, so typing never hashes the file's diagnostics.
    if (previous?.version === version && (previous.computed === computed || previous.computed?.fingerprint === computed.fingerprint)) return;
    const diagnostics = computed.diagnostics;
    if (diagnostics.length === 0 && !previous && !document) return;
    this.sent.set(uri, { version, computed, count: diagnostics.length });
    void this.context.connection.sendDiagnostics({ uri, version: document?.version, diagnostics });
  }

  private remember(uri: string, resultId: string, count: number): void {
    this.sent.set(uri, { version: resultId, count });
  }

  private report(): void {
    let total = 0;
    for (const entry of this.sent.values()) total += entry.count;
    this.options.onPublished(total, this.context.workspace.fileIds().length);
  }

  private cancelTimer(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const timer of this.reopenTimers) clearTimeout(timer);
    this.reopenTimers.clear();
  }
}

/** What was last sent for a URI: pushed (document version and diagnostics) or pulled (result id). */
interface SentDiagnostics {
  readonly version: number | string;
  readonly computed?: ComputedDiagnostics;
  readonly count: number;
}

/** A file's diagnostics for one revision; the fingerprint is computed only when asked for. */
class ComputedDiagnostics {
  private print: string | undefined;

  constructor(
    readonly key: string,
    readonly diagnostics: Diagnostic[],
    readonly findings: readonly Finding[],
  ) {}

  get fingerprint(): string {
    return (this.print ??= fingerprint(this.diagnostics));
  }
}

/** Cheap, stable identity of a diagnostics list (FNV-1a over its JSON). */
function fingerprint(diagnostics: readonly Diagnostic[]): string {
  const text = JSON.stringify(diagnostics);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${diagnostics.length}-${(hash >>> 0).toString(16)}`;
}
