import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runExtensionTests } from './support/browser';
import { bundleExtensionTests } from './support/bundle';
import { exampleWorkspace, missingPrerequisite, REPO_ROOT, stagedExtension, startCodeServer } from './support/codeServer';
import { checkProblemsPanel } from './support/problemsPanel';

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
});
