import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONFIG_TEMPLATE } from '../../client/src/configTemplate';
import { parseConfig } from '../../server/src/core/config';
import { COMMANDS, SETTINGS_SECTION } from '../../server/src/protocol';
import { KNOWN_RULE_IDS } from '../../server/src/rules';
import { DEFAULT_CLIENT_SETTINGS } from '../../server/src/workspace/settings';

const REPO_ROOT = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const contributes = manifest.contributes;

describe('the extension manifest', () => {
  it('declares a setting for every client setting the server reads, with the server\'s defaults', () => {
    const properties = contributes.configuration.properties as Record<string, { default: unknown; description?: string; markdownDescription?: string }>;
    for (const [name, serverDefault] of Object.entries(DEFAULT_CLIENT_SETTINGS)) {
      const property = properties[`${SETTINGS_SECTION}.${name}`];
      assert.ok(property, `${SETTINGS_SECTION}.${name} is contributed`);
      assert.deepEqual(property.default, serverDefault, `${SETTINGS_SECTION}.${name} defaults to what the server assumes`);
      assert.ok((property.description ?? property.markdownDescription ?? '').length > 20, `${SETTINGS_SECTION}.${name} is described`);
    }
    const extra = Object.keys(properties).filter((key) => !(key.slice(SETTINGS_SECTION.length + 1) in DEFAULT_CLIENT_SETTINGS));
    assert.deepEqual(extra, [`${SETTINGS_SECTION}.trace.server`], 'only the client-side trace setting is extra');
  });

  it('offers exactly the levels the server accepts for rules and trust zones', () => {
    const properties = contributes.configuration.properties;
    assert.deepEqual(properties['secureByDesign.rules'].additionalProperties.enum, ['off', 'on', 'error', 'warning', 'info']);
    for (const group of ['namespaces', 'networks']) {
      assert.deepEqual(properties['secureByDesign.zones'].properties[group].additionalProperties.enum, ['untrusted', 'semi-trusted', 'trusted', 'highly-trusted']);
    }
  });

  it('contributes every command the client registers and the server refers to', () => {
    const contributed = (contributes.commands as Array<{ command: string; title: string; category: string }>).map((command) => command.command).sort();
    assert.deepEqual(contributed, Object.values(COMMANDS).sort());
    const hidden = (contributes.menus.commandPalette as Array<{ command: string; when: string }>).filter((entry) => entry.when === 'false').map((entry) => entry.command);
    assert.deepEqual(hidden, [COMMANDS.revealRange], 'only the tree\'s internal reveal command is hidden from the palette');
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
    assert.ok(parseConfig(CONFIG_TEMPLATE, KNOWN_RULE_IDS).ok, 'the template as created');
    const uncommented = CONFIG_TEMPLATE.split('\n')
      .filter((line) => /^# ( |[a-z]+:)/.test(line))
      .map((line) => line.slice(2))
      .join('\n');
    const result = parseConfig(uncommented, KNOWN_RULE_IDS);
    assert.ok(result.ok, `the examples in its comments: ${result.ok ? '' : result.problems.map((problem) => problem.message).join('; ')}`);
    assert.equal(result.config.options.networkZones.backend, 'trusted');
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
