import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// ProposedFeatures.all: the transport comes from the command line (--stdio, --node-ipc, --socket=N).
const connection = createConnection(ProposedFeatures.all);
// Last line of defence: an error that escapes a handler is logged, the server keeps serving.
process.on('uncaughtException', (error) => connection.console.error(`sbd: unexpected error: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`sbd: unexpected rejection: ${String(reason)}`));
startServer(connection);
