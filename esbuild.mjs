// Bundles the extension client, the language server and the CLI into dist/ (no node_modules at runtime).
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const production = process.argv.includes('--production');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };

// elkjs is EPL-2.0 (or GPL-3.0-or-later): its notice and where its source is stay with the bundled copy.
const ELK_NOTICE = '/*! Includes elkjs (Eclipse Layout Kernel), Copyright Kiel University and others, EPL-2.0 OR GPL-3.0-or-later; source: https://github.com/kieler/elkjs */';

// elkjs ships its engine minified (elk.bundled.js, 1.6 MB). Bundled into both the CLI and the layout
// worker, esbuild re-printed it unminified (3.4 MB each), which took the npm package past 2 MB: it is
// copied to dist/ once, with its notice, and both load it from beside themselves.
const ELK_FILE = 'elk.bundled.js';
const sharedElk = {
  name: 'shared-elk',
  setup(builder) {
    builder.onResolve({ filter: /^elkjs\/lib\/elk\.bundled\.js$/ }, () => ({ path: `./${ELK_FILE}`, external: true }));
  },
};
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync(`dist/${ELK_FILE}`, `${ELK_NOTICE}\n${fs.readFileSync(createRequire(import.meta.url).resolve(`elkjs/lib/${ELK_FILE}`), 'utf8')}`);

await Promise.all([
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [sharedElk] }),
  build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } }),
  // The diagram's layout (elkjs) runs in a worker thread of the server: its own file, loaded only when a diagram is drawn.
  build({ ...common, entryPoints: ['server/src/lsp/layoutWorker.ts'], outfile: 'dist/layoutWorker.js', plugins: [sharedElk] }),
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
]);
