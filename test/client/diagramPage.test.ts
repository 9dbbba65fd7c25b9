import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { diagramHtml } from '../../client/src/diagramHtml';

const REPO_ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(REPO_ROOT, 'media', 'diagram.js');

describe('the diagram webview page', () => {
  const webview = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', asWebviewUri: (uri: vscode.Uri) => uri };
  const script = { toString: () => 'https://file+.vscode-resource.vscode-cdn.net/ext/media/diagram.js' } as unknown as vscode.Uri;
  const html = diagramHtml(webview, script, 'n0nce');

  it('runs under a strict Content-Security-Policy: nothing by default, styles from the extension or the nonce, only the nonce\'d script', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    assert.equal(csp, "default-src 'none'; style-src https://file+.vscode-resource.vscode-cdn.net 'nonce-n0nce'; script-src 'nonce-n0nce'");
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
  });

  it('has one script, from the extension\'s media folder with the nonce, and no inline handlers or remote content', () => {
    assert.deepEqual([...html.matchAll(/<script[^>]*>/g)].map((match) => match[0]), ['<script nonce="n0nce" src="https://file+.vscode-resource.vscode-cdn.net/ext/media/diagram.js">']);
    assert.deepEqual([...html.matchAll(/<style[^>]*>/g)].map((match) => match[0]), ['<style nonce="n0nce">']);
    assert.doesNotMatch(html, /\son[a-z]+=|\sstyle=|<link|<img|<iframe/);
    assert.deepEqual([...html.matchAll(/https?:\/\/[^"\s]*/g)].map((match) => match[0]), ['https://file+.vscode-resource.vscode-cdn.net', 'https://file+.vscode-resource.vscode-cdn.net/ext/media/diagram.js']);
  });

  it('its script parses, reads the drawing as XML (never as HTML) and only posts ready, scope and reveal messages', () => {
    execFileSync(process.execPath, ['--check', SCRIPT]);
    const source = fs.readFileSync(SCRIPT, 'utf8');
    assert.doesNotMatch(source, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\(\s*['"]style/);
    assert.match(source, /parseFromString\(message\.svg, 'image\/svg\+xml'\)/);
    assert.deepEqual([...new Set([...source.matchAll(/postMessage\(\{ type: '(\w+)'/g)].map((match) => match[1]))].sort(), ['ready', 'reveal', 'scope']);
  });
});
