import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { captureConsole, launchChromium } from './browser';

/** A 1-based cursor position as VS Code's status bar shows it ("Ln 12, Col 9"). */
export interface Cursor {
  readonly line: number;
  readonly column: number;
}

/**
 * The VS Code workbench in a headless Chromium page, driven as a user drives it: the keyboard,
 * the mouse, the command palette. Every step waits for a condition the user would see (a tab, a
 * widget, the status bar), never for a fixed time; steps the language server may not be ready
 * for yet (it indexes the workspace after start) are repeated until the condition holds.
 */
export class Workbench {
  readonly console: string[] = [];
  readonly steps: Record<string, number> = {};
  private last = Date.now();

  private constructor(
    private readonly browser: Browser,
    readonly page: Page,
    readonly folder: string,
    readonly timeoutMs: number,
  ) {
    captureConsole(page, this.console);
  }

  /** Opens `folder` in code-server at `url` and waits for the Explorer to list it. */
  static async open(url: string, folder: string, timeoutMs = 60_000): Promise<Workbench> {
    const browser = await launchChromium();
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    const workbench = new Workbench(browser, page, folder, timeoutMs);
    try {
      await page.goto(`${url}?${new URLSearchParams({ folder })}`, { timeout: timeoutMs });
      await page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
      // The Explorer lists files once the remote extension host and file system are connected.
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: timeoutMs });
    } catch (error) {
      await browser.close();
      throw error;
    }
    workbench.step('workbench');
    return workbench;
  }

  /** Records how long the step that just ended took. */
  step(name: string): void {
    const now = Date.now();
    this.steps[name] = now - this.last;
    this.last = now;
  }

  async close(failureScreenshot?: string): Promise<void> {
    if (failureScreenshot) await this.page.screenshot({ path: failureScreenshot }).catch(() => undefined);
    await this.browser.close();
  }

  /**
   * Runs a palette entry: F1 opens the palette with ">"; `prefix` '' is quick open (`text` a file),
   * ':' is go to line. The entry is clicked by its exact label, whatever order the list has.
   */
  async palette(text: string, prefix = '>'): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: this.timeoutMs });
    await input.fill(prefix + text);
    if (prefix === ':') {
      await this.page.keyboard.press('Enter');
    } else {
      const label = prefix === '>' ? text : path.basename(text);
      const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(,|$)`);
      const rows = this.page.locator('.quick-input-widget .monaco-list-row');
      let row: Locator | undefined;
      await this.until(async () => {
        for (const candidate of await rows.all()) {
          const name = candidate.locator('.label-name').first();
          const shown = (await name.count()) > 0 ? (await name.innerText()).trim() : '';
          if (shown === label || exact.test((await candidate.getAttribute('aria-label')) ?? '')) return Boolean((row = candidate));
        }
        return false;
      }, `"${label}" in the palette`);
      await row!.click();
    }
    await input.waitFor({ state: 'hidden', timeout: this.timeoutMs });
  }

  /** Opens a file of the folder by quick open and waits until its editor is the active one. */
  async openFile(relative: string): Promise<void> {
    await this.palette(relative, '');
    await this.until(async () => (await this.activeFile()) === path.basename(relative), `${relative} in the active tab`);
    await this.page.locator('.monaco-editor.focused .view-lines').first().waitFor({ timeout: this.timeoutMs });
  }

  /** Moves the cursor of the active editor ("Go to Line/Column") and waits until the status bar shows it. */
  async goTo(cursor: Cursor): Promise<void> {
    await this.palette(`${cursor.line}:${cursor.column}`, ':');
    await this.until(async () => sameCursor(await this.cursor(), cursor), `the cursor at ${cursor.line}:${cursor.column}`);
  }

  /** The file name of the active editor tab. */
  async activeFile(): Promise<string | undefined> {
    const tab = this.page.locator('.tabs-container .tab.active').first();
    if ((await tab.count()) === 0) return undefined;
    return (await tab.getAttribute('aria-label'))?.split(',')[0].trim();
  }

  /** The cursor as the status bar shows it. */
  async cursor(): Promise<Cursor | undefined> {
    const item = this.page.locator('[id="status.editor.selection"]').first();
    if ((await item.count()) === 0) return undefined;
    const match = /Ln (\d+), Col (\d+)/.exec(await item.innerText());
    return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
  }

  /**
   * Presses keys (or runs `action`) until `done` holds: the language server answers only once it
   * has indexed the model, and a key pressed before that does nothing. Fails after the timeout.
   */
  async retry(action: () => Promise<void>, done: () => Promise<boolean>, what: string, attemptMs = 5_000): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      await action();
      if (await this.until(done, what, Math.min(attemptMs, Math.max(0, deadline - Date.now())), false)) return;
      if (Date.now() >= deadline) throw new Error(`timed out after ${this.timeoutMs} ms waiting for ${what}`);
      await this.page.keyboard.press('Escape');
    }
  }

  /** Polls `probe` until it holds; throws (or returns false when `fail` is false) after the timeout. */
  async until(probe: () => Promise<boolean>, what: string, timeoutMs = this.timeoutMs, fail = true): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await probe().catch(() => false)) return true;
      if (Date.now() >= deadline) {
        if (fail) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        return false;
      }
      await this.page.waitForTimeout(100);
    }
  }

  /** Types `prefix` where the cursor is, waits for the suggestion `label` to be the selected one, and accepts it. */
  async complete(prefix: string, label: string): Promise<void> {
    await this.page.keyboard.type(prefix);
    const selected = this.page.locator('.suggest-widget.visible .monaco-list-row.focused').first();
    let typed = true;
    // Typing opens the suggestions (quick suggestions, the server's trigger characters); Ctrl+Space asks again.
    await this.retry(
      async () => {
        if (!typed) await this.page.keyboard.press('Control+Space');
        typed = false;
      },
      async () => (await selected.count()) > 0 && ((await selected.getAttribute('aria-label')) ?? '').startsWith(label),
      `the suggestion "${label}" selected after typing "${prefix}"`,
    );
    await this.page.keyboard.press('Enter');
    await this.page.locator('.suggest-widget.visible').waitFor({ state: 'hidden', timeout: this.timeoutMs });
  }

  /** The title of the references peek ("assets.yaml /path/to/folder - References (3)"), once one is shown. */
  async peekTitle(): Promise<string | undefined> {
    // Editors in other tabs keep their closed peeks in the page: only a visible one counts.
    for (const title of await this.page.locator('.peekview-widget .peekview-title').all()) {
      if (await title.isVisible()) return (await title.innerText()).replace(/\s+/g, ' ').trim();
    }
    return undefined;
  }

  /** Renames the symbol under the cursor with F2. */
  async rename(newName: string): Promise<void> {
    const input = this.page.locator('.rename-box input').first();
    await this.retry(() => this.page.keyboard.press('F2'), () => input.isVisible(), 'the rename box');
    await input.fill(newName);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: this.timeoutMs });
  }

  /** Ctrl+clicks the document link whose text contains `text` in the active editor. */
  async followLink(text: string): Promise<void> {
    const link = this.page.locator('.monaco-editor.focused .view-line .detected-link', { hasText: text }).first();
    // Links are drawn once the server has answered textDocument/documentLink.
    await link.waitFor({ timeout: this.timeoutMs });
    // As a hand does: rest on the link, hold Ctrl, click. Holding Ctrl redraws the link (another class),
    // so the click goes to where the link was found; a miss is tried again by the caller.
    const box = await link.boundingBox();
    if (!box) return;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.keyboard.down('Control');
    try {
      await this.page.mouse.click(x, y);
    } finally {
      await this.page.keyboard.up('Control');
    }
  }
}

export function sameCursor(a: Cursor | undefined, b: Cursor): boolean {
  return a !== undefined && a.line === b.line && a.column === b.column;
}

/** Where `needle` starts in `text` (plus `delta` characters), as a 1-based cursor. */
export function cursorAt(text: string, needle: string, delta = 0): Cursor {
  const offset = text.indexOf(needle);
  if (offset === -1) throw new Error(`"${needle}" not found`);
  const before = text.slice(0, offset + delta);
  return { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') };
}
