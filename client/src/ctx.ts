import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { COMMANDS, ScoreRequest, StatusNotification, WorkspaceTrustNotification, type SbdInitializationOptions, type ScoreResult } from '../../server/src/protocol';
import type { Config } from './config';

/** What the status bar shows about the server. */
export type ServerState = 'starting' | 'indexing' | 'ready' | 'configError' | 'stopped' | 'failed';

export interface ServerStatus {
  readonly state: ServerState;
  readonly findings: number;
  readonly files: number;
  readonly message?: string;
  /** The workspace's overall score, 0–100, as the server computed it. */
  readonly score?: number;
  /** What the repository's configuration turns off and is in force / is not applied (untrusted workspace). */
  readonly configurationOff?: string;
  readonly notApplied?: string;
}

/** The languages the server analyses. Docker's extension gives compose files their own language. */
export const DOCUMENT_SELECTOR = ['yaml', 'dockercompose'].flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
]);

/** Crashes tolerated within CRASH_WINDOW_MS before the client stops restarting the server. */
const MAX_CRASHES = 4;
const CRASH_WINDOW_MS = 3 * 60 * 1000;

/**
 * Owns the language client's lifecycle: start, restart (by command or after a crash), stop. The
 * server is the bundled dist/server.js, started with Node IPC. One output channel (with
 * timestamps) lives across restarts so the history of a crash stays readable.
 */
export class Ctx implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private clientSubscriptions: vscode.Disposable[] = [];
  private crashes: number[] = [];
  private current: ServerStatus = { state: 'stopped', findings: 0, files: 0 };
  private readonly statusChanged = new vscode.EventEmitter<ServerStatus>();
  /** Fires on every change of server state or finding count. */
  readonly onDidChangeStatus = this.statusChanged.event;

  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly config: Config,
  ) {
    this.output = vscode.window.createOutputChannel('Secure by Design', { log: true });
  }

  get status(): ServerStatus {
    return this.current;
  }

  /** The running client, for requests; undefined while the server is stopped. */
  get languageClient(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  /** The server's score for one file and the workspace; undefined while the server is not running. */
  async score(uri: string | undefined): Promise<ScoreResult | undefined> {
    const client = this.languageClient;
    if (!client) return undefined;
    try {
      return await client.sendRequest(ScoreRequest, { uri });
    } catch {
      return undefined;
    }
  }

  async start(): Promise<void> {
    if (this.client) return;
    if (!this.config.enable) {
      this.setStatus({ state: 'stopped', findings: 0, files: 0, message: 'disabled by the setting secureByDesign.enable' });
      return;
    }
    const module = this.extension.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.output,
      // The client shows rule documentation itself (a webview) and inserts snippets (a suppression's
      // reason), so the server's code actions use its commands.
      // Trust travels with the start and with every grant: untrusted, the repository's .sbd.yaml may not silence findings.
      initializationOptions: { settings: this.config.settings, clientCommands: [COMMANDS.showRuleDocumentation, COMMANDS.insertSnippet], workspaceTrusted: vscode.workspace.isTrusted } satisfies SbdInitializationOptions,
      errorHandler: this.errorHandler(),
    };
    const client = new LanguageClient('secureByDesign', 'Secure by Design', serverOptions, clientOptions);
    this.client = client;
    this.clientSubscriptions = [
      client.onDidChangeState(({ newState }) => {
        if (newState === State.Starting) this.setStatus({ ...this.current, state: 'starting' });
        else if (newState === State.Stopped && this.current.state !== 'failed') this.setStatus({ ...this.current, state: 'stopped' });
        else if (newState === State.Running && (this.current.state === 'starting' || this.current.state === 'stopped')) this.setStatus({ ...this.current, state: 'indexing' });
      }),
      client.onNotification(StatusNotification, (params) =>
        this.setStatus({ state: params.state, findings: params.findings, files: params.files, message: params.message, score: params.score, configurationOff: params.configurationOff, notApplied: params.notApplied }),
      ),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void client.sendNotification(WorkspaceTrustNotification, { trusted: true })),
    ];
    this.output.info(`starting the language server ${module}`);
    try {
      await client.start();
    } catch (error) {
      this.output.error(`the language server did not start: ${String(error)}`);
      this.setStatus({ state: 'failed', findings: 0, files: 0, message: `the language server did not start: ${String(error)}` });
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const subscription of this.clientSubscriptions) subscription.dispose();
    this.clientSubscriptions = [];
    if (client) {
      // A server that hangs on shutdown must not hang the editor: stop waits at most 2 s.
      await client.stop(2000).catch((error) => this.output.warn(`stopping the language server: ${String(error)}`));
      await client.dispose().catch(() => undefined);
    }
    this.setStatus({ state: 'stopped', findings: 0, files: 0 });
  }

  /** A fresh server (new process, fresh index); also the way out after repeated crashes. */
  async restart(): Promise<void> {
    this.output.info('restarting the language server');
    this.crashes = [];
    await this.stop();
    await this.start();
  }

  private errorHandler(): ErrorHandler {
    return {
      error: (error, _message, count): ErrorHandlerResult => {
        this.output.error(`connection to the language server: ${error.message}`);
        // A few transient write/read errors are survivable; a steady stream means the server is gone.
        return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
      },
      closed: (): CloseHandlerResult => {
        const now = Date.now();
        this.crashes = [...this.crashes.filter((time) => now - time < CRASH_WINDOW_MS), now];
        if (this.crashes.length < MAX_CRASHES) {
          this.output.warn(`the language server stopped unexpectedly; restarting it (${this.crashes.length} of ${MAX_CRASHES - 1} restarts in 3 minutes)`);
          return { action: CloseAction.Restart, handled: true };
        }
        const message = `The Secure by Design language server stopped ${this.crashes.length} times in 3 minutes and will not be restarted automatically.`;
        this.output.error(message);
        this.setStatus({ state: 'failed', findings: 0, files: 0, message });
        void vscode.window.showErrorMessage(message, 'Show Output', 'Restart Server').then((choice) => {
          if (choice === 'Show Output') this.output.show();
          else if (choice === 'Restart Server') void this.restart();
        });
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    };
  }

  private setStatus(status: ServerStatus): void {
    const previous = this.current;
    if (previous.state === status.state && previous.findings === status.findings && previous.files === status.files && previous.message === status.message) return;
    this.current = status;
    this.statusChanged.fire(status);
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.statusChanged.dispose();
    this.output.dispose();
  }
}
