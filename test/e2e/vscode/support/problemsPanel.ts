import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, captureConsole } from './browser';

export interface ProblemsPanelResult {
  /** The text of each row of the Problems panel, whitespace collapsed. */
  readonly rows: string[];
  /** The status bar's problems summary, e.g. "Errors: 9, Warnings: 10". */
  readonly statusBarProblems: string | null;
  /** The rows of the Trust Boundaries view (zones at the top level, expanded). */
  readonly treeRows: string[];
  readonly steps: Record<string, number>;
  readonly console: string[];
}

/** Runs a palette command (F1 opens the palette with ">"; an empty prefix is quick open). */
async function palette(page: Page, text: string, prefix: string, timeout: number): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(prefix + text);
  await page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ timeout });
  // The list filters as it renders; give it a moment so Enter takes the best match.
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');
}

/**
 * Opens `file` (relative to `folder`) in the workbench, focuses the Problems panel, waits until it
 * lists a row containing `expectedText`, and writes a screenshot of the whole window; then opens
 * the Trust Boundaries view, waits for a row containing `expectedZone` and screenshots that too.
 */
export async function checkProblemsPanel(url: string, folder: string, file: string, expectedText: string, expectedZone: string, screenshots: { problems: string; tree: string }, timeout = 60_000): Promise<ProblemsPanelResult> {
  const screenshot = screenshots.problems;
  const steps: Record<string, number> = {};
  let last = Date.now();
  const step = (name: string) => {
    const now = Date.now();
    steps[name] = now - last;
    last = now;
  };
  const consoleLines: string[] = [];
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    captureConsole(page, consoleLines);
    await page.goto(`${url}?${new URLSearchParams({ folder })}`, { timeout });
    await page.locator('.monaco-workbench').waitFor({ timeout });
    // The Explorer lists files once the remote extension host and file system are connected.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout });
    step('workbench');
    await palette(page, file, '', timeout);
    await page.locator(`.tab[aria-label^="${path.basename(file)}"]`).first().waitFor({ timeout });
    await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout });
    step('fileOpened');
    await palette(page, 'Problems: Focus on Problems View', '>', timeout);
    // The server reports the whole workspace; the panel's own filter narrows it to the file.
    const filter = page.getByPlaceholder(/^Filter \(e\.g\./).first();
    await filter.waitFor({ timeout });
    await filter.fill(`**/${file.split(path.sep).join('/')}`);
    await page.locator('.markers-panel .monaco-list-row', { hasText: expectedText }).first().waitFor({ timeout });
    step('problemShown');
    // Squiggles are drawn in the editor too; wait for one so the screenshot shows them.
    await page.locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning').first().waitFor({ timeout });
    // The panel's virtual list redraws as diagnostics arrive (the workspace is published file by file):
    // read its rows until they hold the expected finding, so a redraw between two reads is not "no rows".
    const readRows = async () => (await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map((row) => row.replace(/\s+/g, ' ').trim());
    let rows = await readRows();
    for (const deadline = Date.now() + timeout; !rows.some((row) => row.includes(expectedText)) && Date.now() < deadline; rows = await readRows()) {
      await page.locator('.markers-panel .monaco-list-row', { hasText: expectedText }).first().waitFor({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => undefined);
    }
    const status = page.locator('[id="status.problems"]').first();
    const statusBarProblems = (await status.count()) > 0 ? await status.getAttribute('aria-label') : null;
    await page.screenshot({ path: screenshot });
    step('screenshot');
    await palette(page, 'Trust Boundaries: Focus on Trust Boundaries View', '>', timeout);
    const tree = page.locator('.pane-body .monaco-list', { has: page.locator('.monaco-list-row', { hasText: expectedZone }) }).first();
    await tree.waitFor({ timeout });
    // Zones start expanded: wait until their components are drawn before taking the picture.
    await tree.locator('.monaco-list-row[aria-level="2"]').first().waitFor({ timeout });
    const treeRows = (await tree.locator('.monaco-list-row').allInnerTexts()).map((row) => row.replace(/\s+/g, ' ').trim());
    await page.screenshot({ path: screenshots.tree });
    step('trustBoundaries');
    return { rows, statusBarProblems, treeRows, steps, console: consoleLines };
  } catch (error) {
    const pages = browser.contexts().flatMap((context) => context.pages());
    if (pages[0]) await pages[0].screenshot({ path: screenshot.replace(/\.png$/, '-failure.png') }).catch(() => undefined);
    throw new Error(`${(error as Error).message}\n(screenshot of the failure: ${screenshot.replace(/\.png$/, '-failure.png')}; console:\n${consoleLines.slice(-30).join('\n')})`);
  } finally {
    await browser.close();
  }
}
