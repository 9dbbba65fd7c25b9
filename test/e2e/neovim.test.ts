import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureServerBundle, positionOf, REPO_ROOT, SERVER, tempWorkspace } from '../protocol/support';

const SCRIPT = path.join(__dirname, 'neovim-lsp-diagnostics.sh');
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'compose', 'insecure.compose.yaml');
const CHART_FIXTURES = path.join(REPO_ROOT, 'test', 'charts', 'fixtures');

interface NeovimDiagnostic {
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  source: string;
  code: string;
  message: string;
}

interface NeovimResult {
  ok: boolean;
  error?: string;
  diagnostics: NeovimDiagnostic[];
  after_edit?: NeovimDiagnostic[];
  responses?: Array<{ method: string; result: unknown; error: unknown }>;
  actions?: Array<{
    action: string;
    ok: boolean;
    at?: { file: string; line: number; character: number };
    items?: Array<{ file: string; line: number }>;
    links?: Array<{ target: string; line: number; opened: string; first_line: string }>;
  }>;
  timings_ms: Record<string, number>;
  server_exit?: { code: number };
}

/** A copy of a chart fixture in a temporary workspace folder, and its folder there. */
function chartWorkspace(chart: string): { root: string; chart: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-nvim-chart-'));
  fs.cpSync(path.join(CHART_FIXTURES, chart), path.join(root, chart), { recursive: true });
  return { root, chart: path.join(root, chart) };
}

/** The technical assets of a Threagile model split by `includes:`: a shop writing orders to a database. */
const SPLIT_ASSETS = [
  'technical_assets:',
  '  Shop:',
  '    id: shop',
  '    type: process',
  '    technology: web-application',
  '    communication_links:',
  '      DB:',
  '        target: db',
  '        protocol: jdbc',
  '        authentication: credentials',
  '        authorization: technical-user',
  '        data_assets_sent: [orders]',
  '  DB:',
  '    id: db',
  '    type: datastore',
  '    technology: database',
  '    encryption: transparent',
  '    data_assets_stored: [orders]',
  '',
].join('\n');

function hasNeovim(): boolean {
  return spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;
}

function runNeovim(args: string[]): NeovimResult {
  const run = spawnSync('bash', [SCRIPT, ...args, '--', process.execPath, SERVER, '--stdio'], { encoding: 'utf8', timeout: 90_000, cwd: REPO_ROOT });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as NeovimResult;
  } catch {
    throw new Error(`Neovim printed no result (exit ${run.status}): ${run.stdout}\n${run.stderr}`);
  }
}

/** What the CLI reports for the same file: both adapters sit on one core and must agree. */
function cliFindings(file: string): Array<{ ruleId: string; line: number; column: number }> {
  const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'scan', file, '--format', 'json'], { encoding: 'utf8', cwd: REPO_ROOT });
  const report = JSON.parse(run.stdout) as { files: Array<{ findings: Array<{ ruleId: string; startLine: number; startColumn: number }> }> };
  return report.files.flatMap((f) => f.findings).map((f) => ({ ruleId: f.ruleId, line: f.startLine - 1, column: f.startColumn - 1 }));
}

describe('a real editor: headless Neovim drives the language server', function () {
  this.timeout(120_000);

  before(function () {
    if (!hasNeovim()) {
      if (process.env.CI === 'true') throw new Error('nvim is not installed; CI must install it (apt-get install -y neovim)');
      console.log('      (skipped: nvim is not installed here; `apt-get install -y neovim` runs this test)');
      this.skip();
    }
    ensureServerBundle();
  });

  it('shows the same findings as the CLI for an example file, at the same places, with source sbd', () => {
    const expected = cliFindings(EXAMPLE);
    assert.ok(expected.length >= 3, 'the example has findings');
    const result = runNeovim(['--min', String(expected.length), '--root', path.dirname(EXAMPLE), EXAMPLE]);
    assert.ok(result.ok, `Neovim run failed: ${result.error}`);
    assert.equal(result.server_exit?.code, 0, 'the server exits cleanly on shutdown');
    const shown = result.diagnostics.filter((d) => d.source === 'sbd');
    for (const finding of expected) {
      assert.ok(
        shown.some((d) => d.code === finding.ruleId && d.lnum === finding.line && d.col === finding.column),
        `${finding.ruleId} at ${finding.line + 1}:${finding.column + 1} shown in Neovim (got ${shown.map((d) => `${d.code}@${d.lnum + 1}:${d.col + 1}`).join(', ')})`,
      );
    }
    console.log(`      Neovim: initialized after ${result.timings_ms.initialized} ms, ${shown.length} diagnostics after ${result.timings_ms.diagnostics} ms`);
  });

  it('updates the diagnostics in Neovim after an edit that fixes a finding', () => {
    const expected = cliFindings(EXAMPLE);
    const privileged = expected.find((finding) => finding.ruleId === 'TCB001');
    assert.ok(privileged, 'the example has a privileged service');
    const edit = JSON.stringify({ line: privileged!.line, from: privileged!.column, to: privileged!.column + 4, text: 'false' });
    const result = runNeovim(['--min', String(expected.length), '--edit', edit, EXAMPLE]);
    assert.ok(result.ok, `Neovim run failed: ${result.error}`);
    assert.ok(result.diagnostics.some((d) => d.code === 'TCB001'));
    assert.ok(!result.after_edit!.some((d) => d.code === 'TCB001'), 'TCB001 is gone after the edit');
    const key = (d: NeovimDiagnostic) => `${d.code}@${d.lnum}:${d.col}`;
    const after = new Set(result.after_edit!.map(key));
    assert.deepEqual(result.diagnostics.filter((d) => d.code !== 'TCB001' && !after.has(key(d))).map(key), [], 'the other findings stay where they were');
  });

  it('runs the README snippet: attaches to yaml.docker-compose and plain yaml, hover shows the rule docs, "show documentation" works', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const snippet = /<!-- neovim-snippet:start[^\n]*\n```lua\n([\s\S]*?)```\n<!-- neovim-snippet:end -->/.exec(readme)?.[1];
    assert.ok(snippet, 'the README has the marked Neovim snippet');
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-nvim-readme-'));
    const bin = path.join(work, 'bin');
    fs.mkdirSync(bin);
    // As installed by npm: `sbd-language-server` on PATH.
    fs.writeFileSync(path.join(bin, 'sbd-language-server'), `#!/bin/sh\nexec "${process.execPath}" "${SERVER}" "$@"\n`, { mode: 0o755 });
    const init = path.join(work, 'init.lua');
    fs.writeFileSync(init, snippet!);
    const file = path.join(work, 'docker-compose.yml');
    fs.writeFileSync(file, 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n');
    for (const filetype of ['yaml.docker-compose', 'yaml']) {
      const run = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '--cmd', 'set noswapfile', '-c', `luafile ${path.join(__dirname, 'neovim-readme.lua')}`], {
        cwd: work,
        encoding: 'utf8',
        timeout: 90_000,
        env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, SBD_NVIM_INIT: init, SBD_NVIM_FILE: file, SBD_NVIM_FILETYPE: filetype, SBD_NVIM_HOVER: JSON.stringify({ line: 3, character: 18 }) },
      });
      const line = run.stdout.trim().split('\n').pop() ?? '';
      let result: { ok: boolean; error?: string; nvim: string; clients: string[]; diagnostics: Array<{ code: string }>; hover?: { kind: string; value: string }; documentation: { buffer: string; messages: string[] } };
      try {
        result = JSON.parse(line);
      } catch {
        throw new Error(`Neovim printed no result (exit ${run.status}): ${run.stdout}\n${run.stderr}`);
      }
      assert.ok(result.ok, `${filetype} on Neovim ${result.nvim}: ${result.error}`);
      assert.deepEqual(result.clients, ['sbd']);
      assert.ok(result.diagnostics.some((d) => d.code === 'TCB001'), `${filetype}: TCB001 shown`);
      assert.equal(result.hover?.kind, 'markdown');
      assert.match(result.hover!.value, /### TCB001: Privileged container[\s\S]*## Why it matters[\s\S]*## How to fix[\s\S]*## Standards/);
      const opened = result.documentation.buffer.endsWith(path.join('docs', 'rules', 'TCB001.md'));
      const told = result.documentation.messages.some((message) => /TCB001: Privileged container\. Documentation: file:\/\/\S+\/docs\/rules\/TCB001\.md/.test(message));
      assert.ok(opened || told, `show documentation on Neovim ${result.nvim}: ${JSON.stringify(result.documentation)}`);
      console.log(`      Neovim ${result.nvim}, ${filetype}: ${result.diagnostics.length} diagnostics, hover with the rule docs, documentation ${opened ? 'opened' : 'named in a message'}`);
    }
  });

  it('completes values and ids and goes to definitions across the files of a Threagile model', () => {
    const root = tempWorkspace({
      'threagile.yaml': 'threagile_version: 1.0.0\ntitle: Shop\nincludes: [assets.yaml]\ndata_assets:\n  Orders:\n    id: orders\n    confidentiality: confidential\n    owner: Shop\n',
      'assets.yaml': SPLIT_ASSETS,
    });
    const file = path.join(root, 'assets.yaml');
    const requests = [
      { method: 'textDocument/completion', line: 8, character: 18 },
      { method: 'textDocument/completion', line: 7, character: 16 },
      { method: 'textDocument/definition', line: 11, character: 27 },
    ];
    const result = runNeovim(['--root', root, '--requests', JSON.stringify(requests), file]);
    assert.ok(result.ok, `Neovim run failed: ${result.error}`);
    const [protocols, targets, definitionOfOrders] = result.responses!.map((response) => response.result as any);
    const labels = (list: { items: Array<{ label: string }> }) => list.items.map((item) => item.label);
    assert.ok(labels(protocols).includes('jdbc-encrypted'), `protocol values: ${labels(protocols).join(', ')}`);
    assert.deepEqual(labels(targets).sort(), ['db', 'shop']);
    assert.equal(definitionOfOrders.length, 1);
    assert.equal(definitionOfOrders[0].uri, `file://${path.join(root, 'threagile.yaml')}`);
    assert.deepEqual(definitionOfOrders[0].range.start, { line: 5, character: 8 });
  });

  it('opening a Helm chart template shows the finding on its template line, no YAML errors, and the hover says where the text came from', () => {
    const { root, chart } = chartWorkspace('node-agent');
    try {
      const template = path.join(chart, 'templates', 'daemonset.yaml');
      const text = fs.readFileSync(template, 'utf8');
      const hostPath = positionOf(text, 'path: /');
      const result = runNeovim(['--code', 'TCB008', '--root', root, '--requests', JSON.stringify([{ method: 'textDocument/hover', ...hostPath }]), template]);
      assert.ok(result.ok, `Neovim run failed: ${result.error} (${JSON.stringify(result.diagnostics)})`);
      const shown = result.diagnostics.map((d) => `${d.code}@${d.lnum + 1}`);
      assert.deepEqual(result.diagnostics.filter((d) => d.code === 'SBD001'), [], `a template is never parsed as plain YAML (got ${shown.join(', ')})`);
      assert.ok(result.diagnostics.some((d) => d.code === 'TCB008' && d.lnum === hostPath.line && d.source === 'sbd'), `TCB008 on the hostPath line ${hostPath.line + 1} (got ${shown.join(', ')})`);
      const hover = result.responses![0].result as { contents: { kind: string; value: string } };
      assert.match(hover.contents.value, /### TCB008: /);
      assert.match(hover.contents.value, new RegExp(`\\*\\*Source:\\*\\* \`path: /\` — from templates/daemonset\\.yaml:${hostPath.line + 1}`));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('a chart value is reported on its values.yaml line and the hover says "set in values.yaml:N, used in templates/…:M"', () => {
    const { root, chart } = chartWorkspace('node-agent');
    try {
      const values = path.join(chart, 'values.yaml');
      // The finding covers the value the chart's user set: `true`.
      const setAt = positionOf(fs.readFileSync(values, 'utf8'), 'true', 'hostPID:');
      const usedAt = positionOf(fs.readFileSync(path.join(chart, 'templates', 'daemonset.yaml'), 'utf8'), 'hostPID:');
      const result = runNeovim(['--code', 'TCB005', '--root', root, '--requests', JSON.stringify([{ method: 'textDocument/hover', ...setAt }]), values]);
      assert.ok(result.ok, `Neovim run failed: ${result.error} (${JSON.stringify(result.diagnostics)})`);
      const shown = result.diagnostics.map((d) => `${d.code}@${d.lnum + 1}`);
      assert.ok(result.diagnostics.some((d) => d.code === 'TCB005' && d.lnum === setAt.line && d.col === setAt.character), `TCB005 on the values line ${setAt.line + 1} (got ${shown.join(', ')})`);
      const hover = result.responses![0].result as { contents: { kind: string; value: string } };
      assert.match(hover.contents.value, new RegExp(`\`hostPID: true\` — set in values\\.yaml:${setAt.line + 1}, used in templates/daemonset\\.yaml:${usedAt.line + 1}`));
      console.log(`      Neovim: ${shown.join(', ')}; hover "${/\*\*Source:\*\* (.*)/.exec(hover.contents.value)?.[1]}"`);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("finds references, renames across the files and opens the include with Neovim's own commands in a split Threagile model", () => {
    const main = ['threagile_version: 1.0.0', 'title: Shop', 'includes: [assets.yaml]', 'data_assets:', '  Orders:', '    id: orders', '    confidentiality: confidential', 'trust_boundaries:', '  Backend:', '    id: backend', '    type: network-cloud-security-group', '    technical_assets_inside: [shop, db]', ''].join('\n');
    const root = tempWorkspace({ 'threagile.yaml': main, 'assets.yaml': SPLIT_ASSETS });
    const mainFile = path.join(root, 'threagile.yaml');
    const assetsFile = path.join(root, 'assets.yaml');
    const db = { line: 11, character: main.split('\n')[11].indexOf('db]') };
    const actions = [
      { action: 'definition', ...db },
      { action: 'references', ...db },
      { action: 'links', line: 0, character: 0 },
      { action: 'rename', ...db, newName: 'orders-db' },
    ];
    // The main file has no finding: wait for its first (empty) publish, then act.
    const result = runNeovim(['--min', '0', '--root', root, '--actions', JSON.stringify(actions), mainFile]);
    assert.ok(result.ok, `Neovim run failed: ${result.error}`);
    const [definition, references, links, rename] = result.actions!;
    assert.ok(definition.ok, 'F12-like :lua vim.lsp.buf.definition() moved to another buffer');
    assert.deepEqual(definition.at, { file: assetsFile, line: 13, character: 8 });
    assert.ok(references.ok);
    const where = references.items!.map((item) => `${path.basename(item.file)}:${item.line}`).sort();
    assert.deepEqual(where, ['assets.yaml:13', 'assets.yaml:7', 'threagile.yaml:11'], 'the definition, the link target and the boundary list, in the quickfix list');
    assert.ok(links.ok);
    assert.deepEqual(links.links!.map((link) => ({ line: link.line, opened: link.opened, first: link.first_line })), [{ line: 2, opened: assetsFile, first: 'technical_assets:' }]);
    assert.ok(rename.ok, 'the rename edited the buffers');
    // :wall wrote both files.
    assert.match(fs.readFileSync(mainFile, 'utf8'), /technical_assets_inside: \[shop, orders-db\]/);
    const renamed = fs.readFileSync(assetsFile, 'utf8');
    assert.match(renamed, /target: orders-db\n/);
    assert.match(renamed, /id: orders-db\n/);
    assert.doesNotMatch(renamed, /: db$/m);
    console.log(`      Neovim: definition, ${where.length} references, include opened, rename written to both files in ${result.timings_ms.diagnostics} ms + actions`);
  });
});
