import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { ClientCapabilities, Diagnostic, InitializeResult, PublishDiagnosticsParams, TextDocumentContentChangeEvent } from 'vscode-languageserver';

/**
 * A small language-server client for tests and benchmarks: spawns a server speaking JSON-RPC over
 * stdio, performs the initialize handshake, and offers open/change/close, requests, and waiting
 * for notifications such as publishDiagnostics of a given document version. Generic: nothing in
 * it knows which server it talks to.
 */
export interface LspClientOptions {
  readonly command: string;
  readonly args?: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly rootUri?: string | null;
  readonly workspaceFolders?: ReadonlyArray<{ uri: string; name: string }> | null;
  readonly capabilities?: ClientCapabilities;
  readonly initializationOptions?: unknown;
  /** Answer to workspace/configuration, per requested section. */
  readonly settings?: (section: string | undefined) => unknown;
  /** Default time to wait for a response or notification. */
  readonly timeoutMs?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  method: string;
}

export interface ReceivedNotification {
  readonly method: string;
  readonly params: any;
  /** Milliseconds since the client started, when it arrived. */
  readonly at: number;
}

export class LspError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/** Capabilities of a typical push-diagnostics editor (no pull, dynamic file watching). */
export const DEFAULT_CAPABILITIES: ClientCapabilities = {
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } }, isPreferredSupport: true, dataSupport: true },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
  },
  workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true }, didChangeConfiguration: { dynamicRegistration: false } },
  window: { workDoneProgress: true },
};

export class LspClient {
  readonly process: ChildProcessWithoutNullStreams;
  readonly notifications: ReceivedNotification[] = [];
  /** Requests the server sent to the client (method and params), in order. */
  readonly serverRequests: Array<{ method: string; params: any }> = [];
  stderr = '';
  exitCode: number | null | undefined;
  private readonly started = Date.now();
  private buffer: Buffer = Buffer.alloc(0);
  /** Chunks of an incomplete message, joined once it is complete (joining per chunk is quadratic for big messages). */
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  private bytesNeeded = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly waiters = new Set<() => void>();
  private readonly requestHandlers = new Map<string, (params: any) => unknown>();
  private readonly timeoutMs: number;
  initializeResult: InitializeResult | undefined;

  private constructor(private readonly options: LspClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 15000;
    this.process = spawn(options.command, [...(options.args ?? [])], { cwd: options.cwd, env: options.env ?? process.env, stdio: 'pipe' });
    this.process.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.process.on('exit', (code) => {
      this.exitCode = code;
      for (const pending of this.pending.values()) {
        clearTimeout(pending.timer);
        pending.reject(new Error(`server exited (code ${code}) before answering ${pending.method}; stderr: ${this.stderr.slice(-2000)}`));
      }
      this.pending.clear();
      this.wake();
    });
    this.process.stdin.on('error', () => undefined);
    this.onRequest('workspace/configuration', (params: { items?: Array<{ section?: string }> }) => (params.items ?? []).map((item) => options.settings?.(item.section) ?? null));
    for (const method of ['client/registerCapability', 'client/unregisterCapability', 'window/workDoneProgress/create', 'workspace/diagnostic/refresh', 'workspace/semanticTokens/refresh', 'window/showMessageRequest']) {
      this.onRequest(method, () => null);
    }
  }

  /** Spawns the server and completes initialize/initialized. */
  static async start(options: LspClientOptions): Promise<LspClient> {
    const client = new LspClient(options);
    client.initializeResult = await client.request<InitializeResult>('initialize', {
      processId: process.pid,
      clientInfo: { name: 'lsp-test-client' },
      rootUri: options.rootUri ?? null,
      workspaceFolders: options.workspaceFolders ?? null,
      capabilities: options.capabilities ?? DEFAULT_CAPABILITIES,
      initializationOptions: options.initializationOptions,
    });
    client.notify('initialized', {});
    return client;
  }

  get elapsedMs(): number {
    return Date.now() - this.started;
  }

  get alive(): boolean {
    return this.exitCode === undefined;
  }

  onRequest(method: string, handler: (params: any) => unknown): void {
    this.requestHandlers.set(method, handler);
  }

  request<R = unknown>(method: string, params: unknown, timeoutMs = this.timeoutMs): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      if (!this.alive) return reject(new Error(`server is not running (exit code ${this.exitCode}); stderr: ${this.stderr.slice(-2000)}`));
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer, method });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Writes raw bytes to the server (for tests of malformed input). */
  writeRaw(data: string | Buffer): void {
    this.process.stdin.write(data);
  }

  open(uri: string, text: string, version = 1, languageId = 'yaml'): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  /** Replaces the whole text (a full-document change event). */
  replace(uri: string, version: number, text: string): void {
    this.change(uri, version, [{ text }]);
  }

  close(uri: string): void {
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /** The most recent publishDiagnostics for a URI, if any arrived. */
  latestDiagnostics(uri: string): PublishDiagnosticsParams | undefined {
    for (let i = this.notifications.length - 1; i >= 0; i--) {
      const notification = this.notifications[i];
      if (notification.method === 'textDocument/publishDiagnostics' && notification.params?.uri === uri) return notification.params;
    }
    return undefined;
  }

  /**
   * Waits until the latest publishDiagnostics of `uri` (after `since`) has `version` when given and
   * satisfies `accept`. Only the latest publish counts: an earlier one is superseded.
   */
  waitForDiagnostics(uri: string, options: { version?: number; accept?: (diagnostics: Diagnostic[]) => boolean; since?: number; timeoutMs?: number } = {}): Promise<PublishDiagnosticsParams> {
    let latestIndex = -1;
    return this.waitForNotification(
      'textDocument/publishDiagnostics',
      (params) => {
        if (params?.uri !== uri) return false;
        const index = this.notifications.findIndex((n) => n.params === params);
        if (index < latestIndex) return false;
        latestIndex = index;
        return (options.version === undefined || params.version === options.version) && (options.accept?.(params.diagnostics) ?? true);
      },
      { since: options.since, timeoutMs: options.timeoutMs, description: `diagnostics for ${uri}${options.version !== undefined ? ` version ${options.version}` : ''}` },
    );
  }

  /** Index to pass as `since` so only notifications arriving after now count. */
  mark(): number {
    return this.notifications.length;
  }

  waitForNotification(method: string, accept: (params: any) => boolean = () => true, options: { since?: number; timeoutMs?: number; description?: string } = {}): Promise<any> {
    const since = options.since ?? 0;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        for (let i = this.notifications.length - 1; i >= since; i--) {
          const notification = this.notifications[i];
          if (notification.method !== method) continue;
          if (accept(notification.params)) {
            resolve(notification.params);
            return true;
          }
        }
        if (!this.alive) {
          reject(new Error(`server exited (code ${this.exitCode}) while waiting for ${options.description ?? method}; stderr: ${this.stderr.slice(-2000)}`));
          return true;
        }
        return false;
      };
      if (check()) return;
      const waiter = () => {
        if (check()) finish();
      };
      const timer = setTimeout(() => {
        finish();
        const last = method === 'textDocument/publishDiagnostics' ? JSON.stringify(this.notifications.filter((n) => n.method === method).slice(-3).map((n) => ({ uri: n.params.uri, version: n.params.version, count: n.params.diagnostics.length }))) : '';
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${options.description ?? method} ${last}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
    });
  }

  /** shutdown + exit, then waits for the process to end (killing it if it does not). */
  async stop(timeoutMs = 5000): Promise<void> {
    if (!this.alive) return;
    try {
      await this.request('shutdown', null, timeoutMs);
      this.notify('exit', null);
    } catch {
      // fall through to kill
    }
    const exited = new Promise<void>((resolve) => (this.alive ? this.process.once('exit', () => resolve()) : resolve()));
    const timer = setTimeout(() => this.process.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  private send(message: unknown): void {
    if (!this.alive) return;
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.process.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.chunkBytes += chunk.length;
    if (this.chunkBytes < this.bytesNeeded) return;
    this.buffer = this.buffer.length === 0 && this.chunks.length === 1 ? chunk : Buffer.concat([this.buffer, ...this.chunks]);
    this.chunks = [];
    this.chunkBytes = 0;
    this.bytesNeeded = 0;
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = Number(/Content-Length:\s*(\d+)/i.exec(header)?.[1]);
      if (!Number.isFinite(length)) throw new Error(`bad header from server: ${header}`);
      if (this.buffer.length < headerEnd + 4 + length) {
        this.bytesNeeded = headerEnd + 4 + length - this.buffer.length;
        return;
      }
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body));
    }
  }

  private dispatch(message: any): void {
    if (message.id !== undefined && message.method === undefined) {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.error) pending.reject(new LspError(`${pending.method}: ${message.error.message}`, message.error.code, message.error.data));
      else pending.resolve(message.result);
      return;
    }
    if (message.id !== undefined) {
      this.serverRequests.push({ method: message.method, params: message.params });
      const handler = this.requestHandlers.get(message.method);
      Promise.resolve()
        .then(() => (handler ? handler(message.params) : Promise.reject(new Error(`unhandled request ${message.method}`))))
        .then(
          (result) => this.send({ jsonrpc: '2.0', id: message.id, result: result ?? null }),
          (error: Error) => this.send({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: error.message } }),
        );
      return;
    }
    this.notifications.push({ method: message.method, params: message.params, at: this.elapsedMs });
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** Applies LSP text edits to a text (edits must not overlap; positions are UTF-16 based). */
export function applyTextEdits(text: string, edits: ReadonlyArray<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }>): string {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const offset = (position: { line: number; character: number }) => {
    if (position.line >= lineStarts.length) return text.length;
    return Math.min(lineStarts[position.line] + position.character, position.line + 1 < lineStarts.length ? lineStarts[position.line + 1] : text.length);
  };
  const sorted = edits.map((edit) => ({ start: offset(edit.range.start), end: offset(edit.range.end), newText: edit.newText })).sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}
