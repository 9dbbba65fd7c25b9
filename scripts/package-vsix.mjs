// Packs the VS Code extension (.vsix) from the built dist/: vsce runs in a staging folder whose
// manifest carries the extension's own name (see stage-extension.mjs for why).
// Usage: node scripts/package-vsix.mjs [--out FILE]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXTENSION_NAME, ROOT, extensionManifest, stageExtension } from './stage-extension.mjs';

const outIndex = process.argv.indexOf('--out');
const out = path.resolve(outIndex > 0 ? process.argv[outIndex + 1] : path.join(ROOT, `${EXTENSION_NAME}-${extensionManifest().version}.vsix`));
const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'sbd-vsix-stage-'));
try {
  stageExtension(stage);
  const vsce = path.join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
  execFileSync(vsce, ['package', '--no-dependencies', '--out', out], { cwd: stage, stdio: 'inherit' });
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
