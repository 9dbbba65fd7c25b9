import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';
import packageJson from '../../../package.json';

const USAGE = `Usage: sbd-language-server --stdio | --node-ipc | --socket=PORT | --pipe=NAME

The Secure by Design language server: findings, hovers, quick fixes and the trust-boundary view
for Docker Compose, Kubernetes and architecture YAML in any LSP editor. Editors start it; for
Neovim, Helix or Emacs configure the command \`sbd-language-server --stdio\` (see the README).

Options:
  --stdio          talk LSP over stdin/stdout (what most editors use)
  --node-ipc       talk over Node's IPC channel (VS Code)
  --socket=PORT    connect to a socket on PORT
  --pipe=NAME      connect to a named pipe
  -v, --version    print the version
  -h, --help       print this help
`;

const TRANSPORT = /^--(stdio|node-ipc|socket=\d+|pipe=.+)$/;
const args = process.argv.slice(2);

if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE);
} else if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`${packageJson.version}\n`);
} else if (!args.some((arg) => TRANSPORT.test(arg))) {
  // Without a transport the library would fail with a stack trace; say how to start it instead.
  process.stderr.write('sbd-language-server: no transport given; editors start it as `sbd-language-server --stdio` (run `sbd-language-server --help` for the others)\n');
  process.exitCode = 2;
} else {
  // ProposedFeatures.all: the transport comes from the command line (--stdio, --node-ipc, --socket=N).
  const connection = createConnection(ProposedFeatures.all);
  // Last line of defence: an error that escapes a handler is logged, the server keeps serving.
  process.on('uncaughtException', (error) => connection.console.error(`sbd: unexpected error: ${error.stack ?? error.message}`));
  process.on('unhandledRejection', (reason) => connection.console.error(`sbd: unexpected rejection: ${String(reason)}`));
  startServer(connection);
}
