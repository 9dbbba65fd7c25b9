import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runExtensionTests } from './support/browser';
import { bundleExtensionTests } from './support/bundle';
import { exampleWorkspace, missingPrerequisite, REPO_ROOT, stagedExtension, startCodeServer } from './support/codeServer';
import { checkProblemsPanel } from './support/problemsPanel';
import { Workbench, cursorAt, sameCursor } from './support/workbench';
import { watchWebviews, webviewContent } from './support/webview';
import { SHOP_ASSETS } from '../../protocol/threagileSample';

const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');
const COMPOSE_EXAMPLE = path.join('compose', 'insecure.compose.yaml');

interface CliFinding {
  readonly ruleId: string;
  readonly severity: string;
  readonly message: string;
  readonly startLine: number;
}

function cliFindings(file: string): CliFinding[] {
  const output = execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'scan', file, '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8' });
  return (JSON.parse(output) as { files: Array<{ findings: CliFinding[] }> }).files.flatMap((entry) => entry.findings);
}

/** Packages the current build as a user gets it (`npm run package` does the same, minified). */
function packageVsix(): string {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-vsix-')), 'secure-by-design.vsix');
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'package-vsix.mjs'), '--out', out], { cwd: REPO_ROOT, stdio: 'pipe' });
  return out;
}

/** A Threagile model split over two files by `includes:`, and a model of ours in two files of one folder. */
const MODEL_FILES: Record<string, string> = {
  'threagile/threagile.yaml': [
    'threagile_version: 1.0.0',
    'title: Shop',
    'includes:',
    '  - parts/assets.yaml',
    'data_assets:',
    '  Orders:',
    '    id: orders',
    '    confidentiality: confidential',
    '    owner: Shop Team',
    'trust_boundaries:',
    '  Backend:',
    '    id: backend',
    '    type: network-cloud-security-group',
    '    technical_assets_inside: [shop, orders-db]',
    '',
  ].join('\n'),
  'threagile/parts/assets.yaml': SHOP_ASSETS,
  'shop/architecture.yaml': [
    'apiVersion: securebydesign/v1',
    'kind: Architecture',
    'zones:',
    '  services:',
    '    trust: trusted',
    '  data:',
    '    trust: highly-trusted',
    'components:',
    '  orders:',
    '    zone: services',
    '  orders-db:',
    '    type: datastore',
    '    zone: data',
    '',
  ].join('\n'),
  'shop/flows.yaml': [
    'apiVersion: securebydesign/v1',
    'kind: Architecture',
    'flows:',
    '  store:',
    '    from: orders',
    '    to: orders-db',
    '    authentication: mtls',
    '    authorization: resource-level',
    '  audit:',
    '    from: orders',
    '    to: orders-db',
    '    authentication: mtls',
    '    authorization: resource-level',
    '',
  ].join('\n'),
};

interface ModelCase {
  readonly name: string;
  /** The file where an id is typed and completed, and the line whose value is retyped. */
  readonly completeIn: string;
  readonly completeAt: string;
  /** Where F12 is pressed, and the file and text it must land on. */
  readonly definitionFrom: { readonly file: string; readonly at: string; readonly delta: number };
  readonly definition: { readonly file: string; readonly at: string; readonly delta: number };
  /**
   * References of the id at its definition, the definition included. At least three: with two, one
   * of them under the cursor, VS Code's Shift+F12 jumps to the other instead of showing a peek.
   */
  readonly references: number;
  /** After F2 on the definition: how often the new name stands in each file. */
  readonly renamed: Record<string, number>;
}

const MODEL_CASES: ModelCase[] = [
  {
    name: 'Threagile model split by includes',
    completeIn: 'threagile/parts/assets.yaml',
    completeAt: '        target: ',
    definitionFrom: { file: 'threagile/threagile.yaml', at: 'orders-db]', delta: 0 },
    definition: { file: 'threagile/parts/assets.yaml', at: 'id: orders-db', delta: 4 },
    references: 3,
    renamed: { 'threagile/parts/assets.yaml': 2, 'threagile/threagile.yaml': 1 },
  },
  {
    name: 'our model in two files of one folder',
    completeIn: 'shop/flows.yaml',
    completeAt: '    to: ',
    definitionFrom: { file: 'shop/flows.yaml', at: 'to: orders-db', delta: 4 },
    definition: { file: 'shop/architecture.yaml', at: '  orders-db:', delta: 2 },
    references: 3,
    renamed: { 'shop/architecture.yaml': 1, 'shop/flows.yaml': 2 },
  },
];

/** Drives one model through completion, go to definition, references and rename, as a user would. */
async function editModel(workbench: Workbench, folder: string, model: ModelCase): Promise<string> {
  const { page } = workbench;
  const read = (file: string) => fs.readFileSync(path.join(folder, file), 'utf8');
  const occurrences = (file: string, text: string) => read(file).split(text).length - 1;
  const original = MODEL_FILES[model.completeIn];
  // Completion: retype an id that refers to a component and accept the server's suggestion.
  await workbench.openFile(model.completeIn);
  await workbench.goTo(cursorAt(original, model.completeAt, model.completeAt.length));
  await page.keyboard.press('Shift+End');
  await page.keyboard.press('Delete');
  await workbench.complete('orders-', 'orders-db');
  await workbench.palette('File: Save');
  await workbench.until(async () => read(model.completeIn) === original, `${model.completeIn} saved with the accepted id`);
  workbench.step(`${model.name}: completion`);
  // Go to definition with F12: the editor moves to the other file, onto the id.
  const from = model.definitionFrom;
  await workbench.openFile(from.file);
  await workbench.goTo(cursorAt(MODEL_FILES[from.file], from.at, from.delta));
  const target = cursorAt(MODEL_FILES[model.definition.file], model.definition.at, model.definition.delta);
  await workbench.retry(
    () => page.keyboard.press('F12'),
    async () => (await workbench.activeFile()) === path.basename(model.definition.file) && sameCursor(await workbench.cursor(), target),
    `F12 to open ${model.definition.file} at ${target.line}:${target.column}`,
  );
  workbench.step(`${model.name}: definition`);
  // Find references with Shift+F12, from the definition.
  let title: string | undefined;
  await workbench.retry(
    () => page.keyboard.press('Shift+F12'),
    async () => (title = await workbench.peekTitle()) !== undefined && new RegExp(`References \\(${model.references}\\)`).test(title),
    `the references peek with ${model.references} references`,
  );
  await page.keyboard.press('Escape');
  workbench.step(`${model.name}: references`);
  // Rename with F2 on the definition; the other file changes too, and Save All writes both.
  await workbench.goTo(target);
  await workbench.rename('order-store');
  await workbench.palette('File: Save All Files');
  await workbench.until(
    async () => Object.entries(model.renamed).every(([file, count]) => occurrences(file, 'order-store') === count && occurrences(file, 'orders-db') === 0),
    `order-store in ${Object.keys(model.renamed).join(' and ')}, on disk`,
  );
  workbench.step(`${model.name}: rename`);
  return title ?? '';
}

describe('the extension in a real VS Code (code-server, headless Chromium)', function () {
  this.timeout(300_000);

  before(function () {
    const missing = missingPrerequisite();
    if (missing) {
      if (process.env.CI === 'true') throw new Error(`${missing} (CI must run scripts/setup-e2e.sh before the tests)`);
      console.log(`      (skipped: ${missing})`);
      this.skip();
    }
    // The extension runs from dist/ (extension and server) like the packaged one.
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'pipe' });
  });

  it('passes its extension-host tests: activation, diagnostics, quick fix, rule page, tree view, snippets, config, restarts', async () => {
    const testsPath = await bundleExtensionTests();
    const workspace = exampleWorkspace();
    const server = await startCodeServer({ workspace });
    try {
      const run = await runExtensionTests(server.url, workspace, stagedExtension(), testsPath, 240_000);
      const report = run.output.filter((line) => !line.startsWith('[')).join('\n');
      console.log(report.replace(/^/gm, '      | '));
      console.log(`      extension-host suite: exit ${run.exitCode} in ${run.ms} ms`);
      assert.equal(run.exitCode, 0, `the extension-host tests failed:\n${run.output.join('\n')}\n--- code-server log (tail) ---\n${server.log().slice(-3000)}`);
      assert.match(report, /SBD_E2E_DONE failures=0/);
    } finally {
      await server.stop();
      fs.rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('lists the findings of an example file in the Problems panel after installing the .vsix, and shows the trust-boundary view (screenshots in test-results/)', async () => {
    const vsix = packageVsix();
    const workspace = exampleWorkspace();
    const expected = cliFindings(path.join(workspace, COMPOSE_EXAMPLE));
    assert.ok(expected.length >= 3, 'the example has findings');
    const privileged = expected.find((finding) => finding.ruleId === 'TCB001');
    assert.ok(privileged, 'the example has a privileged service');
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const screenshot = path.join(RESULTS_DIR, 'problems-panel.png');
    const treeScreenshot = path.join(RESULTS_DIR, 'trust-boundaries.png');
    const server = await startCodeServer({ workspace, vsix: [vsix] });
    try {
      const result = await checkProblemsPanel(server.url, workspace, COMPOSE_EXAMPLE, privileged.message.slice(0, 40), 'network in', { problems: screenshot, tree: treeScreenshot });
      console.log(`      Problems panel: ${result.rows.length} rows; status bar "${result.statusBarProblems}"; steps ${JSON.stringify(result.steps)}`);
      const findingRows = result.rows.filter((row) => /\bsbd\b/.test(row));
      assert.ok(findingRows.length >= 3, `rows from sbd (got ${result.rows.join(' | ')})`);
      for (const row of findingRows) {
        assert.ok(expected.some((finding) => row.includes(finding.message.slice(0, 40)) && row.includes(finding.ruleId)), `"${row}" is one of the CLI's findings for the file`);
      }
      assert.ok(fs.statSync(screenshot).size > 10_000, 'a screenshot was written');
      console.log(`      Trust Boundaries view: ${result.treeRows.join(' | ')}`);
      assert.ok(result.treeRows.some((row) => /network in (compose|architecture)/.test(row)), 'compose networks are zones in the view');
    } finally {
      await server.stop();
      fs.rmSync(workspace, { recursive: true, force: true });
      fs.rmSync(path.dirname(vsix), { recursive: true, force: true });
    }
  });

  it('draws the trust-boundary diagram in a webview with no console error and no CSP violation; a click on a component reveals its line (test-results/diagram.png)', async () => {
    const workspace = exampleWorkspace();
    const screenshot = path.join(RESULTS_DIR, 'diagram.png');
    await inWorkbench({ workspace, failure: 'diagram-failure.png' }, async (workbench) => {
      const { page } = workbench;
      const webviews = watchWebviews(page);
      await workbench.openFile(COMPOSE_EXAMPLE);
      // The server has indexed the workspace once the status item counts its findings.
      const status = page.locator('[id="secure-by-design.secure-by-design.secureByDesign.status"], [id="secureByDesign.status"]').first();
      await workbench.until(async () => /\d+ · score file \d+ · workspace \d+/.test(await status.innerText()), 'the status item to show the findings and scores');
      // One count in three places, and the CLI's: the status item, the Trust Boundaries badge, the Problems summary.
      const expectedTotal = cliTotal(workspace);
      let counts: VisibleCounts | undefined;
      await workbench.until(async () => {
        counts = await visibleCounts(page);
        return counts.status === expectedTotal && counts.badge === expectedTotal && counts.problems === expectedTotal;
      }, `the status item, the badge and the Problems summary to count the CLI's ${expectedTotal} findings`).catch((error: Error) => {
        throw new Error(`${error.message}: ${JSON.stringify(counts)}`);
      });
      workbench.step('indexed');
      await workbench.palette('Secure by Design: Show Trust-Boundary Diagram');
      const content = webviewContent(page);
      const summary = content.locator('#summary');
      await workbench.until(async () => /: \d+ systems?, \d+ zones?, \d+ components?, \d+ arrows?, \d+ findings?$/.test(await summary.innerText()), 'the diagram and its summary');
      const agent = content.locator('g[data-kind="node"][aria-label^="agent,"]').first();
      await agent.waitFor({ timeout: workbench.timeoutMs });
      workbench.step('drawn');
      const drawnSummary = await summary.innerText();
      const systems = await content.locator('g[data-kind="system"]').count();
      const nodes = await content.locator('g[data-kind="node"]').count();
      await page.screenshot({ path: screenshot });
      // The active file's project, fitted to the panel: small enough to read every box.
      await content.locator('#scope').selectOption('file');
      await workbench.until(async () => /^compose\/insecure\.compose\.yaml: 1 system,/.test(await summary.innerText()), 'the drawing of the active file\'s project');
      await content.locator('#zoom-fit').click();
      await page.screenshot({ path: path.join(RESULTS_DIR, 'diagram-file.png') });
      const fileSummary = await summary.innerText();
      await content.locator('#scope').selectOption('workspace');
      await workbench.until(async () => (await summary.innerText()) === drawnSummary, 'the workspace drawn again');
      // The node of the insecure compose file's privileged agent carries its place: click it, the editor shows that line.
      const file = await agent.getAttribute('data-file');
      const line = Number(await agent.getAttribute('data-line'));
      assert.ok(file?.endsWith('/compose/insecure.compose.yaml'), `the agent is drawn from the insecure compose file (${file})`);
      const text = fs.readFileSync(path.join(workspace, COMPOSE_EXAMPLE), 'utf8');
      assert.equal(line + 1, cursorAt(text, '  agent:').line, 'the node names the line of the service');
      await workbench.palette('View: Close All Editor Groups');
      await workbench.palette('Secure by Design: Show Trust-Boundary Diagram');
      await agent.waitFor({ timeout: workbench.timeoutMs });
      await workbench.retry(
        () => agent.click(),
        async () => (await workbench.activeFile()) === path.basename(COMPOSE_EXAMPLE) && (await workbench.cursor())?.line === line + 1,
        `the editor to reveal line ${line + 1} of ${COMPOSE_EXAMPLE}`,
      );
      workbench.step('revealed');
      const revealed = await workbench.cursor();
      console.log(`      counts: ${JSON.stringify(counts)} (the CLI: ${expectedTotal}); project drawing: "${fileSummary}"`);
      console.log(`      diagram: "${drawnSummary}", ${systems} systems and ${nodes} nodes drawn; the click on "agent" revealed Ln ${revealed?.line}, Col ${revealed?.column}; steps ${JSON.stringify(workbench.steps)}`);
      assert.deepEqual(webviews.messages, [], 'the webview logged no error, warning or CSP violation');
      // The watch itself: content the policy forbids (a remote image) is reported.
      await workbench.palette('Secure by Design: Show Trust-Boundary Diagram');
      await agent.waitFor({ timeout: workbench.timeoutMs });
      await content.locator('body').evaluate((body) => body.insertAdjacentHTML('beforeend', '<img alt="" src="https://example.invalid/blocked.png">'));
      await workbench.until(async () => webviews.violations().length > 0, 'the CSP violation of a remote image to be seen');
    });
  });

  it('in an untrusted workspace a .sbd.yaml that switches the rule off and ignores every file cannot silence a finding', async () => {
    const vsix = packageVsix();
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-untrusted-'));
    const compose = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n    networks: [backend]\nnetworks:\n  backend: {}\n';
    fs.writeFileSync(path.join(workspace, 'compose.yaml'), compose);
    fs.writeFileSync(path.join(workspace, '.sbd.yaml'), 'rules:\n  TCB001: off\nignore: ["**"]\n');
    const privileged = cliFindingsWithout(path.join(workspace, 'compose.yaml')).find((finding) => finding.ruleId === 'TCB001');
    assert.ok(privileged, 'without the .sbd.yaml the file has a TCB001 finding');
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const server = await startCodeServer({ workspace, vsix: [vsix], untrusted: true });
    try {
      const screenshots = { problems: path.join(RESULTS_DIR, 'untrusted-problems-panel.png'), tree: path.join(RESULTS_DIR, 'untrusted-trust-boundaries.png') };
      const result = await checkProblemsPanel(server.url, workspace, 'compose.yaml', privileged.message.slice(0, 40), 'network in', screenshots);
      console.log(`      untrusted workspace, Problems panel: ${result.rows.filter((row) => /\bsbd\b/.test(row)).length} rows from sbd`);
      assert.ok(result.rows.some((row) => row.includes('TCB001') && row.includes(privileged.message.slice(0, 40))), result.rows.join(' | '));
    } finally {
      await server.stop();
      fs.rmSync(workspace, { recursive: true, force: true });
      fs.rmSync(path.dirname(vsix), { recursive: true, force: true });
    }
  });

  it('edits architecture models as a user does: completes an id, F12, Shift+F12, F2 across files, Ctrl+click on an include (Threagile and ours)', async () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-e2e-models-'));
    for (const [file, text] of Object.entries(MODEL_FILES)) {
      fs.mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
      fs.writeFileSync(path.join(workspace, file), text);
    }
    // Word-based suggestions off: every suggestion shown comes from the language server.
    await inWorkbench({ workspace, failure: 'model-editor-failure.png', settings: { 'editor.wordBasedSuggestions': 'off' } }, async (workbench) => {
      const titles: string[] = [];
      for (const model of MODEL_CASES) titles.push(await editModel(workbench, workspace, model));
      // Ctrl+click on the include opens the included file.
      await workbench.palette('View: Close All Editors');
      await workbench.openFile('threagile/threagile.yaml');
      await workbench.retry(() => workbench.followLink('parts/assets.yaml'), async () => (await workbench.activeFile()) === 'assets.yaml', 'assets.yaml opened by Ctrl+click on the include');
      workbench.step('include link');
      console.log(`      references peeks: ${titles.map((title) => `"${title}"`).join(', ')}; steps ${JSON.stringify(workbench.steps)}`);
    });
  });
});

/**
 * Installs the packaged extension in a fresh code-server on `workspace`, opens it in the browser
 * and runs `drive`; on failure the error carries a screenshot (`failure` in test-results/), the
 * steps so far and the console's tail. Everything is stopped and removed afterwards.
 */
async function inWorkbench(options: { workspace: string; failure: string; settings?: Record<string, unknown> }, drive: (workbench: Workbench) => Promise<void>): Promise<void> {
  const vsix = packageVsix();
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const failure = path.join(RESULTS_DIR, options.failure);
  const server = await startCodeServer({ workspace: options.workspace, vsix: [vsix], settings: options.settings });
  let workbench: Workbench | undefined;
  let passed = false;
  try {
    workbench = await Workbench.open(server.url, options.workspace);
    await drive(workbench);
    passed = true;
  } catch (error) {
    throw new Error(`${(error as Error).message}\n(screenshot: ${failure}; steps so far ${JSON.stringify(workbench?.steps)}; console:\n${workbench?.console.slice(-30).join('\n')})`);
  } finally {
    await workbench?.close(passed ? undefined : failure);
    await server.stop();
    fs.rmSync(options.workspace, { recursive: true, force: true });
    fs.rmSync(path.dirname(vsix), { recursive: true, force: true });
  }
}

interface VisibleCounts {
  /** The number the status item starts with ("$(shield) 52 · score file 76 · workspace 54"). */
  readonly status?: number;
  /** The badge on the Secure by Design activity bar entry (the Trust Boundaries view's). */
  readonly badge?: number;
  /** Errors, warnings and infos of the status bar's problems summary, summed. */
  readonly problems?: number;
  readonly problemsLabel?: string | null;
}

async function visibleCounts(page: import('playwright-core').Page): Promise<VisibleCounts> {
  const number = (text: string | null | undefined, pattern: RegExp) => {
    const match = text ? pattern.exec(text) : null;
    return match ? Number(match[1]) : undefined;
  };
  const status = await page.locator('[id="secure-by-design.secure-by-design.secureByDesign.status"], [id="secureByDesign.status"]').first().innerText().catch(() => '');
  const badge = await page.locator('.activitybar .action-item', { has: page.locator('[aria-label^="Secure by Design"]') }).locator('.badge-content').first().innerText().catch(() => '');
  const problemsLabel = await page.locator('[id="status.problems"]').first().getAttribute('aria-label').catch(() => null);
  const kinds = ['Errors', 'Warnings', 'Infos'].map((kind) => number(problemsLabel, new RegExp(`${kind}: (\\d+)`)) ?? 0);
  return { status: number(status, /(\d+) · score file/), badge: number(badge, /^(\d+)$/), problems: problemsLabel ? kinds.reduce((sum, count) => sum + count, 0) : undefined, problemsLabel };
}

/** The CLI's total for a folder. */
function cliTotal(folder: string): number {
  const output = execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'scan', '.', '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8', cwd: folder });
  return (JSON.parse(output) as { totals: { findings: number } }).totals.findings;
}

/** The CLI's findings for a file with the folder's .sbd.yaml replaced by an empty configuration. */
function cliFindingsWithout(file: string): CliFinding[] {
  const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-empty-config-')), 'empty.sbd.yaml');
  fs.writeFileSync(empty, '');
  try {
    const output = execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'scan', file, '--config', empty, '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8', cwd: path.dirname(file) });
    return (JSON.parse(output) as { files: Array<{ findings: CliFinding[] }> }).files.flatMap((entry) => entry.findings);
  } finally {
    fs.rmSync(path.dirname(empty), { recursive: true, force: true });
  }
}
