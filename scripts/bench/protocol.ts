import * as fs from 'node:fs';
import { LspClient } from '../../test/e2e/support/lspClient';

/** How to start one language server and what to tell it, so both servers go through the same client. */
export interface ServerUnderTest {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Answer to workspace/configuration for a section. */
  readonly settings: (section: string | undefined) => unknown;
  readonly initializationOptions?: unknown;
  /** Called after initialize, e.g. to register extra handlers. */
  readonly prepare?: (client: LspClient) => void | Promise<void>;
  /** Whether publishDiagnostics carries the document version (otherwise the next publish after an edit counts). */
  readonly versionedDiagnostics: boolean;
  /** Workspace folder to open (a chart's templates need their chart around them). */
  readonly rootUri?: string;
}

export interface ProtocolFigures {
  /** Spawn → initialize answered. */
  readonly initializeMs: number;
  /** didOpen → first diagnostics. */
  readonly openMs: number;
  readonly diagnosticsOnOpen: number;
  /** didChange (one character) → diagnostics of that version, one per edit. */
  readonly editMs: readonly number[];
  readonly hoverMs: readonly number[];
  readonly codeActionMs: readonly number[];
  /** Peak resident memory of the server process (VmHWM), in MB. */
  readonly peakMb: number | undefined;
}

export interface EditPlan {
  /** 0-based line at whose end characters are typed. */
  readonly line: number;
  readonly count: number;
  /** Pause between receiving diagnostics and the next keystroke. */
  readonly gapMs: number;
  /** Typing stops once the burst has taken this long, so one pathological input cannot stall the run. */
  readonly budgetMs?: number;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function peakMemoryMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A started server with one open document, typing one character at a time at the end of a line.
 * `measureServer` runs one burst on it; the chart bench runs two sessions side by side.
 */
export class EditSession {
  private version = 1;
  private column: number;

  private constructor(
    readonly server: ServerUnderTest,
    readonly client: LspClient,
    readonly uri: string,
    private readonly line: number,
    lineText: string,
    readonly initializeMs: number,
    readonly openMs: number,
    /** Spawn → first diagnostics, `prepare` included. */
    readonly firstDiagnosticsMs: number,
    readonly first: { diagnostics: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } } }> },
    private readonly timeoutMs: number,
  ) {
    this.column = lineText.replace(/\r$/, '').length;
  }

  /** Spawn → initialize → open `text` → its first diagnostics. */
  static async open(server: ServerUnderTest, uri: string, text: string, line: number, timeoutMs: number): Promise<EditSession> {
    const spawned = performance.now();
    const folders = server.rootUri ? [{ uri: server.rootUri, name: 'root' }] : null;
    const client = await LspClient.start({ command: server.command, args: server.args, settings: server.settings, initializationOptions: server.initializationOptions, timeoutMs, rootUri: server.rootUri ?? null, workspaceFolders: folders });
    const initializeMs = performance.now() - spawned;
    try {
      await server.prepare?.(client);
      const openSince = client.mark();
      const opened = performance.now();
      client.open(uri, text, 1);
      const first = await waitFor(client, server, uri, 1, openSince, timeoutMs);
      const now = performance.now();
      return new EditSession(server, client, uri, line, text.split('\n')[line] ?? '', initializeMs, now - opened, now - spawned, first, timeoutMs);
    } catch (error) {
      await client.stop();
      throw error;
    }
  }

  /** Types the next character and waits for the diagnostics of that version; returns the wall-clock ms. */
  async type(): Promise<number> {
    const version = ++this.version;
    const since = this.client.mark();
    const sent = performance.now();
    const character = String.fromCharCode(97 + ((version - 2) % 26));
    this.client.change(this.uri, version, [{ range: { start: { line: this.line, character: this.column }, end: { line: this.line, character: this.column } }, text: character }]);
    this.column++;
    await waitFor(this.client, this.server, this.uri, version, since, this.timeoutMs);
    return performance.now() - sent;
  }

  /** Hover and code actions where the first diagnostic is, ten of each (ms). */
  async requests(): Promise<{ hoverMs: number[]; codeActionMs: number[] }> {
    const position = this.first.diagnostics[0]?.range.start ?? { line: this.line, character: 2 };
    const range = this.first.diagnostics[0]?.range ?? { start: position, end: position };
    const hoverMs: number[] = [];
    const codeActionMs: number[] = [];
    for (let i = 0; i < 10; i++) {
      let started = performance.now();
      await this.client.request('textDocument/hover', { textDocument: { uri: this.uri }, position }, this.timeoutMs);
      hoverMs.push(performance.now() - started);
      started = performance.now();
      await this.client.request('textDocument/codeAction', { textDocument: { uri: this.uri }, range, context: { diagnostics: this.first.diagnostics.slice(0, 1) } }, this.timeoutMs);
      codeActionMs.push(performance.now() - started);
    }
    return { hoverMs, codeActionMs };
  }

  peakMb(): number | undefined {
    return peakMemoryMb(this.client.process.pid);
  }

  stop(): Promise<void> {
    return this.client.stop();
  }
}

/**
 * One fresh server per input: initialize, open the text, type `plan.count` characters one by one
 * (waiting for each edit's diagnostics), then hover and ask for code actions where the first
 * diagnostic is. All times are wall-clock milliseconds as the client sees them.
 */
export async function measureServer(server: ServerUnderTest, uri: string, text: string, plan: EditPlan, timeoutMs: number): Promise<ProtocolFigures> {
  const session = await EditSession.open(server, uri, text, plan.line, timeoutMs);
  try {
    const editMs: number[] = [];
    const burstStarted = performance.now();
    for (let i = 0; i < plan.count && performance.now() - burstStarted < (plan.budgetMs ?? Infinity); i++) {
      editMs.push(await session.type());
      await sleep(plan.gapMs);
    }
    const { hoverMs, codeActionMs } = await session.requests();
    return { initializeMs: session.initializeMs, openMs: session.openMs, diagnosticsOnOpen: session.first.diagnostics.length, editMs, hoverMs, codeActionMs, peakMb: session.peakMb() };
  } finally {
    await session.stop();
  }
}

async function waitFor(client: LspClient, server: ServerUnderTest, uri: string, version: number, since: number, timeoutMs: number) {
  if (server.versionedDiagnostics) return client.waitForDiagnostics(uri, { version, since, timeoutMs });
  return client.waitForNotification('textDocument/publishDiagnostics', (params) => params?.uri === uri, { since, timeoutMs, description: `diagnostics for ${uri}` });
}

/** Spawn → initialize → open a small file → its diagnostics: what a user waits for after starting the editor. */
export async function coldStart(server: ServerUnderTest, uri: string, text: string, timeoutMs: number): Promise<{ initializeMs: number; firstDiagnosticsMs: number }> {
  const session = await EditSession.open(server, uri, text, 0, timeoutMs);
  await session.stop();
  return { initializeMs: session.initializeMs, firstDiagnosticsMs: session.firstDiagnosticsMs };
}
