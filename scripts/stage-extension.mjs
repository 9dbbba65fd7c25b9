// The VS Code extension as VS Code loads it: one package.json serves two registries. npm knows
// the CLI and language server as @secure-by-design/sbd; the Marketplace knows the extension as
// secure-by-design.secure-by-design, and a Marketplace (and extension host) name cannot be scoped.
// This writes a folder whose manifest carries the extension's name and nothing npm-only, with the
// built files copied (for vsce) or linked (for development and the extension-host tests, so a
// rebuild of dist/ shows at once).
// Usage: node scripts/stage-extension.mjs DIR [--link]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXTENSION_NAME = 'secure-by-design';
export const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The extension's manifest: package.json with the Marketplace name and without npm-only fields. */
export function extensionManifest() {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const { bin, files, scripts, devDependencies, dependencies, ...extension } = manifest;
  return { ...extension, name: EXTENSION_NAME };
}

/** Writes the extension folder `target` (created or replaced). */
export function stageExtension(target, { link = false } = {}) {
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  const place = (from, to = from) => {
    const destination = path.join(target, to);
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    if (link) fs.symlinkSync(path.join(ROOT, from), destination);
    else fs.cpSync(path.join(ROOT, from), destination, { recursive: true });
  };
  if (link) {
    // Whole folders: the extension host also reaches dist/cli.js and docs/rules next to the bundles.
    for (const folder of ['dist', 'media', 'snippets', 'syntaxes', 'schemas', 'docs']) place(folder);
  } else {
    for (const file of ['dist/extension.js', 'dist/server.js', 'media/icon.png', 'media/activitybar.svg', '.vscodeignore']) place(file);
    for (const folder of ['snippets', 'syntaxes', 'schemas']) for (const file of fs.readdirSync(path.join(ROOT, folder))) if (file.endsWith('.json')) place(`${folder}/${file}`);
  }
  place('LICENSE');
  place('client/README.md', 'README.md');
  fs.writeFileSync(path.join(target, 'package.json'), JSON.stringify(extensionManifest(), null, 2) + '\n');
  return target;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = process.argv[2];
  if (!target) {
    console.error('usage: node scripts/stage-extension.mjs DIR [--link]');
    process.exit(2);
  }
  stageExtension(path.resolve(target), { link: process.argv.includes('--link') });
}
