import { strict as assert } from 'node:assert';
import { fork, spawn } from 'node:child_process';
import * as net from 'node:net';
import { ensureServerBundle, SERVER } from './support';

const COMPOSE = 'services:\n  agent:\n    image: example/agent:1.4.2\n    privileged: true\n';
const URI = 'file:///virtual/transport/compose.yaml';

function initialize(id: number) {
  return { jsonrpc: '2.0', id, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } };
}

function didOpen() {
  return { jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: URI, languageId: 'yaml', version: 1, text: COMPOSE } } };
}

function isPrivilegedPublish(message: any): boolean {
  return message.method === 'textDocument/publishDiagnostics' && message.params.uri === URI && message.params.diagnostics.some((d: any) => d.code === 'TCB001');
}

describe('language server: transports other than stdio', function () {
  this.timeout(30_000);
  before(() => ensureServerBundle());

  it('--node-ipc (how VS Code starts it): initialize, open, diagnostics', async () => {
    const child = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    try {
      const published = new Promise<any>((resolve, reject) => {
        child.on('message', (message: any) => {
          if (message.id === 1) {
            assert.equal(message.result.capabilities.textDocumentSync.change, 2, 'incremental sync');
            child.send({ jsonrpc: '2.0', method: 'initialized', params: {} });
            child.send(didOpen());
          }
          if (isPrivilegedPublish(message)) resolve(message);
        });
        child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
      });
      child.send(initialize(1));
      const message = await published;
      assert.equal(message.params.version, 1);
    } finally {
      child.kill();
    }
  });

  it('--socket=PORT: the server connects back and speaks the same protocol', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const child = spawn(process.execPath, [SERVER, `--socket=${port}`], { stdio: 'ignore' });
    try {
      const published = new Promise<any>((resolve, reject) => {
        server.on('connection', (socket) => {
          const send = (message: unknown) => {
            const body = Buffer.from(JSON.stringify(message), 'utf8');
            socket.write(`Content-Length: ${body.length}\r\n\r\n`);
            socket.write(body);
          };
          let buffer = Buffer.alloc(0);
          socket.on('data', (chunk) => {
            buffer = Buffer.concat([buffer, chunk]);
            for (;;) {
              const end = buffer.indexOf('\r\n\r\n');
              if (end === -1) return;
              const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString())![1]);
              if (buffer.length < end + 4 + length) return;
              const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString('utf8'));
              buffer = buffer.subarray(end + 4 + length);
              if (message.id === 1) {
                send({ jsonrpc: '2.0', method: 'initialized', params: {} });
                send(didOpen());
              }
              if (isPrivilegedPublish(message)) resolve(message);
            }
          });
          send(initialize(1));
        });
        child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
      });
      const message = await published;
      assert.equal(message.params.version, 1);
    } finally {
      child.kill();
      server.close();
    }
  });
});
