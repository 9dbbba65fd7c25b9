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
    const vsix = packageVsix();
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-e2e-models-'));
    for (const [file, text] of Object.entries(MODEL_FILES)) {
      fs.mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
      fs.writeFileSync(path.join(workspace, file), text);
    }
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const failure = path.join(RESULTS_DIR, 'model-editor-failure.png');
    // Word-based suggestions off: every suggestion shown comes from the language server.
    const server = await startCodeServer({ workspace, vsix: [vsix], settings: { 'editor.wordBasedSuggestions': 'off' } });
    let workbench: Workbench | undefined;
    let passed = false;
    try {
      workbench = await Workbench.open(server.url, workspace);
      const titles: string[] = [];
      for (const model of MODEL_CASES) titles.push(await editModel(workbench, workspace, model));
      // Ctrl+click on the include opens the included file.
      await workbench.palette('View: Close All Editors');
      await workbench.openFile('threagile/threagile.yaml');
      await workbench.retry(() => workbench!.followLink('parts/assets.yaml'), async () => (await workbench!.activeFile()) === 'assets.yaml', 'assets.yaml opened by Ctrl+click on the include');
      workbench.step('include link');
      console.log(`      references peeks: ${titles.map((title) => `"${title}"`).join(', ')}; steps ${JSON.stringify(workbench.steps)}`);
      passed = true;
    } catch (error) {
      throw new Error(`${(error as Error).message}\n(screenshot: ${failure}; steps so far ${JSON.stringify(workbench?.steps)}; console:\n${workbench?.console.slice(-30).join('\n')})`);
    } finally {
      await workbench?.close(passed ? undefined : failure);
      await server.stop();
      fs.rmSync(workspace, { recursive: true, force: true });
      fs.rmSync(path.dirname(vsix), { recursive: true, force: true });
    }
  });
});

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
