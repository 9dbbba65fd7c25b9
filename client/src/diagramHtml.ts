import type * as vscode from 'vscode';

/**
 * The diagram panel's page: a toolbar, the drawing and its notes; everything else comes from
 * media/diagram.js. The Content-Security-Policy allows no remote content: nothing by default,
 * style sheets only from the extension or the page's nonce'd style element, and only the nonce'd
 * script. The SVG uses presentation attributes, so it needs no inline styles.
 * No runtime import of `vscode`: the page can be checked without an editor.
 */
export function diagramHtml(webview: Pick<vscode.Webview, 'cspSource' | 'asWebviewUri'>, script: vscode.Uri, nonce: string): string {
  const csp = [`default-src 'none'`, `style-src ${webview.cspSource} 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Trust-Boundary Diagram</title>
<style nonce="${nonce}">
  body { margin: 0; padding: 0; color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
  header { position: sticky; top: 0; z-index: 1; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; padding: 6px 12px; background: var(--vscode-editor-background); border-bottom: 1px solid var(--vscode-panel-border); }
  select, button { color: var(--vscode-dropdown-foreground); background: var(--vscode-dropdown-background); border: 1px solid var(--vscode-dropdown-border); padding: 2px 6px; font: inherit; }
  button { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); border: none; cursor: pointer; }
  button:hover { background: var(--vscode-button-secondaryHoverBackground); }
  #summary { color: var(--vscode-descriptionForeground); }
  #diagram { padding: 12px; overflow: auto; }
  #diagram svg { display: block; border-radius: 4px; }
  #diagram [data-file] { cursor: pointer; }
  #diagram [data-file]:hover > rect, #diagram [data-file]:hover > path:first-of-type { stroke-width: 3; }
  #diagram [data-file]:focus { outline: 2px solid var(--vscode-focusBorder); outline-offset: 2px; }
  #notes { margin: 0 12px 12px; color: var(--vscode-editorWarning-foreground); }
  .message { padding: 12px; color: var(--vscode-descriptionForeground); }
</style>
</head>
<body>
<header>
  <label for="scope">Draw</label>
  <select id="scope">
    <option value="workspace">the workspace</option>
    <option value="file">the active file's project</option>
  </select>
  <button id="zoom-out" title="Zoom out" aria-label="Zoom out">−</button>
  <button id="zoom-fit" title="Fit to the width of the panel">Fit</button>
  <button id="zoom-in" title="Zoom in" aria-label="Zoom in">+</button>
  <span id="summary" role="status" aria-live="polite"></span>
</header>
<main id="diagram"><p class="message">Drawing the trust boundaries…</p></main>
<ul id="notes"></ul>
<script nonce="${nonce}" src="${webview.asWebviewUri(script)}"></script>
</body>
</html>`;
}
