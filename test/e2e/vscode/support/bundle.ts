import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from './codeServer';

/** Where the extension-host suite is bundled (ignored by git with the rest of .e2e/). */
export const SUITE_OUT_DIR = path.join(REPO_ROOT, '.e2e', 'vscode-tests');

/**
 * Bundles the extension-host suite to plain JavaScript: the extension host loads tests with
 * require(), so no TypeScript loader is involved. `vscode` and `mocha` stay external (the host
 * provides the first, the repository's node_modules the second).
 */
export async function bundleExtensionTests(): Promise<string> {
  const suiteDir = path.join(REPO_ROOT, 'test', 'e2e', 'vscode', 'suite');
  const entryPoints = fs.readdirSync(suiteDir).filter((file) => file === 'index.ts' || file.endsWith('.e2e.ts')).map((file) => path.join(suiteDir, file));
  fs.rmSync(SUITE_OUT_DIR, { recursive: true, force: true });
  await build({ entryPoints, outdir: SUITE_OUT_DIR, bundle: true, platform: 'node', target: 'node18', format: 'cjs', sourcemap: 'inline', external: ['vscode', 'mocha'], logLevel: 'warning' });
  return path.join(SUITE_OUT_DIR, 'index.js');
}
