// The trust-boundary diagram's page script (runs in the webview under a nonce'd CSP). It shows
// the SVG the language server drew, zooms it, and turns a click (or Enter) on a zone, component
// or arrow into a "reveal" message; everything else is the extension's job.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const state = Object.assign({ zoom: 1, scope: 'workspace' }, vscode.getState() || {});
  const container = /** @type {HTMLElement} */ (document.getElementById('diagram'));
  const summary = /** @type {HTMLElement} */ (document.getElementById('summary'));
  const notes = /** @type {HTMLElement} */ (document.getElementById('notes'));
  const scope = /** @type {HTMLSelectElement} */ (document.getElementById('scope'));
  scope.value = state.scope;

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (!message || typeof message !== 'object') return;
    if (message.type === 'diagram') showDiagram(message);
    else if (message.type === 'status') showMessage(message.message);
    if (message.scope === 'workspace' || message.scope === 'file') {
      scope.value = message.scope;
      // Kept in the webview state: after a reload VS Code hands it to the panel serializer.
      state.scope = message.scope;
      vscode.setState(state);
    }
  });

  /** @param {{ svg: string, counts: Record<string, number>, notes: string[], scopeLabel: string }} message */
  function showDiagram(message) {
    // Parsed as XML, never as HTML: the text comes from the workspace, and the CSP blocks scripts anyway.
    const parsed = new DOMParser().parseFromString(message.svg, 'image/svg+xml');
    const svg = parsed.documentElement;
    if (svg.nodeName !== 'svg' || parsed.getElementsByTagName('parsererror').length > 0) {
      showMessage('The server sent a drawing that is not SVG.');
      return;
    }
    container.replaceChildren(document.importNode(svg, true));
    applyZoom();
    const c = message.counts;
    summary.textContent = `${message.scopeLabel}: ${c.systems} system${c.systems === 1 ? '' : 's'}, ${c.zones} zone${c.zones === 1 ? '' : 's'}, ${c.components} component${c.components === 1 ? '' : 's'}, ${c.arrows} arrow${c.arrows === 1 ? '' : 's'}, ${c.findings} finding${c.findings === 1 ? '' : 's'}`;
    notes.replaceChildren(...message.notes.map((note) => Object.assign(document.createElement('li'), { textContent: note })));
  }

  /** @param {string} text */
  function showMessage(text) {
    const paragraph = Object.assign(document.createElement('p'), { className: 'message', textContent: text });
    container.replaceChildren(paragraph);
    summary.textContent = '';
    notes.replaceChildren();
  }

  function drawing() {
    return container.querySelector('svg');
  }

  function applyZoom() {
    const svg = drawing();
    if (!svg) return;
    const width = Number(svg.getAttribute('width')) || 800;
    const height = Number(svg.getAttribute('height')) || 600;
    svg.style.width = `${Math.round(width * state.zoom)}px`;
    svg.style.height = `${Math.round(height * state.zoom)}px`;
  }

  /** @param {number} zoom */
  function setZoom(zoom) {
    state.zoom = Math.min(4, Math.max(0.1, zoom));
    vscode.setState(state);
    applyZoom();
  }

  document.getElementById('zoom-in')?.addEventListener('click', () => setZoom(state.zoom * 1.25));
  document.getElementById('zoom-out')?.addEventListener('click', () => setZoom(state.zoom / 1.25));
  document.getElementById('zoom-fit')?.addEventListener('click', () => {
    const svg = drawing();
    const width = svg ? Number(svg.getAttribute('width')) : 0;
    if (width > 0) setZoom((container.clientWidth - 24) / width);
  });
  scope.addEventListener('change', () => {
    state.scope = scope.value;
    vscode.setState(state);
    vscode.postMessage({ type: 'scope', scope: scope.value });
  });

  /** @param {Element} element */
  function reveal(element) {
    const data = /** @type {SVGElement} */ (element).dataset;
    const position = (/** @type {string | undefined} */ line, /** @type {string | undefined} */ character) => ({ line: Number(line), character: Number(character) });
    vscode.postMessage({ type: 'reveal', location: { uri: data.file, range: { start: position(data.line, data.character), end: position(data.endLine, data.endCharacter) } } });
  }

  container.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('[data-file]') : null;
    if (target) reveal(target);
  });
  container.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    const target = event.target instanceof Element ? event.target.closest('[data-file]') : null;
    if (!target) return;
    event.preventDefault();
    reveal(target);
  });

  vscode.postMessage({ type: 'ready' });
  if (state.scope !== 'workspace') vscode.postMessage({ type: 'scope', scope: state.scope });
})();
