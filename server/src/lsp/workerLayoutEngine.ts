import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ElkNode } from 'elkjs/lib/elk-api';
import type { LayoutEngine } from '../views/diagram/layout';

interface Pending {
  readonly resolve: (result: ElkNode) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * ELK in a worker thread (`layoutWorker.ts`, bundled beside the server). Started on the first
 * layout; a layout that takes longer than `timeoutMs` ends the thread (the next layout starts a
 * fresh one), so a hostile or huge workspace costs bounded time. Rejects, never throws.
 */
export class WorkerLayoutEngine implements LayoutEngine {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(
    private readonly script: string,
    private readonly timeoutMs = 20_000,
  ) {}

  layout(graph: ElkNode): Promise<ElkNode> {
    return new Promise<ElkNode>((resolve, reject) => {
      let worker: Worker;
      try {
        worker = this.start();
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      const id = this.nextId++;
      const timer = setTimeout(() => this.stop(new Error(`the layout took longer than ${this.timeoutMs / 1000} s and was stopped`)), this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, graph });
    });
  }

  dispose(): void {
    this.stop(new Error('the language server is shutting down'));
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    if (!fs.existsSync(this.script)) throw new Error(`the layout worker ${this.script} is missing (rebuild with "node esbuild.mjs")`);
    const worker = new Worker(this.script);
    // The worker never keeps the server alive on its own.
    worker.unref();
    worker.on('message', (message: { id: number; result?: ElkNode; error?: string }) => {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.error !== undefined || !message.result) pending.reject(new Error(message.error ?? 'the layout worker answered nothing'));
      else pending.resolve(message.result);
    });
    worker.on('error', (error) => this.stop(error));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.stop(new Error(`the layout worker exited (code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  /** Ends the thread and fails every layout still waiting for it. */
  private stop(reason: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(reason);
    }
    this.pending.clear();
    if (worker) void worker.terminate();
  }
}
