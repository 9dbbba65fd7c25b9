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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
 * One fresh server per input: initialize, open the text, type `plan.count` characters one by one
 * (waiting for each edit's diagnostics), then hover and ask for code actions where the first
 * diagnostic is. All times are wall-clock milliseconds as the client sees them.
 */
export async function measureServer(server: ServerUnderTest, uri: string, text: string, plan: EditPlan, timeoutMs: number): Promise<ProtocolFigures> {
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
    const openMs = performance.now() - opened;

    const editMs: number[] = [];
    const lines = text.split('\n');
    let column = lines[plan.line]?.replace(/\r$/, '').length ?? 0;
    const burstStarted = performance.now();
    for (let i = 0; i < plan.count && performance.now() - burstStarted < (plan.budgetMs ?? Infinity); i++) {
      const version = i + 2;
      const since = client.mark();
      const sent = performance.now();
      const character = String.fromCharCode(97 + (i % 26));
      client.change(uri, version, [{ range: { start: { line: plan.line, character: column }, end: { line: plan.line, character: column } }, text: character }]);
      column++;
      await waitFor(client, server, uri, version, since, timeoutMs);
      editMs.push(performance.now() - sent);
      await sleep(plan.gapMs);
    }

    const position = first.diagnostics[0]?.range.start ?? { line: plan.line, character: 2 };
    const range = first.diagnostics[0]?.range ?? { start: position, end: position };
    const hoverMs: number[] = [];
    const codeActionMs: number[] = [];
    for (let i = 0; i < 10; i++) {
      let started = performance.now();
      await client.request('textDocument/hover', { textDocument: { uri }, position }, timeoutMs);
      hoverMs.push(performance.now() - started);
      started = performance.now();
      await client.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: first.diagnostics.slice(0, 1) } }, timeoutMs);
      codeActionMs.push(performance.now() - started);
    }
    const peakMb = peakMemoryMb(client.process.pid);
    return { initializeMs, openMs, diagnosticsOnOpen: first.diagnostics.length, editMs, hoverMs, codeActionMs, peakMb };
  } finally {
    await client.stop();
  }
}

async function waitFor(client: LspClient, server: ServerUnderTest, uri: string, version: number, since: number, timeoutMs: number) {
  if (server.versionedDiagnostics) return client.waitForDiagnostics(uri, { version, since, timeoutMs });
  return client.waitForNotification('textDocument/publishDiagnostics', (params) => params?.uri === uri, { since, timeoutMs, description: `diagnostics for ${uri}` });
}

/** Spawn → initialize → open a small file → its diagnostics: what a user waits for after starting the editor. */
export async function coldStart(server: ServerUnderTest, uri: string, text: string, timeoutMs: number): Promise<{ initializeMs: number; firstDiagnosticsMs: number }> {
  const spawned = performance.now();
  const folders = server.rootUri ? [{ uri: server.rootUri, name: 'root' }] : null;
  const client = await LspClient.start({ command: server.command, args: server.args, settings: server.settings, initializationOptions: server.initializationOptions, timeoutMs, rootUri: server.rootUri ?? null, workspaceFolders: folders });
  const initializeMs = performance.now() - spawned;
  try {
    await server.prepare?.(client);
    const since = client.mark();
    client.open(uri, text, 1);
    await waitFor(client, server, uri, 1, since, timeoutMs);
    return { initializeMs, firstDiagnosticsMs: performance.now() - spawned };
  } finally {
    await client.stop();
  }
}
