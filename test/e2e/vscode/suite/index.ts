// The entry point VS Code runs as extensionTestsPath: `run()` executes inside the extension host,
// where require('vscode') is the real API. The same bundle serves code-server and test-electron.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 60_000 });
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.e2e.js')) mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      console.log(`SBD_E2E_DONE failures=${failures}`);
      if (failures > 0) reject(new Error(`${failures} extension test(s) failed`));
      else resolve();
    });
  });
}
