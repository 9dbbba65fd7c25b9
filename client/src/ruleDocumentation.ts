import * as vscode from 'vscode';
import { RuleDocumentationRequest } from '../../server/src/protocol';
import type { Ctx } from './ctx';

/** Virtual documents `sbd-rule:/TCB001.md` hold a rule's documentation, read from the server. */
export const RULE_DOCUMENT_SCHEME = 'sbd-rule';

export function ruleDocumentUri(ruleId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RULE_DOCUMENT_SCHEME, path: `/${ruleId.toUpperCase()}.md` });
}

/** Serves the virtual documents; the server renders the Markdown from the rule's metadata. */
export class RuleDocumentationProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly ctx: Ctx) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ruleId = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    const client = this.ctx.languageClient;
    if (!client) return `# ${ruleId}\n\nThe Secure by Design language server is not running; run **Secure by Design: Restart Server** and try again.\n`;
    try {
      const result = await client.sendRequest(RuleDocumentationRequest, { ruleId });
      return result.markdown;
    } catch (error) {
      return `# ${ruleId}\n\nNo documentation: ${error instanceof Error ? error.message : String(error)}\n`;
    }
  }
}

/** Opens the rule's page as a rendered Markdown preview (plain Markdown if previews are unavailable). */
export async function showRuleDocument(ruleId: string): Promise<vscode.Uri> {
  const uri = ruleDocumentUri(ruleId);
  const document = await vscode.workspace.openTextDocument(uri);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(document, 'markdown'), { preview: true });
  }
  return uri;
}
