// Bundles the extension client, the language server and the CLI into dist/ (no node_modules at runtime).
import { build } from 'esbuild';

const production = process.argv.includes('--production');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };

// elkjs is EPL-2.0 (or GPL-3.0-or-later): its notice and where its source is stay with the bundled copy.
const ELK_NOTICE = '/*! Includes elkjs (Eclipse Layout Kernel), Copyright Kiel University and others, EPL-2.0 OR GPL-3.0-or-later; source: https://github.com/kieler/elkjs */';

await Promise.all([
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } }),
  // The diagram's layout (elkjs) runs in a worker thread of the server: its own file, loaded only when a diagram is drawn.
  build({ ...common, entryPoints: ['server/src/lsp/layoutWorker.ts'], outfile: 'dist/layoutWorker.js', banner: { js: ELK_NOTICE } }),
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
]);
