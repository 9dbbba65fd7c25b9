import * as path from 'node:path';
import * as util from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM } from './codeServer';

export async function launchChromium(): Promise<Browser> {
  // Playwright gives Chromium a fresh temporary profile; these flags keep it offline and quiet.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The workbench's routine console noise; everything else (mocha's reporter above all) is kept. */
const NOISE = /^(Resolv(ed|ing) connection token|Creating a socket|\[Service Worker\]|Found unexpected service worker|An iframe which has both|Failed to load resource|Updating additional builtin|Ignoring fetching additional builtin|The web worker extension host|ChatSessionStore|Overwriting extension|\[AccountPolicyGate\]|\[AgentHost|\[reconnection-grace-time\]|(Error while fetching the extension under development .*)?Cannot add '.*' because this extension is not a web extension)/;

/** Collects what the extension host prints (it reaches the page console formatted as `%c LEVEL`). */
export function captureConsole(page: Page, lines: string[]): void {
  page.on('console', async (message) => {
    let values: unknown[];
    try {
      values = await Promise.all(message.args().map((arg) => arg.jsonValue()));
    } catch {
      values = [message.text()];
    }
    if (typeof values[0] === 'string' && values[0].startsWith('%c')) values = values.slice(2);
    const line = values.length > 0 ? util.format(...values) : message.text();
    if (!NOISE.test(line)) lines.push(line);
  });
  page.on('pageerror', (error) => lines.push(`[pageerror] ${error.message}`));
}

export interface ExtensionTestRun {
  readonly exitCode: number;
  readonly output: string[];
  readonly ms: number;
}

/**
 * Runs the extension's mocha suite in code-server's Node extension host. code-server has no
 * --extensionDevelopmentPath/--extensionTestsPath flags, but the browser workbench reads them from
 * its configuration (`developmentOptions`, as @vscode/test-web sets them): an init script adds them
 * to the configuration the page carries in a <meta> attribute. The workbench calls
 * window.codeAutomationExit(code) when the tests end.
 */
export async function runExtensionTests(url: string, folder: string, extensionPath: string, testsPath: string, timeoutMs: number): Promise<ExtensionTestRun> {
  const started = Date.now();
  const output: string[] = [];
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext()).newPage();
    captureConsole(page, output);
    let exit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (exit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => exit(Number(code)));
    const authority = new URL(url).host;
    const remote = (file: string) => ({ scheme: 'vscode-remote', authority, path: path.resolve(file) });
    const developmentOptions = JSON.stringify({ extensions: [remote(extensionPath)], extensionTestsPath: remote(testsPath) });
    // Runs in the page before the workbench reads its configuration (the page has the DOM, Node has not).
    await page.addInitScript({
      content: `(() => {
        const getAttribute = Element.prototype.getAttribute;
        Element.prototype.getAttribute = function (name) {
          const value = getAttribute.call(this, name);
          if (name === 'data-settings' && this.id === 'vscode-workbench-web-configuration' && value) {
            const configuration = JSON.parse(value);
            configuration.developmentOptions = Object.assign({}, configuration.developmentOptions, ${developmentOptions});
            return JSON.stringify(configuration);
          }
          return value;
        };
      })();`,
    });
    await page.goto(`${url}?${new URLSearchParams({ folder: path.resolve(folder) })}`, { timeout: timeoutMs });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const result = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') output.push(`[driver] the tests did not finish within ${timeoutMs} ms`);
    return { exitCode: result === 'timeout' ? 2 : result, output, ms: Date.now() - started };
  } finally {
    await browser.close();
  }
}
