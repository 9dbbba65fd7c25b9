import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ResponseError,
  ErrorCodes,
  LSPErrorCodes,
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
  RuleDocumentationRequest,
  ScanWorkspaceRequest,
  SETTINGS_SECTION,
  StatusNotification,
  TrustBoundariesRequest,
  type InitializationOptions,
  type ScanWorkspaceResult,
  type StatusParams,
} from '../protocol';
import { WorkspaceAnalysis } from '../analysis/workspaceAnalysis';
import { guarded, type ServerContext } from './context';
import { Configuration, isConfigUri } from './configuration';
import { isValidUri, uriToPath } from './convert';
import { DiagnosticsPublisher } from './diagnostics';
import { WorkspaceIndex } from './workspaceIndex';
import { hover } from './hover';
import { codeActions, FIX_ALL_KIND } from './codeActions';
import { documentSymbols } from './symbols';
import { trustBoundaries } from './trustBoundaries';
import { ruleDocumentation } from './ruleDocumentation';

/**
 * The language server: wires the protocol to the analysis core. Each feature lives in its own
 * module; this file only owns lifecycle, state and the order things happen in.
 */
export function startServer(connection: Connection): void {
  // A stray console.log would corrupt the stdio stream: route it to the client's log.
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));

  const documents = new TextDocuments(TextDocument);
  const configuration = new Configuration();
  // The document manager owns the text of open documents; the analysis reads it from there.
  // Compose builds are read against the workspace's Dockerfiles, which the index keeps.
  const workspace = new WorkspaceAnalysis(ALL_RULES, KNOWN_RULE_IDS, configuration.state.options, { text: (uri) => documents.get(uri)?.getText() }, (uri, relativePath) => index.readBuildFile(uri, relativePath));
  let capabilities: ClientCapabilities = {};
  let clientInsertsSnippets = false;
  let lastStatus = '';
  let state: StatusParams['state'] = 'ready';

  const log = (message: string) => connection.console.log(`sbd: ${message}`);

  const context: ServerContext = {
    connection,
    documents,
    workspace,
    analysis: (uri) => (isAnalysedUri(uri) ? workspace.analysis(uri) : undefined),
    findings: (uri) => (isAnalysedUri(uri) ? workspace.findings(uri) : []),
    linesOf: (uri) => workspace.analysis(uri)?.lines as LineIndex | undefined,
    isAnalysed: (uri) => isAnalysedUri(uri),
    clientInsertsSnippets: () => clientInsertsSnippets,
    log,
  };

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
      message: message ?? (problems > 0 ? [...configuration.state.settingsProblems, ...configuration.state.configProblems.map((p) => `.sbd.yaml: ${p.message}`)].join('; ') : undefined),
    };
    const key = JSON.stringify(status);
    if (key === lastStatus) return;
    lastStatus = key;
    void connection.sendNotification(StatusNotification, status);
  }

  function applyOptions(): void {
    workspace.setOptions(configuration.state.options);
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
    const initializationOptions = params.initializationOptions as InitializationOptions | undefined;
    clientInsertsSnippets = initializationOptions?.insertSnippet === true;
    const initSettings = initializationOptions?.settings;
    if (initSettings !== undefined) configuration.updateSettings(initSettings);
    workspace.setOptions(configuration.state.options);
    const pull = capabilities.textDocument?.diagnostic !== undefined;
    diagnostics = new DiagnosticsPublisher(context, {
      pull,
      refreshSupport: capabilities.workspace?.diagnostics?.refreshSupport === true,
      debounceMs: () => configuration.state.settings.debounceMs,
      onPublished: (findings, files) => sendStatus(findings, files),
    });
    const result: InitializeResult = {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        hoverProvider: true,
        documentSymbolProvider: { label: 'Secure by Design' },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, CodeActionKind.SourceFixAll], resolveProvider: false },
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
        watchers: [{ globPattern: '**/*.{yaml,yml}' }, { globPattern: '**/.sbd.{yaml,yml}' }, { globPattern: '**/{Dockerfile,Containerfile}{,.*}' }, { globPattern: '**/*.{Dockerfile,Containerfile}' }],
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

  connection.onDidChangeWatchedFiles(async (params) => {
    try {
      const { touched, buildFilesChanged } = await index.filesChanged(Array.isArray(params?.changes) ? params.changes : []);
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
  const pullDocument = guarded(context, 'diagnostic', { kind: 'full', items: [] } as DocumentDiagnosticReport, (params: DocumentDiagnosticParams) => diagnostics.pullDocument(params));
  connection.languages.diagnostics.on((params, token) => {
    // A pull the client already gave up on (a newer edit came in) is not worth an analysis.
    if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.ServerCancelled, 'superseded by a newer edit', { retriggerRequest: true });
    return pullDocument(params);
  });
  connection.languages.diagnostics.onWorkspace(guarded(context, 'workspaceDiagnostic', { items: [] }, (params) => diagnostics.pullWorkspace(params)));

  connection.onRequest(TrustBoundariesRequest, guarded(context, TrustBoundariesRequest.method, { zones: [], secrets: [] }, (params) => trustBoundaries(context, params)));
  connection.onRequest(RuleDocumentationRequest, (params) => {
    // Parameters come from any client: a missing one is answered, not thrown over.
    const ruleId = (params as Partial<typeof params> | undefined)?.ruleId;
    const result = ruleDocumentation(ruleId);
    return result ?? new ResponseError(ErrorCodes.InvalidParams, `unknown rule "${String(ruleId)}" (expected a rule id such as TCB001)`);
  });
  connection.onRequest(ScanWorkspaceRequest, () => scanWorkspace());

  connection.onShutdown(() => diagnostics?.dispose());

  documents.listen(connection);
  connection.listen();
}
