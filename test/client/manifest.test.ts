import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONFIG_TEMPLATE } from '../../client/src/configTemplate';
import { applyOverlay, parseProjectConfig, RULE_LEVELS, SETTINGS } from '../../server/src/core/configuration';
import { defaultOptions, TRUST_LEVELS } from '../../server/src/core/options';
import { COMMANDS, SETTINGS_SECTION } from '../../server/src/protocol';
import { CONFIG_CONTEXT } from '../../server/src/rules';
import { DEFAULT_EDITOR_SETTINGS, validateEditorSettings, type EditorSettings } from '../../server/src/lsp/settings';

const REPO_ROOT = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const contributes = manifest.contributes;

describe('the extension manifest', () => {
  it('contributes exactly the editor settings of the server\'s schema, and its defaults are the server\'s', () => {
    const properties = contributes.configuration.properties as Record<string, { default: unknown; description?: string; markdownDescription?: string }>;
    const editorKeys = SETTINGS.filter((spec) => spec.hosts.includes('editor')).map((spec) => `${SETTINGS_SECTION}.${spec.key}`);
    assert.deepEqual(Object.keys(properties).filter((key) => key !== `${SETTINGS_SECTION}.trace.server`), editorKeys, 'only the client-side trace setting is extra');
    for (const [key, property] of Object.entries(properties)) assert.ok((property.description ?? property.markdownDescription ?? '').length > 20, `${key} is described`);
    const defaults = Object.fromEntries(Object.entries(properties).map(([key, property]) => [key.slice(SETTINGS_SECTION.length + 1), property.default]));
    const validated = validateEditorSettings(defaults);
    assert.ok(validated.ok, 'the server accepts the manifest\'s defaults');
    const effective = (settings: EditorSettings) => ({ enable: settings.enable, debounceMs: settings.debounceMs, ignore: settings.overlay.ignore ?? [], options: applyOverlay(defaultOptions({ today: '2026-01-01' }), settings.overlay) });
    assert.deepEqual(effective(validated.settings), effective(DEFAULT_EDITOR_SETTINGS), 'the manifest\'s defaults are what the server assumes when nothing is sent');
  });

  it('offers exactly the levels the server accepts for rules and trust zones', () => {
    const properties = contributes.configuration.properties;
    assert.deepEqual(properties['secureByDesign.rules'].additionalProperties.enum, RULE_LEVELS);
    for (const group of ['namespaces', 'networks']) {
      assert.deepEqual(properties['secureByDesign.zones'].properties[group].additionalProperties.enum, TRUST_LEVELS);
    }
  });

  it('contributes every command the client registers and the server refers to', () => {
    const contributed = (contributes.commands as Array<{ command: string; title: string; category: string }>).map((command) => command.command).sort();
    assert.deepEqual(contributed, Object.values(COMMANDS).sort());
    const hidden = (contributes.menus.commandPalette as Array<{ command: string; when: string }>).filter((entry) => entry.when === 'false').map((entry) => entry.command);
    assert.deepEqual(hidden, [COMMANDS.revealRange, COMMANDS.insertSnippet], 'only the internal commands (the tree\'s reveal, the code actions\' snippet) are hidden from the palette');
  });

  it('activates on YAML and Docker\'s compose language and starts from the bundled client', () => {
    assert.equal(manifest.main, './dist/extension.js');
    for (const event of ['onLanguage:yaml', 'onLanguage:dockercompose']) assert.ok(manifest.activationEvents.includes(event), event);
    assert.ok(manifest.activationEvents.some((event: string) => event.startsWith('workspaceContains:') && event.includes('compose')), 'compose files activate it');
    assert.ok(!('languages' in contributes), 'claims no language (Red Hat YAML and Docker own them)');
  });

  it('points at files that exist: icon, view icons, snippets, grammar, schema', () => {
    const paths = [
      manifest.icon,
      ...contributes.viewsContainers.activitybar.map((container: { icon: string }) => container.icon),
      ...contributes.snippets.map((snippet: { path: string }) => snippet.path),
      ...contributes.grammars.map((grammar: { path: string }) => grammar.path),
      ...contributes.yamlValidation.map((entry: { url: string }) => entry.url),
    ];
    for (const file of paths) assert.ok(fs.existsSync(path.join(REPO_ROOT, file)), `${file} exists`);
    const views = contributes.views.secureByDesign as Array<{ id: string }>;
    assert.deepEqual(contributes.viewsWelcome.map((entry: { view: string }) => entry.view), views.map((view) => view.id), 'each view has a welcome message');
  });

  it('creates a project configuration whose comments are valid configuration once uncommented', () => {
    assert.deepEqual(parseProjectConfig(CONFIG_TEMPLATE, CONFIG_CONTEXT), { ok: true, overlay: {} }, 'the template as created sets nothing');
    const uncommented = CONFIG_TEMPLATE.split('\n')
      .filter((line) => /^# ( |[a-z][A-Za-z]*:)/.test(line))
      .map((line) => line.slice(2))
      .join('\n');
    const result = parseProjectConfig(uncommented, CONFIG_CONTEXT);
    assert.ok(result.ok, `the examples in its comments: ${result.ok ? '' : result.problems.map((problem) => problem.message).join('; ')}`);
    assert.equal(result.overlay.networkZones?.backend, 'trusted');
    assert.deepEqual(Object.keys(result.overlay).sort(), SETTINGS.filter((spec) => spec.hosts.includes('project')).map((spec) => spec.key === 'zones' ? ['namespaceZones', 'networkZones'] : [spec.key]).flat().sort(), 'every project setting has an example');
  });
});

describe('the .vsix', function () {
  this.timeout(60_000);

  it('holds the bundled extension and server, the assets and no sources, tests or node_modules, in under 2 MB', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-vsix-')), 'extension.vsix');
    try {
      execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'package-vsix.mjs'), '--out', out], { cwd: REPO_ROOT, stdio: 'pipe' });
      const listing = execFileSync('unzip', ['-Z1', out], { encoding: 'utf8' }).trim().split('\n').sort();
      const packed = JSON.parse(execFileSync('unzip', ['-p', out, 'extension/package.json'], { encoding: 'utf8' }));
      assert.equal(`${packed.publisher}.${packed.name}`, 'secure-by-design.secure-by-design', 'the Marketplace identity stays, whatever the npm name');
      assert.ok(!('bin' in packed) && !('devDependencies' in packed), 'no npm-only fields in the extension manifest');
      assert.ok(listing.includes('extension/dist/extension.js') && listing.includes('extension/dist/server.js'), 'client and server bundles');
      for (const asset of ['extension/media/icon.png', 'extension/snippets/compose.json', 'extension/snippets/kubernetes.json', 'extension/syntaxes/sbd-ignore.injection.json', 'extension/LICENSE.txt', 'extension/readme.md']) {
        assert.ok(listing.includes(asset), asset);
      }
      const unwanted = listing.filter((entry) => /node_modules|\.ts$|\.map$|^extension\/(test|server\/src|client\/src|scripts|examples|\.e2e)\//.test(entry));
      assert.deepEqual(unwanted, []);
      const size = fs.statSync(out).size;
      assert.ok(size < 2 * 1024 * 1024, `${size} bytes`);
      console.log(`      .vsix: ${listing.length} files, ${(size / 1024).toFixed(0)} KB`);
    } finally {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  });
});
