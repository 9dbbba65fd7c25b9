import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileAnalysis } from '../analysis/analyze';
import type { LineIndex } from '../core/positions';
import type { Finding } from '../core/types';
import type { WorkspaceAnalysis } from '../analysis/workspaceAnalysis';

/** What every feature handler needs from the server; handlers stay free of wiring. */
export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly workspace: WorkspaceAnalysis;
  /** Analysis of the current text of a document (open buffer or indexed file). */
  analysis(uri: string): FileAnalysis | undefined;
  /** Findings the user sees for a document, as of its current text. */
  findings(uri: string): Finding[];
  linesOf(uri: string): LineIndex | undefined;
  /** Whether analysis is switched on and the file is not ignored. */
  isAnalysed(uri: string): boolean;
  /** The client runs `COMMANDS.insertSnippet` (it names it in `clientCommands` of its initialization options). */
  clientInsertsSnippets(): boolean;
  /** For each of a file's findings, whether the workspace baseline records it. */
  baselined(uri: string, analysis: FileAnalysis, findings: readonly Finding[]): boolean[];
  /** How baselined findings are shown, and which baseline: diagnostics are cached under this. */
  baselineDisplay(): { readonly mode: 'hint' | 'hide'; readonly key: string };
  /** The command code actions use to show a rule's documentation (the client's own, or the server's). */
  ruleDocumentationCommand(): string;
  log(message: string): void;
}

/** Runs a handler so a bug or bad input never takes the server down; the request gets `fallback`. */
export function guarded<P, R>(context: Pick<ServerContext, 'log'>, name: string, fallback: R, handler: (params: P) => R): (params: P) => R {
  return (params: P) => {
    try {
      return handler(params);
    } catch (error) {
      context.log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  };
}
