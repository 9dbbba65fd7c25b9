// Runs the extension-host suite in desktop VS Code through @vscode/test-electron, on machines that
// can download VS Code (it fetches a build from Microsoft's update server on first use).
// Usage: npx tsx test/e2e/vscode/runTestElectron.ts [--version 1.100.3]
// Where downloads are impossible, `npm run test:e2e:vscode` runs the same suite in code-server.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { runTests } from '@vscode/test-electron';
import { bundleExtensionTests } from './support/bundle';
import { exampleWorkspace, REPO_ROOT, stagedExtension } from './support/codeServer';

async function main(): Promise<void> {
  const versionFlag = process.argv.indexOf('--version');
  const version = versionFlag > 0 ? process.argv[versionFlag + 1] : undefined;
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  const extensionTestsPath = await bundleExtensionTests();
  const workspace = exampleWorkspace();
  try {
    await runTests({
      version,
      extensionDevelopmentPath: stagedExtension(),
      extensionTestsPath,
      // Only this extension, a fresh profile, and no trust prompt for the temporary folder.
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`extension tests failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
