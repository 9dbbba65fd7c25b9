/**
 * Entry of `dist/layoutWorker.js`: ELK in a worker thread, so a layout never blocks the language
 * server's message loop (diagnostics keep flowing while a diagram is drawn) and a layout that
 * runs too long can be stopped by terminating the thread. Messages: `{ id, graph }` in,
 * `{ id, result }` or `{ id, error }` out.
 */
import { parentPort } from 'node:worker_threads';
import { inProcessLayoutEngine } from '../views/diagram/elkEngine';

const engine = inProcessLayoutEngine();
const port = parentPort;
if (!port) throw new Error('layoutWorker.js runs only as a worker thread of the language server');
port.on('message', (message: { id: number; graph: unknown }) => {
  engine.layout(message.graph as Parameters<typeof engine.layout>[0]).then(
    (result) => port.postMessage({ id: message.id, result }),
    (error: unknown) => port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
