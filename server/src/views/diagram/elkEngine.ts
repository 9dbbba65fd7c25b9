import ELK from 'elkjs/lib/elk.bundled.js';
import type { LayoutEngine } from './layout';

/**
 * ELK running in the calling thread (elkjs's bundled build, plain JavaScript with no Node or
 * browser API). `layout` still answers through a Promise, after the work is done: a large
 * layout blocks the thread for its duration, so the language server runs this in a worker.
 */
export function inProcessLayoutEngine(): LayoutEngine {
  return new ELK();
}
