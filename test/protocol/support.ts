import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { LspClient, DEFAULT_CAPABILITIES, type LspClientOptions } from '../e2e/support/lspClient';

export const REPO_ROOT = path.join(__dirname, '..', '..');
export const SERVER = path.join(REPO_ROOT, 'dist', 'server.js');

/**
 * The protocol tests run the bundled server, as editors do. The bundle is rebuilt here when it is
 * missing or older than any source file, so `npx mocha test/protocol` alone never tests stale code
 * (`npm test` builds first anyway; then this is a no-op).
 */
export function ensureServerBundle(): void {
  const built = fs.existsSync(SERVER) ? fs.statSync(SERVER).mtimeMs : 0;
  if (built > 0 && newestSource(path.join(REPO_ROOT, 'server', 'src')) <= built) return;
  try {
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'pipe', timeout: 120_000 });
  } catch (error) {
    // Locally, a half-edited source tree should not stop protocol tests of the last good bundle;
    // in CI the build must succeed.
    if (built === 0 || process.env.CI === 'true') throw error;
    console.log(`      (rebuilding dist/server.js failed, testing the existing bundle: ${String((error as Error).message).split('\n')[0]})`);
  }
}

function newestSource(directory: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

export interface ServerOptions extends Partial<LspClientOptions> {
  /** Workspace folder (a real directory) to index. */
  readonly root?: string;
  /** The `secureByDesign` settings the client answers with. */
  readonly sbdSettings?: unknown;
}

export function startServer(options: ServerOptions = {}): Promise<LspClient> {
  const rootUri = options.root ? pathToFileURL(options.root).href : null;
  return LspClient.start({
    command: process.execPath,
    args: [SERVER, '--stdio'],
    rootUri,
    workspaceFolders: rootUri ? [{ uri: rootUri, name: path.basename(options.root!) }] : null,
    capabilities: DEFAULT_CAPABILITIES,
    settings: (section) => (section === 'secureByDesign' ? (options.sbdSettings ?? null) : null),
    ...options,
  });
}

export function tempWorkspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-lsp-'));
  for (const [name, text] of Object.entries(files)) writeFile(dir, name, text);
  return dir;
}

export function writeFile(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return pathToFileURL(file).href;
}

export function uriOf(dir: string, name: string): string {
  return pathToFileURL(path.join(dir, name)).href;
}

/** Codes of diagnostics, sorted: the shape most assertions compare. */
export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code)).sort();
}

export function byCode(diagnostics: readonly Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}

/** [line, character, endLine, endCharacter] of a diagnostic, for compact range assertions. */
export function span(diagnostic: Diagnostic): [number, number, number, number] {
  return [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.line, diagnostic.range.end.character];
}

/** Position of the first occurrence of `needle` (after `after`, when given) in `text`. */
export function positionOf(text: string, needle: string, after = ''): { line: number; character: number } {
  const from = after ? text.indexOf(after) : 0;
  const offset = text.indexOf(needle, from);
  if (offset === -1) throw new Error(`"${needle}" not found in the test text`);
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export { LspClient };
