import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ResponseError,
  ErrorCodes,
  LSPErrorCodes,
  MessageType,
  ShowMessageNotification,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  TextDocuments,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { LineIndex } from '../core/positions';
import { ALL_RULES, KNOWN_RULE_IDS } from '../rules';
import {
  COMMANDS,
  RuleDocumentationRequest,
  ScanWorkspaceRequest,
  ScoreRequest,
  SERVER_COMMANDS,
  SETTINGS_SECTION,
  StatusNotification,
  BoundariesChangedNotification,
  TrustBoundariesRequest,
  DiagramRequest,
  WorkspaceTrustNotification,
  type ScanWorkspaceResult,
  type SbdInitializationOptions,
  type ScoreParams,
  type ScoreResult,
  type ScoreSummary,
  type StatusParams,
} from '../protocol';
import { WorkspaceAnalysis } from '../analysis/workspaceAnalysis';
import { warmUp } from '../analysis/engine';
import { FrontEnds } from '../analysis/frontEnds';
import { editorHost, frontEndSettings } from './sourceFiles';
import { guarded, type ServerContext } from './context';
import { Configuration, isConfigUri } from './configuration';
import { clampChange, isValidUri, ruleDocUri, uriToPath } from './convert';
import { DiagnosticsPublisher } from './diagnostics';
import { WorkspaceIndex } from './workspaceIndex';
import { hover } from './hover';
import { codeActions, FIX_ALL_KIND } from './codeActions';
import { documentSymbols } from './symbols';
import { BoundariesNotifier, boundariesFingerprint, trustBoundaries } from './trustBoundaries';
import { diagramHandler } from './diagram';
import { ruleDocumentation } from './ruleDocumentation';
import { readRootBaseline, WorkspaceBaseline } from './baseline';
import { scoreFindings } from '../views/score';
import { BASELINE_FILE_NAME } from '../analysis/baseline';
import type { Finding } from '../core/types';
import { completion } from './completion';
import { definition } from './definition';
import { references } from './references';
import { prepareRename, rename } from './rename';
import { documentLinks } from './documentLinks';
import { codeLenses } from './codeLens';

/**
 * The language server: wires the protocol to the analysis core. Each feature lives in its own
 * module; this file only owns lifecycle, state and the order things happen in.
 */
export function startServer(connection: Connection): void {
  // A stray console.log would corrupt the stdio stream: route it to the client's log.
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));

  // Every range of an edit is clamped or refused before it touches a document (LSP 3.17, Position).
  const documents = new TextDocuments({
    create: TextDocument.create,
    update: (document, changes, version) => TextDocument.update(document, [], version) && changes.reduce((doc, change) => {
      const clamped = clampChange(doc, change);
      if (!clamped) connection.console.warn(`sbd: ignored an edit of ${doc.uri} with an invalid range`);
      return clamped ? TextDocument.update(doc, [clamped], version) : doc;
    }, document),
  });
  const configuration = new Configuration();
  // The document manager owns the text of open documents; the analysis reads it from there.
  const openText = (uri: string) => documents.get(uri)?.getText();
  // Charts and overlays read their values, helpers and bases through open buffers first, then the workspace folders.
  const frontEnds = new FrontEnds(editorHost(openText, () => index.rootPaths, () => configuration.state.options.maxFileBytes));
  // Compose builds are read against the workspace's Dockerfiles, which the index keeps.
  const workspace = new WorkspaceAnalysis(ALL_RULES, KNOWN_RULE_IDS, configuration.state.options, { text: openText }, frontEnds, (uri, relativePath) => index.readBuildFile(uri, relativePath));
  let capabilities: ClientCapabilities = {};
  let lastStatus = '';
  let state: StatusParams['state'] = 'ready';
  const baseline = new WorkspaceBaseline();
  /** Our VS Code client shows rule docs itself; other editors get them from the server (window/showDocument). */
  let clientCommands: readonly string[] = [];

  const log = (message: string) => connection.console.log(`sbd: ${message}`);

  const context: ServerContext = {
    connection,
    documents,
    workspace,
    analysis: (uri) => (isAnalysedUri(uri) ? workspace.analysis(uri) : undefined),
    findings: (uri) => (isAnalysedUri(uri) ? workspace.findings(uri) : []),
    linesOf: (uri) => workspace.linesOf(uri) as LineIndex | undefined,
    isAnalysed: (uri) => isAnalysedUri(uri),
    clientInsertsSnippets: () => clientCommands.includes(COMMANDS.insertSnippet),
    baselined: (uri, analysis, findings) => baseline.classify(uriToPath(uri), analysis, findings),
    baselineDisplay: () => ({ mode: configuration.state.settings.baselinedFindings, key: `${baseline.version}:${configuration.state.settings.baselinedFindings}` }),
    ruleDocumentationCommand: () => (clientCommands.includes(COMMANDS.showRuleDocumentation) ? COMMANDS.showRuleDocumentation : SERVER_COMMANDS.showRuleDocumentation),
    log,
  };

  function scoreSummary(files: ReadonlyArray<{ readonly uri: string; readonly findings: readonly Finding[] }>): ScoreSummary {
    const score = scoreFindings(files.map(({ uri, findings }) => ({ file: uri, findings })));
    return { overall: score.overall, patterns: score.patterns, findings: files.reduce((sum, file) => sum + file.findings.length, 0) };
  }

  /** From what the diagnostics publisher last computed: reading findings here must not re-run analysis. */
  function workspaceScore(): ScoreSummary {
    return scoreSummary(diagnostics?.computedFindings() ?? []);
  }

  async function loadBaseline(): Promise<void> {
    const found = await readRootBaseline(index.rootPaths);
    if (!found || !baseline.load(found.file, found.text)) return;
    if (baseline.problem) connection.console.warn(`sbd: ${baseline.problem}`);
    else if (found.text !== undefined) log(`using the baseline ${found.file}`);
    diagnostics?.all();
  }

  function isAnalysedUri(uri: string): boolean {
    if (!configuration.state.settings.enable || isConfigUri(uri)) return false;
    const file = uriToPath(uri);
    return !(file && index.isIgnored(file));
  }

  const index = new WorkspaceIndex({
    setDiskText: (uri, text) => workspace.setDiskText(uri, text),
    removeDiskText: (uri) => workspace.removeDiskText(uri),
    warm: (uri) => {
      if (isAnalysedUri(uri)) workspace.analysis(uri);
    },
    configChanged: (uri, text) => applyConfigFile(uri, text),
    maxFileBytes: () => configuration.state.options.maxFileBytes,
    ignoreGlobs: () => configuration.state.ignore,
    log,
  });

  let diagnostics: DiagnosticsPublisher;

  function sendStatus(findings: number, files: number, message?: string): void {
    const problems = configuration.state.settingsProblems.length + configuration.state.configProblems.length;
    const effective: StatusParams['state'] = state === 'indexing' ? 'indexing' : problems > 0 ? 'configError' : 'ready';
    const status: StatusParams = {
      state: effective,
      findings,
      files,
      score: effective === 'indexing' ? undefined : workspaceScore().overall,
      message: message ?? (problems > 0 ? [...configuration.state.settingsProblems, ...configuration.state.configProblems.map((p) => `.sbd.yaml: ${p.message}`)].join('; ') : undefined),
      configurationOff: configuration.state.configurationOff,
      notApplied: configuration.state.notApplied,
    };
    const key = JSON.stringify(status);
    if (key === lastStatus) return;
    lastStatus = key;
    void connection.sendNotification(StatusNotification, status);
  }

  /**
   * Tells the client when the trust-boundary view or the findings on it changed, so the tree and
   * diagram refresh live: after typing pauses, and only once it has asked for them.
   */
  const boundaries = new BoundariesNotifier(
    () => boundariesFingerprint(context),
    (revision) => void connection.sendNotification(BoundariesChangedNotification, { revision }),
    log,
  );

  function applyOptions(): void {
    workspace.setOptions(configuration.state.options);
    workspace.setFrontEndSettings(frontEndSettings(configuration.state.helm, index.rootPaths));
    // Files an ignore glob no longer excludes were never read: index again.
    if (indexedIgnoreKey !== undefined && indexedIgnoreKey !== configuration.state.ignore.join('\n')) void scanWorkspace();
    else diagnostics?.all();
  }

  function applyConfigFile(uri: string, text: string | undefined): void {
    const changed = configuration.updateConfigFile(uri, text);
    for (const problem of configuration.state.configProblems) log(`invalid .sbd.yaml: ${problem.message}`);
    void connection.sendDiagnostics({ uri, version: documents.get(uri)?.version, diagnostics: configuration.configDiagnostics() });
    if (changed) applyOptions();
    else diagnostics?.all();
  }

  async function pullSettings(pushed?: unknown): Promise<void> {
    let raw: unknown = pushed;
    if (capabilities.workspace?.configuration) {
      try {
        raw = await connection.workspace.getConfiguration(SETTINGS_SECTION);
      } catch (error) {
        log(`could not read settings: ${String(error)}`);
      }
    }
    const changed = configuration.updateSettings(raw ?? undefined);
    for (const problem of configuration.state.settingsProblems) connection.console.warn(`sbd: invalid setting, keeping the last valid settings: ${problem}`);
    if (changed) applyOptions();
    else diagnostics?.all();
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    capabilities = params.capabilities ?? {};
    const folders: WorkspaceFolder[] = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    index.setRoots(folders.map((folder) => folder.uri).filter(isValidUri));
    // From any client: checked, not trusted to have the declared shape.
    const initOptions = params.initializationOptions as { [K in keyof SbdInitializationOptions]?: unknown } | undefined;
    const initSettings = initOptions?.settings;
    clientCommands = Array.isArray(initOptions?.clientCommands) ? initOptions.clientCommands.filter((command): command is string => typeof command === 'string') : [];
    if (initSettings !== undefined) configuration.updateSettings(initSettings);
    if (initOptions?.workspaceTrusted === false) configuration.setTrusted(false);
    workspace.setOptions(configuration.state.options);
    workspace.setFrontEndSettings(frontEndSettings(configuration.state.helm, index.rootPaths));
    // Before answering: editors open documents right after `initialized`, so a warm-up run later
    // would make the first document wait for it; run now, the first analysis finds compiled code.
    try {
      warmUp(configuration.state.options);
    } catch (error) {
      log(`warming up the analysis failed: ${String(error)}`);
    }
    const pull = capabilities.textDocument?.diagnostic !== undefined;
    diagnostics = new DiagnosticsPublisher(context, {
      pull,
      refreshSupport: capabilities.workspace?.diagnostics?.refreshSupport === true,
      debounceMs: () => configuration.state.settings.debounceMs,
      onPublished: (findings, files) => {
        sendStatus(findings, files);
        boundaries.analysed();
      },
    });
    const result: InitializeResult = {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        hoverProvider: true,
        documentSymbolProvider: { label: 'Secure by Design' },
        completionProvider: { triggerCharacters: [' ', '-', '[', ','] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentLinkProvider: { resolveProvider: false },
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, CodeActionKind.SourceFixAll], resolveProvider: false },
        executeCommandProvider: { commands: [SERVER_COMMANDS.showRuleDocumentation] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'sbd-language-server' },
    };
    if (pull) result.capabilities.diagnosticProvider = { identifier: 'sbd', interFileDependencies: true, workspaceDiagnostics: true };
    return result;
  });

  connection.onInitialized(async () => {
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    }
    if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yaml,yml}' }, { globPattern: '**/.sbd.{yaml,yml}' }, { globPattern: `**/${BASELINE_FILE_NAME}` }, { globPattern: '**/{Dockerfile,Containerfile}{,.*}' }, { globPattern: '**/*.{Dockerfile,Containerfile}' }],
      });
    }
    if (capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set((event?.removed ?? []).map((folder) => folder.uri));
        const roots = [...index.rootUris.filter((uri) => !removed.has(uri)), ...(event?.added ?? []).map((folder) => folder.uri).filter(isValidUri)];
        index.setRoots(roots);
        void scanWorkspace();
      });
    }
    await pullSettings();
    await index.loadConfig();
    await loadBaseline();
    await scanWorkspace();
  });

  let runningScans = 0;
  let indexedIgnoreKey: string | undefined;

  /** (Re-)reads the workspace's YAML from disk; files that disappeared leave the index. */
  async function scanWorkspace(): Promise<ScanWorkspaceResult> {
    indexedIgnoreKey = configuration.state.ignore.join('\n');
    if (index.rootPaths.length === 0) return { files: workspace.fileIds().length, findings: totalFindings() };
    runningScans++;
    state = 'indexing';
    sendStatus(0, workspace.fileIds().length, 'indexing the workspace');
    const progress = capabilities.window?.workDoneProgress ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
    progress?.begin('Secure by Design: indexing YAML', 0, 'finding files', false);
    const started = Date.now();
    try {
      const result = await index.index(progress);
      // Files analysed before the index held their Dockerfiles are analysed again.
      workspace.buildFilesChanged();
      if (result.complete) {
        for (const uri of workspace.fileIds()) {
          if (result.seen.has(uri)) continue;
          workspace.removeDiskText(uri);
          if (!workspace.has(uri)) diagnostics.clear(uri);
        }
        log(`indexed ${result.seen.size} YAML files in ${Date.now() - started} ms`);
      }
    } finally {
      progress?.done();
      if (--runningScans === 0) state = 'ready';
    }
    diagnostics.all();
    return { files: workspace.fileIds().length, findings: totalFindings() };
  }

  function totalFindings(): number {
    return workspace.fileIds().reduce((sum, uri) => sum + context.findings(uri).length, 0);
  }

  connection.onDidChangeConfiguration((params) => {
    const pushed = (params?.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION];
    void pullSettings(pushed);
  });

  connection.onNotification(WorkspaceTrustNotification, (params) => {
    // From any client: only a boolean counts.
    if (typeof params?.trusted !== 'boolean') return;
    log(`workspace trust: ${params.trusted ? 'trusted' : 'untrusted'}`);
    if (configuration.setTrusted(params.trusted)) applyOptions();
  });

  connection.onDidChangeWatchedFiles(async (params) => {
    try {
      const changes = Array.isArray(params?.changes) ? params.changes : [];
      if (changes.some((change) => typeof change?.uri === 'string' && change.uri.endsWith(`/${BASELINE_FILE_NAME}`))) await loadBaseline();
      const { touched, buildFilesChanged } = await index.filesChanged(changes);
      for (const uri of touched.filter((uri) => !workspace.has(uri))) diagnostics.clear(uri);
      // Compose files built from a Dockerfile that changed are analysed again.
      const rebuilt = buildFilesChanged ? workspace.buildFilesChanged() : [];
      // The changed files, and every file whose cross-file findings they changed.
      const affected = workspace.refreshWorkspaceFindings();
      diagnostics.republish([...touched.filter((uri) => workspace.has(uri)), ...rebuilt, ...affected]);
    } catch (error) {
      log(`file events failed: ${String(error)}`);
    }
  });

  documents.onDidOpen((event) => {
    const uri = event.document.uri;
    if (isConfigUri(uri)) return index.isProjectConfig(uri) ? applyConfigFile(uri, event.document.getText()) : undefined;
    workspace.openDocumentChanged(uri);
    diagnostics.opened(uri);
  });

  documents.onDidChangeContent((event) => {
    const uri = event.document.uri;
    if (isConfigUri(uri)) return index.isProjectConfig(uri) ? applyConfigFile(uri, event.document.getText()) : undefined;
    workspace.openDocumentChanged(uri);
    boundaries.edited();
    diagnostics.changed(uri);
  });

  documents.onDidClose((event) => {
    const uri = event.document.uri;
    workspace.openDocumentClosed(uri);
    // Unsaved edits of the configuration are gone with the buffer: the file on disk applies again.
    if (isConfigUri(uri)) return void (index.isProjectConfig(uri) ? index.reloadConfig(uri) : undefined);
    diagnostics.closed(uri);
  });

  connection.onHover(guarded(context, 'hover', null, (params) => hover(context, params)));
  connection.onCodeAction(guarded(context, 'codeAction', [], (params) => codeActions(context, params)));
  connection.onDocumentSymbol(guarded(context, 'documentSymbol', [], (params) => documentSymbols(context, params)));
  connection.onCompletion(guarded(context, 'completion', null, (params) => completion(context, params)));
  connection.onDefinition(guarded(context, 'definition', null, (params) => definition(context, params)));
  connection.onReferences(guarded(context, 'references', null, (params) => references(context, params)));
  connection.onPrepareRename(guarded(context, 'prepareRename', null, (params) => prepareRename(context, params)));
  // A name the format does not allow is the user's answer, not a failure: it goes back as the request's error.
  connection.onRenameRequest((params) => {
    try {
      return rename(context, params);
    } catch (error) {
      if (error instanceof ResponseError) return error;
      log(`rename failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return null;
    }
  });
  connection.onDocumentLinks(guarded(context, 'documentLinks', [], (params) => documentLinks(context, params)));
  connection.onCodeLens(guarded(context, 'codeLens', [], (params) => codeLenses(context, params)));
  const pullDocument = guarded(context, 'diagnostic', { kind: 'full', items: [] } as DocumentDiagnosticReport, (params: DocumentDiagnosticParams) => diagnostics.pullDocument(params));
  connection.languages.diagnostics.on((params, token) => {
    // A pull the client already gave up on (a newer edit came in) is not worth an analysis.
    if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.ServerCancelled, 'superseded by a newer edit', { retriggerRequest: true });
    return pullDocument(params);
  });
  connection.languages.diagnostics.onWorkspace(guarded(context, 'workspaceDiagnostic', { items: [] }, (params) => diagnostics.pullWorkspace(params)));

  connection.onRequest(
    TrustBoundariesRequest,
    guarded(context, TrustBoundariesRequest.method, { zones: [], secrets: [] }, (params) => {
      boundaries.asked();
      return trustBoundaries(context, params);
    }),
  );
  const diagram = diagramHandler(context);
  connection.onRequest(DiagramRequest, (params, token) => {
    boundaries.asked();
    return diagram(params, token);
  });
  connection.onRequest(RuleDocumentationRequest, (params) => {
    // Parameters come from any client: a missing one is answered, not thrown over.
    const ruleId = (params as Partial<typeof params> | undefined)?.ruleId;
    const result = ruleDocumentation(ruleId);
    return result ?? new ResponseError(ErrorCodes.InvalidParams, `unknown rule "${String(ruleId)}" (expected a rule id such as TCB001)`);
  });
  connection.onRequest(ScanWorkspaceRequest, () => scanWorkspace());
  connection.onRequest(
    ScoreRequest,
    guarded(context, ScoreRequest.method, { workspace: { overall: 100, patterns: {}, findings: 0 } } as ScoreResult, (params): ScoreResult => {
      // Parameters come from any client: only a valid, analysed URI asks for a file's score.
      const given = (params as Partial<ScoreParams> | undefined)?.uri;
      const uri = typeof given === 'string' && isValidUri(given) && isAnalysedUri(given) ? given : undefined;
      const file = uri && workspace.has(uri) ? scoreSummary([{ uri, findings: diagnostics.findingsOf(uri) }]) : undefined;
      return { workspace: workspaceScore(), file };
    }),
  );
  // "Show rule documentation" outside VS Code: the editor opens the rule's page (or is told where it is).
  connection.onExecuteCommand(async (params) => {
    if (params?.command !== SERVER_COMMANDS.showRuleDocumentation) return null;
    const documentation = ruleDocumentation(params.arguments?.[0]);
    if (!documentation) return new ResponseError(ErrorCodes.InvalidParams, `unknown rule "${String(params.arguments?.[0])}"`);
    const uri = ruleDocUri(documentation.ruleId);
    if (capabilities.window?.showDocument?.support) {
      const shown = await connection.window.showDocument({ uri, takeFocus: true }).catch(() => ({ success: false }));
      if (shown.success) return null;
    }
    // A notification, not window/showMessageRequest: some editors turn a request into a blocking prompt.
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `${documentation.ruleId}: ${documentation.title}. Documentation: ${uri}` });
    return null;
  });

  connection.onShutdown(() => {
    diagnostics?.dispose();
    boundaries.dispose();
    diagram.dispose();
  });

  documents.listen(connection);
  connection.listen();
}
