// Packs the VS Code extension (.vsix) from the built dist/. One package.json serves two registries:
// npm knows the CLI and language server as @secure-by-design/sbd, the Marketplace knows the
// extension as secure-by-design.secure-by-design. A Marketplace name cannot be scoped, so vsce
// runs in a staging folder whose manifest carries the extension's name and nothing npm-only.
// Usage: node scripts/package-vsix.mjs [--out FILE]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const EXTENSION_NAME = 'secure-by-design';
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const { bin, files, scripts, devDependencies, dependencies, ...extension } = manifest;
extension.name = EXTENSION_NAME;

const outIndex = process.argv.indexOf('--out');
const out = path.resolve(outIndex > 0 ? process.argv[outIndex + 1] : path.join(root, `${EXTENSION_NAME}-${manifest.version}.vsix`));
const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-vsix-stage-'));
try {
  const copy = (from, to = from) => {
    fs.mkdirSync(path.dirname(path.join(stage, to)), { recursive: true });
    fs.copyFileSync(path.join(root, from), path.join(stage, to));
  };
  for (const file of ['LICENSE', '.vscodeignore', 'dist/extension.js', 'dist/server.js', 'media/icon.png', 'media/activitybar.svg']) copy(file);
  for (const folder of ['snippets', 'syntaxes', 'schemas']) for (const file of fs.readdirSync(path.join(root, folder))) if (file.endsWith('.json')) copy(`${folder}/${file}`);
  copy('client/README.md', 'README.md');
  fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(extension, null, 2) + '\n');
  const vsce = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
  execFileSync(vsce, ['package', '--no-dependencies', '--out', out], { cwd: stage, stdio: 'inherit' });
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
